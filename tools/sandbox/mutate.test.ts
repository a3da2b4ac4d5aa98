import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryKeyOf, startSandbox, type MutationSummary, type Sandbox } from './index.js';
import { getJson, walkNext, walkPages } from './testkit.js';
import { type LeapsomeCursorPage, type LeapsomeData, leapsomeHeaders, type ScimList, scimHeaders } from './leapsome/testkit.js';
import { type ReflektivePage, reflektiveHeaders } from './reflektive/testkit.js';
import { type DrfPage, pe365Headers } from './pe365/testkit.js';
import type { DataRecord } from './vendor.js';

let sb: Sandbox;
let auth: Record<string, string>;
let before: number;
let summary: MutationSummary;
const snapshot: Record<string, DataRecord[]> = {};

beforeAll(async () => {
  sb = await startSandbox({ seed: 21, scale: 0.5 });
  auth = await leapsomeHeaders(sb);
  for (const s of ['goals', 'absences', 'employees', 'scim_users', 'review_cycles', 'feedback']) snapshot[s] = sb.truth('leapsome', s);
  before = Date.now() - 1000;
  summary = sb.mutate({ updates: 3, inserts: 2 });
});
afterAll(() => sb.close());

const keySet = (vendor: 'leapsome' | 'reflektive' | 'pe365', stream: string, records: DataRecord[]) =>
  new Set(records.map((r) => primaryKeyOf(vendor, stream, r)));
const changed = (vendor: 'leapsome' | 'reflektive' | 'pe365', stream: string) => {
  const c = summary[vendor]?.[stream];
  return new Set([...(c?.updated ?? []), ...(c?.inserted ?? [])]);
};

describe('mutate', () => {
  it('reports updated and inserted keys for every vendor’s incremental streams', () => {
    expect(summary.round).toBe(1);
    expect(Object.keys(summary.leapsome ?? {}).sort()).toEqual(
      [
        'absences',
        'employees',
        'feedback',
        'goal_comments',
        'goal_tags',
        'goals',
        'payroll_cycle_participants',
        'payroll_cycles',
        'review_cycle_details',
        'review_cycles',
        'review_participant_results',
        'review_participants',
        'scim_groups',
        'scim_users',
        'work_locations',
      ].sort(),
    );
    expect(summary.leapsome?.['goals']?.updated.length).toBe(3);
    expect(summary.leapsome?.['goals']?.inserted.length).toBe(2);
    expect(summary.reflektive?.['real_time_feedback_v2']?.inserted.length).toBe(2);
    expect(summary.reflektive?.['real_time_feedback_v1']?.inserted.length).toBe(1);
    expect(summary.pe365?.['checkins']?.inserted.length).toBe(2);
  });

  it('changes the truth: new keys appear and updated records carry a current timestamp', () => {
    const goals = sb.truth('leapsome', 'goals');
    expect(goals.length).toBe((snapshot['goals'] as DataRecord[]).length + 2);
    const keys = keySet('leapsome', 'goals', goals);
    for (const k of summary.leapsome?.['goals']?.inserted ?? []) expect(keys.has(k)).toBe(true);
    for (const g of goals.filter((g) => summary.leapsome?.['goals']?.updated.includes(primaryKeyOf('leapsome', 'goals', g)))) {
      expect(Date.parse(String(g['updatedAt']))).toBeGreaterThanOrEqual(before);
    }
    expect(sb.truth('leapsome', 'employees').length).toBe((snapshot['employees'] as DataRecord[]).length + 2);
  });

  it('makes lastModifiedAfter return exactly the touched review cycles', async () => {
    const res = await getJson<LeapsomeData>(`${sb.mounts.leapsome}/reviews?pageSize=100&lastModifiedAfter=${new Date(before).toISOString()}`, auth);
    expect(keySet('leapsome', 'review_cycles', res.body.data)).toEqual(changed('leapsome', 'review_cycles'));
    expect(res.body.data.length).toBe(5);
    const participants = sb.truth('leapsome', 'review_participants').filter((p) => Date.parse(String(p['lastModifiedOn'])) >= before);
    expect(keySet('leapsome', 'review_participants', participants)).toEqual(changed('leapsome', 'review_participants'));
  });

  it('lets the goal cursor and absence filters see the changes', async () => {
    const goals = await walkNext<LeapsomeCursorPage>(
      `${sb.mounts.leapsome}/goals`,
      auth,
      (b) => b.data,
      (r) => r.headers.get('x-next'),
    );
    expect(goals.records).toEqual(sb.truth('leapsome', 'goals'));
    const fresh = goals.records.filter((g) => Date.parse(String(g['updatedAt'])) >= before);
    expect(keySet('leapsome', 'goals', fresh)).toEqual(changed('leapsome', 'goals'));
    const today = new Date(before).toISOString();
    const upcoming = await walkPages<DataRecord[]>(
      (p) => `${sb.mounts.leapsome}/absences?page=${p}&absenceStartFrom=${today}`,
      auth,
      1,
      (b) => b,
    );
    for (const k of summary.leapsome?.['absences']?.inserted ?? []) expect(keySet('leapsome', 'absences', upcoming.records).has(k)).toBe(true);
    const scim = await getJson<ScimList>(`${sb.mounts.leapsomeScim}/Users?count=0`, scimHeaders);
    expect(scim.body.totalResults).toBe((snapshot['scim_users'] as DataRecord[]).length + 2);
  });

  it('puts new Reflektive feedback inside the default one-day window', async () => {
    const res = await getJson<ReflektivePage>(`${sb.mounts.reflektive}/v2/real-time-feedback`, reflektiveHeaders);
    expect(keySet('reflektive', 'real_time_feedback_v2', res.body.data)).toEqual(changed('reflektive', 'real_time_feedback_v2'));
    const v1 = await getJson<ReflektivePage>(`${sb.mounts.reflektive}/v1/real-time-feedback?created_after=${Math.floor(before / 1000)}`, reflektiveHeaders);
    expect(keySet('reflektive', 'real_time_feedback_v1', v1.body.data)).toEqual(changed('reflektive', 'real_time_feedback_v1'));
  });

  it('makes PE365 check-ins submitted today visible to date_from, and bumps updated_date', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await walkNext<DrfPage>(
      `${sb.mounts.pe365}/checkins/?date_from=${today}`,
      pe365Headers,
      (b) => b.results,
      (r) => r.body.next,
    );
    expect(keySet('pe365', 'checkins', res.records)).toEqual(changed('pe365', 'checkins'));
    const conversations = sb.truth('pe365', 'conversations').filter((c) => Date.parse(String(c['updated_date'])) >= before);
    expect(keySet('pe365', 'conversations', conversations)).toEqual(changed('pe365', 'conversations'));
  });

  it('is reachable over HTTP and counts rounds', async () => {
    const res = await getJson<MutationSummary>(
      `${sb.url}/_sandbox/mutate`,
      { 'content-type': 'application/json' },
      { method: 'POST', body: JSON.stringify({ updates: 1, inserts: 1, vendors: ['pe365'] }) },
    );
    expect(res.status).toBe(200);
    expect(res.body.round).toBe(2);
    expect(Object.keys(res.body).sort()).toEqual(['at', 'pe365', 'round']);
  });
});
