/**
 * The Leapsome contract that no other test pins down: the stream table (primary keys and
 * sync modes, as written there), the default base URLs a config without overrides talks to, and the
 * documented request rates (Content API 20/s, SCIM 30/s) the connector keeps to unless told otherwise.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildCatalog } from '../../engine/catalog.js';
import { fastRetry } from '../../../tools/testing/engine/reader.js';
import { silentLogger } from '../../engine/logger.js';
import type { Transport } from '../../engine/http/transport.js';
import { leapsome } from './index.js';
import { clientsOf } from '../vendor.js';

const withScim = { vendor: 'leapsome' as const, api_key: 'contract-secret-1234', scim_token: 'contract-scim-5678' };
const settings = { pageSize: 100 };

describe('the Leapsome stream table', () => {
  // The documented stream table: name → [primary key, incremental?].
  const TABLE: Record<string, [string[][], boolean]> = {
    goals: [[['id']], true],
    goal_tags: [[['id']], false],
    goal_comments: [[['id']], true],
    review_cycles: [[['_id']], true],
    review_cycle_details: [[['_id']], true],
    review_participants: [[['reviewCycleId'], ['_id']], true],
    review_participant_results: [[['reviewCycleId'], ['userId']], true],
    employees: [[['id']], false],
    timesheets: [[['id']], false],
    payroll_cycles: [[['id']], true],
    payroll_cycle_participants: [[['payrollCycleId'], ['id']], false],
    work_locations: [[['id']], true],
    absences: [[['_id']], true],
    feedback: [[['id']], false],
    document_categories: [[['id']], false],
    access_roles: [[['id']], false],
    scim_users: [[['id']], true],
    scim_groups: [[['id']], false],
  };

  it('declares each stream with the documented primary key and sync modes', () => {
    const catalog = buildCatalog(leapsome.streams(withScim, settings));
    const actual = Object.fromEntries(catalog.streams.map((s) => [s.name, [s.source_defined_primary_key, s.supported_sync_modes.includes('incremental')]]));
    expect(actual).toEqual(TABLE);
    for (const stream of catalog.streams) expect(stream.supported_sync_modes, stream.name).toContain('full_refresh');
  });
});

/** A transport that records every URL and answers like Leapsome, empty lists everywhere. */
function recordingTransport(): { transport: Transport; urls: Array<{ url: URL; at: number }> } {
  const urls: Array<{ url: URL; at: number }> = [];
  const transport: Transport = async (url) => {
    const parsed = new URL(url);
    urls.push({ url: parsed, at: Date.now() });
    const body = parsed.pathname.endsWith('/token') ? { token: 'tok-abcdef-123456', expiresIn: 3600 } : { data: [], meta: { cursor: null } };
    return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
  };
  return { transport, urls };
}

function apisOf(transport: Transport, config: Parameters<typeof leapsome.apis>[0] = withScim) {
  return leapsome.apis(config, { transport, retry: fastRetry, logger: silentLogger, settings, addSecret: () => undefined });
}

describe('a config without base URL overrides', () => {
  it('talks to https://api.leapsome.com/v1 and https://api.leapsome.com/scim/v1', async () => {
    const { transport, urls } = recordingTransport();
    const apis = apisOf(transport);
    try {
      await leapsome.check(apis, withScim);
    } finally {
      await Promise.all(clientsOf(apis).map((api) => api.close()));
    }
    const seen = urls.map(({ url }) => `${url.origin}${url.pathname}`);
    expect(seen).toEqual(['https://api.leapsome.com/v1/token', 'https://api.leapsome.com/v1/goals', 'https://api.leapsome.com/scim/v1/Users']);
  });
});

describe('the documented request rates, by default', () => {
  // Fake time: the pacer runs on the global timers and Date, so the test waits for nothing.
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => vi.useRealTimers());

  /** Runs the timers until every promise settled. */
  async function settle<T>(promises: Array<Promise<T>>): Promise<T[]> {
    const all = Promise.all(promises);
    await vi.runAllTimersAsync();
    return all;
  }

  /** Fires `count` requests at once at one API and returns when each was sent, in fake milliseconds. */
  async function burst(api: 'content' | 'scim', count: number): Promise<number[]> {
    const { transport, urls } = recordingTransport();
    const apis = apisOf(transport);
    try {
      const client = apis[api];
      if (!client) throw new Error(`no ${api} API`);
      if (api === 'content') {
        // Take the token first and let its window pass: the exchange is not what is being measured here.
        await settle([client.request({ path: '/goals' })]);
        await vi.advanceTimersByTimeAsync(10_000);
      }
      urls.length = 0;
      await settle(Array.from({ length: count }, () => client.request({ path: api === 'content' ? '/goals' : '/Users' })));
    } finally {
      await Promise.all(clientsOf(apis).map((client) => client.close()));
    }
    return urls.map((u) => u.at);
  }

  /** The most times that fall within one window of `windowMs`: in some [t, t + windowMs). */
  function fullest(times: readonly number[], windowMs: number): number {
    const sorted = [...times].sort((a, b) => a - b);
    let most = 0;
    for (let last = 0, first = 0; last < sorted.length; last++) {
      while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  it.each([
    ['Content API', 20, 'content'],
    ['SCIM API', 30, 'scim'],
  ] as const)('%s: %i requests per second, never more, and no slower', async (_name, perSecond, api) => {
    const times = await burst(api, 3 * perSecond);
    expect(times).toHaveLength(3 * perSecond);
    // Never more than the limit in any second, wherever that second starts.
    expect(fullest(times, 1_000)).toBe(perSecond);
    // And the limit is used: a full second's worth goes out within the first 300 ms, at four times
    // the even pace (turns a quarter of it apart, not all at once: a server would count the last of
    // a burst late)...
    const first = times[0] as number;
    expect(times.filter((t) => t < first + 300)).toHaveLength(perSecond);
    expect(new Set(times).size).toBe(times.length);
    // ...and three seconds' worth takes three windows, not more.
    expect((times.at(-1) as number) - first).toBeGreaterThanOrEqual(2_000);
    expect((times.at(-1) as number) - first).toBeLessThan(3_000);
  });
});
