import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import { getJson, walkNext } from './testkit.js';
import { type DrfPage, pe365Headers } from './pe365/testkit.js';
import type { DataRecord } from './vendor.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 5 });
});
afterAll(() => sb.close());

const api = (path: string) => `${sb.mounts.pe365}${path}`;
const walk = (path: string) =>
  walkNext<DrfPage>(
    api(path),
    pe365Headers,
    (b) => b.results,
    (r) => r.body.next,
  );

describe('PE365 lists', () => {
  const lists = [
    ['/users/', 'users'],
    ['/departments/', 'departments'],
    ['/goals/', 'goals'],
    ['/checkins/', 'checkins'],
    ['/questions/', 'questions'],
    ['/recognition/', 'recognitions'],
    ['/conversations/', 'conversations'],
    ['/conversation_templates/', 'conversation_templates'],
    ['/conversation_plans/', 'conversation_plans'],
  ] as const;

  for (const [path, stream] of lists) {
    it(`walks ${path} by its absolute next links to exactly the truth`, async () => {
      const result = await walk(path);
      expect(result.requests).toBeGreaterThan(1);
      expect(result.records).toEqual(sb.truth('pe365', stream));
    });
  }

  it('walks every question’s responses to the question_responses truth', async () => {
    const got: DataRecord[] = [];
    for (const q of sb.truth('pe365', 'questions')) {
      const result = await walk(`/questions/${q['api_id']}/responses/?limit=5`);
      got.push(...result.records.map((r) => ({ ...r, question_api_id: q['api_id'] })));
    }
    expect(got).toEqual(sb.truth('pe365', 'question_responses'));
  });

  it('builds links like DRF: sorted keys, previous drops offset on the first page', async () => {
    const res = await getJson<DrfPage>(api('/goals/?offset=150&limit=50'), pe365Headers);
    expect(res.body.count).toBe(260);
    expect(res.body.next).toBe(`${sb.mounts.pe365}/goals/?limit=50&offset=200`);
    expect(res.body.previous).toBe(`${sb.mounts.pe365}/goals/?limit=50&offset=100`);
    const second = await getJson<DrfPage>(api('/goals/?offset=50&limit=50'), pe365Headers);
    expect(second.body.previous).toBe(`${sb.mounts.pe365}/goals/?limit=50`);
    const last = await getJson<DrfPage>(api('/goals/?offset=250&limit=50'), pe365Headers);
    expect(last.body.next).toBeNull();
  });

  it('defaults limit to 100, clamps it to 1000, and ignores invalid values', async () => {
    expect((await getJson<DrfPage>(api('/checkins/'), pe365Headers)).body.results.length).toBe(100);
    expect((await getJson<DrfPage>(api('/checkins/?limit=5000'), pe365Headers)).body.results.length).toBe(420);
    expect((await getJson<DrfPage>(api('/checkins/?limit=0'), pe365Headers)).body.results.length).toBe(100);
    expect((await getJson<DrfPage>(api('/checkins/?limit=abc&offset=-4'), pe365Headers)).body.results.length).toBe(100);
  });

  it('includes title everywhere and title_name on some goals only', () => {
    const goals = sb.truth('pe365', 'goals');
    expect(goals.every((g) => typeof g['title'] === 'string')).toBe(true);
    const named = goals.filter((g) => 'title_name' in g).length;
    expect(named).toBeGreaterThan(0);
    expect(named).toBeLessThan(goals.length);
    expect(goals.every((g) => /^580:[0-9a-f-]{36}$/.test(String(g['api_id'])))).toBe(true);
  });
});

describe('PE365 details and routing', () => {
  it('serves goal details by percent-encoded id, redirecting the slash-less path', async () => {
    const goal = sb.truth('pe365', 'goals')[7] as DataRecord;
    const encoded = encodeURIComponent(String(goal['api_id']));
    const manual = await fetch(api(`/goals/${encoded}`), { headers: pe365Headers, redirect: 'manual' });
    expect(manual.status).toBe(301);
    expect(manual.headers.get('location')).toBe(`/pe365/api/v2/goals/${encoded}/`);
    expect((await getJson(api(`/goals/${encoded}`), pe365Headers)).body).toEqual(goal);
    expect((await getJson(api(`/goals/${goal['api_id']}/`), pe365Headers)).body).toEqual(goal);
    expect((await getJson(api('/goals/580%3A00000000-0000-4000-8000-000000000000/'), pe365Headers)).body).toEqual({ detail: 'Not found.' });
  });

  it('serves every detail route', async () => {
    for (const [path, stream] of [
      ['users', 'users'],
      ['departments', 'departments'],
      ['checkins', 'checkins'],
      ['questions', 'questions'],
      ['recognition', 'recognitions'],
      ['conversations', 'conversations'],
      ['conversation_templates', 'conversation_templates'],
      ['conversation_plans', 'conversation_plans'],
    ] as const) {
      const record = sb.truth('pe365', stream)[2] as DataRecord;
      expect((await getJson(api(`/${path}/${record['api_id']}/`), pe365Headers)).body, path).toEqual(record);
    }
  });

  it('answers HTML 404 for unknown paths and DRF 401s for bad credentials', async () => {
    const unknown = await getJson(api('/surveys/'), pe365Headers);
    expect(unknown.status).toBe(404);
    expect(String(unknown.body)).toContain('<h1>Not Found</h1>');
    expect((await getJson(api('/users/'))).body).toEqual({ detail: 'Authentication credentials were not provided.' });
    const wrong = await getJson(api('/users/'), { authorization: `Basic ${Buffer.from('sandbox-pe365-user:nope').toString('base64')}` });
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual({ detail: 'Invalid username/password.' });
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="api"');
  });
});

describe('PE365 filters', () => {
  it('filters check-ins on submission date, both bounds inclusive', async () => {
    const result = await walk('/checkins/?date_from=2024-03-01&date_to=2024-06-30&limit=25');
    const expected = sb
      .truth('pe365', 'checkins')
      .filter((c) => c['submission_date'] !== null && String(c['submission_date']) >= '2024-03-01' && String(c['submission_date']) <= '2024-06-30');
    expect(result.records).toEqual(expected);
    expect(expected.length).toBeGreaterThan(20);
    const day = String(expected[0]?.['submission_date']);
    const single = await walk(`/checkins/?date_from=${day}&date_to=${day}`);
    expect(single.records.every((c) => c['submission_date'] === day)).toBe(true);
    expect(single.records.length).toBeGreaterThan(0);
    const bad = await getJson(api('/checkins/?date_from=01-03-2024'), pe365Headers);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ date_from: ['Enter a valid date.'] });
  });

  it('filters users by name substring and templates by name_icontains', async () => {
    const users = await walk('/users/?name=m%C3%BCller');
    expect(users.records.length).toBeGreaterThan(0);
    expect(users.records.every((u) => String(u['name']).toLowerCase().includes('müller'))).toBe(true);
    const templates = await walk('/conversation_templates/?name_icontains=review');
    expect(templates.records).toEqual(sb.truth('pe365', 'conversation_templates').filter((t) => String(t['name']).toLowerCase().includes('review')));
  });
});
