import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { testStream } from '../../tools/testing/engine/reader.js';
import { pageNumber } from './pagination.js';
import { RequestPlan } from './plan.js';

const list = (name: string, size = 100) =>
  testStream({ name, schema: z.looseObject({}), primaryKey: [['id']], request: { path: `/${name}` }, paginate: pageNumber({ param: 'page', size, first: 1 }) });
const teams = list('teams');
const users = list('users');
const members = testStream({
  name: 'team_members',
  schema: z.looseObject({}),
  primaryKey: [['id']],
  request: { path: '/m' },
  parent: { stream: teams, fields: { team_id: 'id' } },
});

describe('the plan of requests', () => {
  it('adds up the pages of the lists and one request per parent record, and says how long that takes at the hourly limit', () => {
    const said: string[] = [];
    const plan = new RequestPlan([teams, members, users], 1000, (line) => said.push(line));
    plan.learned('teams', 250);
    expect(said.at(-1)).toBe(
      'Plan: at least 253 requests (teams 3 pages, team_members ≥ 250 (one per teams record); not sized yet: users). At 1000 requests per hour that is about 16 min or more.',
    );
    plan.learned('users', 30_000);
    expect(said.at(-1)).toMatch(
      /^Plan: at least 553 requests \(teams 3 pages, team_members ≥ 250 \(one per teams record\), users 300 pages\)\. At 1000 requests per hour/,
    );
    plan.learned('users', 30_000);
    expect(said).toHaveLength(2);
  });

  it('counts the pages of a parent that is read only for its children', () => {
    const said: string[] = [];
    new RequestPlan([members], 1000, (line) => said.push(line)).learned('teams', 1_500);
    expect(said.at(-1)).toMatch(/^Plan: at least 1515 requests .* about 1\.5 h or more\.$/);
  });
});
