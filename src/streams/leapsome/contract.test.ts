/**
 * The Leapsome contract of the issue that no other test pins down: the stream table (primary keys and
 * sync modes, as written there), the default base URLs a config without overrides talks to, and the
 * documented request rates (Content API 20/s, SCIM 30/s) the connector keeps to unless told otherwise.
 */
import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../../engine/catalog.js';
import { fastRetry } from '../../../tools/testing/engine/reader.js';
import { silentLogger } from '../../engine/logger.js';
import type { Transport } from '../../engine/http/transport.js';
import { leapsome } from './index.js';
import { clientsOf } from '../vendor.js';

const withScim = { vendor: 'leapsome' as const, api_key: 'contract-secret-1234', scim_token: 'contract-scim-5678' };
const settings = { pageSize: 100 };

describe('the Leapsome stream table', () => {
  // Copied from the issue: name → [primary key, incremental?].
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

  it('declares each stream with the primary key and sync modes of the issue', () => {
    const catalog = buildCatalog(leapsome.streams(withScim, settings));
    const actual = Object.fromEntries(
      catalog.streams.map((s) => [s.name, [s.source_defined_primary_key, s.supported_sync_modes.includes('incremental')]]),
    );
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
  /** Fires `count` requests at once at one API and returns how many went out in the first 700 ms, and when the last did. */
  async function burst(api: 'content' | 'scim', count: number): Promise<{ early: number; lastAfterMs: number; total: number }> {
    const { transport, urls } = recordingTransport();
    const apis = apisOf(transport);
    try {
      const client = apis[api];
      if (!client) throw new Error(`no ${api} API`);
      // Take the token first: the exchange is not what is being limited here.
      if (api === 'content') await client.request({ path: '/goals' });
      urls.length = 0;
      await Promise.all(Array.from({ length: count }, () => client.request({ path: api === 'content' ? '/goals' : '/Users' })));
    } finally {
      await Promise.all(clientsOf(apis).map((client) => client.close()));
    }
    const first = urls[0]?.at ?? 0;
    return { early: urls.filter((u) => u.at - first < 700).length, lastAfterMs: (urls.at(-1)?.at ?? 0) - first, total: urls.length };
  }

  it('Content API: 20 requests per second', async () => {
    const { early, total } = await burst('content', 25);
    expect(total).toBe(25);
    // The token warm-up used one request of the first second's allowance.
    expect(early).toBeLessThanOrEqual(20);
    expect(early).toBeGreaterThanOrEqual(15);
  }, 5_000);

  it('SCIM API: 30 requests per second', async () => {
    const { early, lastAfterMs, total } = await burst('scim', 31);
    expect(total).toBe(31);
    expect(early).toBe(30);
    expect(lastAfterMs).toBeGreaterThanOrEqual(700);
  }, 5_000);
});
