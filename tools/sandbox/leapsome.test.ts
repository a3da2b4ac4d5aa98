import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from './index.js';
import { getJson, keysOf, walkNext, walkPages } from './testkit.js';
import { type LeapsomeCursorPage, type LeapsomeData, type LeapsomeError, leapsomeHeaders, type LeapsomePage, type LeapsomeToken } from './leapsome/testkit.js';
import type { DataRecord } from './vendor.js';

let sb: Sandbox;
let auth: Record<string, string>;
let clock = Date.now();

beforeAll(async () => {
  sb = await startSandbox({ seed: 7, now: () => clock });
  auth = await leapsomeHeaders(sb);
});
afterAll(() => sb.close());

const api = (path: string) => `${sb.mounts.leapsome}${path}`;
const keys = (stream: string, records: DataRecord[]) => keysOf(records, sb.streams('leapsome')[stream] as string[]);

describe('Leapsome auth', () => {
  it('exchanges the secret for a JWT with an exp claim', async () => {
    const res = await getJson<LeapsomeToken>(api(`/token?secret=${SANDBOX_CREDENTIALS.leapsome.apiKey}`));
    expect(res.status).toBe(200);
    expect(res.body.expiresIn).toBe(18000);
    const [, payload] = String(res.body.token).split('.');
    const claims = JSON.parse(Buffer.from(payload as string, 'base64url').toString());
    expect(claims.exp * 1000).toBeCloseTo(clock + 18000 * 1000, -3);
  });

  it('rejects a wrong or missing secret with 401', async () => {
    expect((await getJson(api('/token?secret=nope'))).status).toBe(401);
    expect((await getJson(api('/token'))).status).toBe(401);
  });

  it('rejects requests without a token, with the raw secret as bearer, or with a forged token', async () => {
    expect((await getJson(api('/goals'))).status).toBe(401);
    const raw = await getJson(api('/goals'), { authorization: `Bearer ${SANDBOX_CREDENTIALS.leapsome.apiKey}` });
    expect(raw.status).toBe(401);
    expect(raw.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    const token = auth['authorization']?.split(' ')[1] as string;
    const forged = `${token.slice(0, -4)}AAAA`;
    expect((await getJson(api('/goals'), { authorization: `Bearer ${forged}` })).status).toBe(401);
  });

  it('rejects an expired token with 401', async () => {
    const short = await startSandbox({ seed: 7, tokenTtlSeconds: 1, now: () => clock });
    try {
      const headers = await leapsomeHeaders(short);
      expect((await getJson(`${short.mounts.leapsome}/goals/tags`, headers)).status).toBe(200);
      clock += 1500;
      const expired = await getJson<LeapsomeError>(`${short.mounts.leapsome}/goals/tags`, headers);
      expect(expired.status).toBe(401);
      expect(expired.body.message).toBe('jwt expired');
    } finally {
      await short.close();
    }
  });

  it('serves the API info without a token', async () => {
    expect((await getJson(api('/'))).body).toEqual({ name: 'Leapsome API', version: '1.0.1' });
  });
});

describe('Leapsome goals', () => {
  it('walks the goal cursor to the end and yields exactly the truth', async () => {
    const walk = await walkNext<LeapsomeCursorPage>(
      api('/goals'),
      auth,
      (b) => b.data,
      (r) => r.headers.get('x-next'),
    );
    expect(walk.requests).toBeGreaterThan(1);
    expect(walk.records).toEqual(sb.truth('leapsome', 'goals'));
  });

  it('ends with a null cursor and no X-Next, and meta.nextPage matches the header', async () => {
    const first = await getJson<LeapsomeCursorPage>(api('/goals?limit=100'), auth);
    expect(first.body.meta.nextPage).toBe(first.headers.get('x-next'));
    expect(first.body.meta.cursor).toMatch(/^[0-9a-f]{24}$/);
    expect(first.body.meta.count).toBe(100);
    const all = await getJson<LeapsomeCursorPage>(api('/goals?limit=1000'), auth);
    expect(all.body.meta).toEqual({ count: sb.truth('leapsome', 'goals').length, cursor: null, nextPage: null });
    expect(all.headers.get('x-next')).toBeNull();
  });

  it('validates limit and cursor', async () => {
    expect((await getJson(api('/goals?limit=1001'), auth)).status).toBe(400);
    expect((await getJson(api('/goals?limit=0'), auth)).status).toBe(400);
    expect((await getJson(api('/goals?cursor=xyz'), auth)).status).toBe(400);
  });

  it('filters goals by type and state, keeping the filter in the next link', async () => {
    const truth = sb.truth('leapsome', 'goals').filter((g) => g['type'] === 'user' && ['live', 'draft'].includes(String(g['status'])));
    const walk = await walkNext<LeapsomeCursorPage>(
      api('/goals?type=user&state=live,draft&limit=20'),
      auth,
      (b) => b.data,
      (r) => r.body.meta.nextPage,
    );
    expect(walk.records).toEqual(truth);
  });

  it('returns tags as a bare array and goal details and comments per goal', async () => {
    expect((await getJson(api('/goals/tags'), auth)).body).toEqual(sb.truth('leapsome', 'goal_tags'));
    const goals = sb.truth('leapsome', 'goals');
    const comments: DataRecord[] = [];
    for (const g of goals.slice(0, 40)) {
      const detail = await getJson(api(`/goals/${g['id']}`), auth);
      expect(detail.body).toEqual(g);
      const res = await getJson<LeapsomeData>(api(`/goals/${g['id']}/comments`), auth);
      comments.push(...res.body.data.map((c) => ({ ...c, goalId: g['id'] })));
    }
    const expected = sb.truth('leapsome', 'goal_comments').filter((c) => goals.slice(0, 40).some((g) => g['id'] === c['goalId']));
    expect(comments).toEqual(expected);
    expect((await getJson(api('/goals/0123456789abcdef01234567'), auth)).status).toBe(404);
  });
});

describe('Leapsome reviews', () => {
  it('pages review cycles from 0; starting at 1 silently skips the first page', async () => {
    const walk = await walkPages<LeapsomeData>(
      (p) => api(`/reviews?page=${p}`),
      auth,
      0,
      (b) => b.data,
    );
    expect(walk.requests).toBeGreaterThan(2);
    expect(walk.records).toEqual(sb.truth('leapsome', 'review_cycles'));
    const fromOne = await walkPages<LeapsomeData>(
      (p) => api(`/reviews?page=${p}`),
      auth,
      1,
      (b) => b.data,
    );
    expect(fromOne.records.length).toBe(walk.records.length - 20);
  });

  it('caps pageSize silently at 100', async () => {
    const res = await getJson<LeapsomeData>(api('/reviews?pageSize=500'), auth);
    expect(res.status).toBe(200);
    expect(res.body.data.length).toBeLessThanOrEqual(100);
  });

  it('filters by lastModifiedAfter on the newest participant change', async () => {
    const cycles = sb.truth('leapsome', 'review_cycles');
    const cut = cycles.map((c) => String(c['lastModifiedOn'])).sort()[Math.floor(cycles.length / 2)] as string;
    const res = await getJson<LeapsomeData>(api(`/reviews?pageSize=100&lastModifiedAfter=${encodeURIComponent(cut)}`), auth);
    const expected = cycles.filter((c) => Date.parse(String(c['lastModifiedOn'])) > Date.parse(cut));
    expect(res.body.data).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(cycles.length);
  });

  it('supports filter, sort and name', async () => {
    const all = sb.truth('leapsome', 'review_cycles');
    const complete = await getJson<LeapsomeData>(api('/reviews?filter=complete&pageSize=100'), auth);
    expect(complete.body.data).toEqual(all.filter((c) => c['status'] === 'complete'));
    const ongoing = await getJson<LeapsomeData>(api('/reviews?filter=ongoing&pageSize=100'), auth);
    expect(ongoing.body.data.length).toBe(3);
    const sorted = await getJson<LeapsomeData>(api('/reviews?sort=kickoffDate&pageSize=100'), auth);
    const kickoffs = sorted.body.data.map((c) => String(c['kickoffDate']));
    expect(kickoffs).toEqual([...kickoffs].sort().reverse());
    const templates = await getJson<LeapsomeData>(api('/reviews?filter=templates'), auth);
    expect(templates.body.data.length).toBe(6);
    expect((await getJson(api('/reviews?filter=bogus'), auth)).status).toBe(400);
  });

  it('serves cycle details, all participants via X-Next, and overviews', async () => {
    const cycles = sb.truth('leapsome', 'review_cycles');
    const details: DataRecord[] = [];
    const participants: DataRecord[] = [];
    const overviews: DataRecord[] = [];
    let followed = 0;
    for (const c of cycles) {
      const id = String(c['_id']);
      const detail = await getJson<LeapsomeData<DataRecord>>(api(`/reviews/${id}`), auth);
      expect(detail.body.__v2).toBe(true);
      details.push(detail.body.data);
      const walk = await walkNext<LeapsomeData>(
        api(`/reviews/${id}/participants`),
        auth,
        (b) => b.data,
        (r) => r.headers.get('x-next'),
      );
      if (walk.requests > 1) followed++;
      for (const p of walk.records) {
        participants.push({ ...p, reviewCycleId: id });
        const ov = await getJson<LeapsomeData<DataRecord>>(api(`/reviews/${id}/participants/${p['_id']}/overview`), auth);
        overviews.push({ ...ov.body.data, reviewCycleId: id, userId: p['_id'] });
      }
    }
    expect(followed).toBeGreaterThan(0);
    expect(details).toEqual(sb.truth('leapsome', 'review_cycle_details'));
    expect(participants).toEqual(sb.truth('leapsome', 'review_participants'));
    expect(overviews).toEqual(sb.truth('leapsome', 'review_participant_results'));
    expect(String(participants[0]?.['lastModifiedOn'])).toMatch(/\+00:00$/);
  });

  it('answers 404 for unknown cycles and non-participants', async () => {
    expect((await getJson(api('/reviews/0123456789abcdef01234567'), auth)).status).toBe(404);
    const cycle = String(sb.truth('leapsome', 'review_cycles')[0]?.['_id']);
    expect((await getJson(api(`/reviews/${cycle}/participants/0123456789abcdef01234567/overview`), auth)).status).toBe(404);
  });
});

describe('Leapsome HR endpoints', () => {
  it('pages employees and work locations from 1 with meta.totalCount', async () => {
    for (const [path, stream] of [
      ['/employees', 'employees'],
      ['/work-locations', 'work_locations'],
    ] as const) {
      const first = await getJson<LeapsomePage>(api(path), auth);
      expect(first.body.meta).toEqual({ page: 1, pageSize: 100, totalCount: sb.truth('leapsome', stream).length });
      const walk = await walkPages<LeapsomePage>(
        (p) => api(`${path}?page=${p}`),
        auth,
        1,
        (b) => b.data,
      );
      expect(walk.requests).toBeGreaterThan(2);
      expect(walk.records).toEqual(sb.truth('leapsome', stream));
    }
  });

  it('pages absences as bare arrays and filters them on the start date', async () => {
    const walk = await walkPages<DataRecord[]>(
      (p) => api(`/absences?page=${p}`),
      auth,
      1,
      (b) => b,
    );
    expect(walk.records).toEqual(sb.truth('leapsome', 'absences'));
    const from = '2023-01-01T00:00:00.000Z';
    const until = '2023-12-31T23:59:59.999Z';
    const filtered = await walkPages<DataRecord[]>(
      (p) => api(`/absences?page=${p}&pageSize=50&absenceStartFrom=${from}&absenceStartUntil=${until}`),
      auth,
      1,
      (b) => b,
    );
    const expected = sb.truth('leapsome', 'absences').filter((a) => String(a['start']) >= from && String(a['start']) <= until);
    expect(filtered.records).toEqual(expected);
    expect(expected.length).toBeGreaterThan(20);
    expect((await getJson(api('/absences?page=1001'), auth)).status).toBe(400);
  });

  it('pages timesheets, payroll cycles and feedback by offset and limit', async () => {
    for (const [path, stream] of [
      ['/time-tracking/timesheets', 'timesheets'],
      ['/payroll-cycles', 'payroll_cycles'],
      ['/feedback', 'feedback'],
    ] as const) {
      const records: DataRecord[] = [];
      for (let offset = 0; ; offset += 100) {
        const res = await getJson<LeapsomePage>(api(`${path}?offset=${offset}&limit=100`), auth);
        expect(res.body.meta.totalCount).toBe(sb.truth('leapsome', stream).length);
        if (res.body.data.length === 0) break;
        records.push(...res.body.data);
      }
      expect(records).toEqual(sb.truth('leapsome', stream));
    }
    const fb = await getJson<LeapsomePage>(api('/feedback?offset=10&limit=5'), auth);
    expect(fb.body.meta).toEqual({ offset: 10, limit: 5, totalCount: sb.truth('leapsome', 'feedback').length });
  });

  it('lists payroll participants per cycle and 404s an unknown cycle', async () => {
    const cycles = sb.truth('leapsome', 'payroll_cycles').slice(-5);
    const got: DataRecord[] = [];
    for (const c of cycles) {
      for (let offset = 0; ; offset += 100) {
        const res = await getJson<LeapsomeData>(api(`/payroll-cycles/${c['id']}/participants?offset=${offset}`), auth);
        if (res.body.data.length === 0) break;
        got.push(...res.body.data.map((p) => ({ ...p, payrollCycleId: c['id'] })));
      }
    }
    const ids = new Set(cycles.map((c) => c['id']));
    expect(got).toEqual(sb.truth('leapsome', 'payroll_cycle_participants').filter((p) => ids.has(p['payrollCycleId'])));
    expect(got.length).toBeGreaterThan(200);
    expect((await getJson(api('/payroll-cycles/0123456789abcdef01234567/participants'), auth)).status).toBe(404);
  });

  it('returns categories and access roles as bare arrays', async () => {
    expect((await getJson(api('/documents/categories'), auth)).body).toEqual(sb.truth('leapsome', 'document_categories'));
    expect((await getJson(api('/access-roles'), auth)).body).toEqual(sb.truth('leapsome', 'access_roles'));
  });

  it('answers 403 for permissions the key lacks', async () => {
    const limited = await startSandbox({ forbidden: ['timesheets', 'payroll', 'absences', 'access_roles'] });
    try {
      const headers = await leapsomeHeaders(limited);
      for (const path of ['/time-tracking/timesheets', '/payroll-cycles', '/absences', '/access-roles']) {
        const res = await getJson<LeapsomeError>(`${limited.mounts.leapsome}${path}`, headers);
        expect(res.status).toBe(403);
        expect(res.body.error).toBe('Forbidden');
      }
      expect((await getJson(`${limited.mounts.leapsome}/employees`, headers)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('Leapsome data', () => {
  it('is deterministic per seed and contains non-ASCII names', async () => {
    const other = await startSandbox({ seed: 7 });
    const third = await startSandbox({ seed: 8 });
    try {
      expect(other.truth('leapsome', 'goals')).toEqual(sb.truth('leapsome', 'goals'));
      expect(third.truth('leapsome', 'goals')).not.toEqual(sb.truth('leapsome', 'goals'));
    } finally {
      await other.close();
      await third.close();
    }
    const names = sb.truth('leapsome', 'employees').map((e) => e['fullname']);
    expect(names).toContain('Zoë Ødegård');
    expect(names).toContain('José Müller');
    expect(names.some((n) => String(n).startsWith('Łukasz'))).toBe(true);
  });

  it('keeps references consistent: participants and absences point at employees', () => {
    const employees = new Set(sb.truth('leapsome', 'employees').map((e) => e['id']));
    for (const p of sb.truth('leapsome', 'review_participants')) expect(employees.has(p['_id'])).toBe(true);
    for (const a of sb.truth('leapsome', 'absences')) expect(employees.has(a['userId'])).toBe(true);
    const primaryKeys = sb.streams('leapsome');
    for (const stream of Object.keys(primaryKeys)) {
      const records = sb.truth('leapsome', stream);
      expect(new Set(keys(stream, records)).size, stream).toBe(records.length);
    }
  });
});
