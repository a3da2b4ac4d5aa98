import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PRIMARY_KEYS, primaryKeyOf, startSandbox, type Sandbox } from './index.js';
import { Rng } from './random.js';
import { getJson } from './testkit.js';
import { leapsomeHeaders, type LeapsomePage } from './leapsome/testkit.js';
import { type ReflektivePage, reflektiveHeaders } from './reflektive/testkit.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ scale: 0.2 });
});
afterAll(() => sb.close());

describe('sandbox server', () => {
  it('listens on 127.0.0.1 and reports health, seed and mounts', async () => {
    expect(sb.url).toBe(`http://127.0.0.1:${sb.port}`);
    const health = await getJson(`${sb.url}/_sandbox/health`);
    expect(health.body).toMatchObject({ status: 'ok', seed: 42, scale: 0.2, mounts: sb.mounts });
    expect(sb.mounts.pe365).toBe(`${sb.url}/pe365/api/v2`);
  });

  it('serves the truth over HTTP and exposes primary keys for every stream', async () => {
    const res = await getJson(`${sb.url}/_sandbox/truth?vendor=pe365&stream=users`);
    expect(res.body).toEqual(sb.truth('pe365', 'users'));
    expect(Object.keys(PRIMARY_KEYS.pe365)).toHaveLength(10);
    expect(Object.keys(PRIMARY_KEYS.leapsome)).toHaveLength(18);
    expect(primaryKeyOf('leapsome', 'review_participants', { reviewCycleId: 'c', _id: 'u', other: 1 })).toBe('["c","u"]');
    expect((await getJson(`${sb.url}/_sandbox/truth?vendor=pe365&stream=nope`)).status).toBe(400);
  });

  it('counts vendor requests per status and mount, not control requests', async () => {
    sb.resetStats();
    await getJson(`${sb.mounts.leapsome}/`);
    await getJson(`${sb.mounts.leapsome}/goals`);
    await getJson(`${sb.url}/_sandbox/stats`);
    expect(sb.stats.total).toBe(2);
    expect(sb.stats.byStatus).toEqual({ '200': 1, '401': 1 });
    expect(sb.stats.byMount).toEqual({ leapsome: 2 });
    expect(sb.stats.recent.map((r) => r.url)).toEqual(['/leapsome/v1/', '/leapsome/v1/goals']);
  });

  it('answers 404 outside the mounts', async () => {
    expect((await getJson(`${sb.url}/leapsome/v2/goals`)).status).toBe(404);
  });

  it('keeps every primary key unique in every stream of every vendor', () => {
    for (const vendor of ['leapsome', 'reflektive', 'pe365'] as const) {
      for (const stream of Object.keys(PRIMARY_KEYS[vendor])) {
        const records = sb.truth(vendor, stream);
        expect(records.length, `${vendor}.${stream}`).toBeGreaterThan(0);
        expect(new Set(records.map((r) => primaryKeyOf(vendor, stream, r))).size, `${vendor}.${stream}`).toBe(records.length);
      }
    }
  });

  it('starts at scale 1000 without generating the data up front and serves deep pages', async () => {
    // Every generated record draws from a seeded Rng: count the draws instead of timing the start.
    const draws = vi.spyOn(Rng.prototype, 'next');
    let big: Sandbox;
    let drawsToStart: number;
    try {
      big = await startSandbox({ scale: 1000 });
    } finally {
      drawsToStart = draws.mock.calls.length;
      draws.mockRestore();
    }
    try {
      // 150,000 employees alone would take several draws each; starting takes a handful, at any scale.
      expect(drawsToStart).toBeLessThan(1_000);
      const headers = await leapsomeHeaders(big);
      const employees = await getJson<LeapsomePage>(`${big.mounts.leapsome}/employees?page=150&pageSize=1000`, headers);
      expect(employees.body.meta.totalCount).toBe(150000);
      expect(employees.body.data).toHaveLength(1000);
      const feedback = await getJson<ReflektivePage>(`${big.mounts.reflektive}/v2/real-time-feedback?created_after=0&page=2400`, reflektiveHeaders);
      expect(feedback.body.data).toHaveLength(200);
      expect(feedback.body.links!.last).toMatch(/page=2400$/);
      const deep = await getJson(`${big.mounts.leapsome}/absences?page=1001`, headers);
      expect(deep.status).toBe(400);
    } finally {
      await big.close();
    }
  });
});
