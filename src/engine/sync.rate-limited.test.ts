/**
 * A stream paused by the API's quota shows why: a STREAM_STATUS RUNNING with a RATE_LIMITED reason and
 * `quota_reset` (the platform's AirbyteStreamStatusRateLimitedReason), a log line with the length of
 * the wait, and heartbeat STATEs while it lasts. The server's own count (X-RateLimit-Remaining and
 * X-RateLimit-Reset) wins over ours: the quota may be shared with other clients.
 */
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { AirbyteMessage } from '../protocol/generated.js';
import { memoryOutput } from '../../tools/testing/harness.js';
import { createMswServer, mswTransport } from '../../tools/testing/engine/msw.js';
import { testStream, catalogEntry } from '../../tools/testing/engine/reader.js';
import { ApiClient } from './http/client.js';
import type { Logger } from './logger.js';
import { pageNumber } from './pagination.js';
import { HEARTBEAT_MS, sync } from './sync.js';

const BASE = 'http://quota.test';
const START = Date.parse('2025-01-01T00:00:00Z');
const MINUTE = 60_000;

/** The server's quota: `left` requests until the hour's reset, shared with another client that spent the rest. */
let left = 0;
const msw = createMswServer(
  http.get(`${BASE}/things`, ({ request }) => {
    const page = Number(new URL(request.url).searchParams.get('page'));
    left = Math.max(0, left - 1);
    return HttpResponse.json(
      { data: [{ id: `t${page}` }] },
      { headers: { 'x-ratelimit-remaining': String(left), 'x-ratelimit-reset': String((START + 20 * MINUTE) / 1000) } },
    );
  }),
);
beforeAll(() => msw.listen());
afterEach(() => {
  msw.reset();
  vi.useRealTimers();
});
afterAll(() => msw.close());
beforeEach(() => vi.useFakeTimers({ now: START, toFake: ['setTimeout', 'clearTimeout', 'Date'] }));

const things = testStream({
  name: 'things',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/things' },
  records: 'data',
  paginate: pageNumber({ param: 'page', sizeParam: 'per_page', size: 1, first: 1, hasNext: (r) => Number(new URL(r.url).searchParams.get('page')) < 3 }),
});

async function readThings() {
  const memory = memoryOutput();
  const logs: string[] = [];
  const logger: Logger = { info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) };
  const api = new ApiClient({
    name: 'Quota API',
    baseUrl: BASE,
    transport: mswTransport,
    retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 1, maxElapsedMs: 1_000 },
    rateLimit: { requestsPerSecond: 10 },
    logger,
    quotaHeaders: { remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'epoch-seconds' },
  });
  const done = sync(
    {
      reader: { apis: api, logger, concurrency: 1 },
      output: memory.output,
      logger,
      vendor: 'Quota',
      waits: (listener) => api.addWaitListener(listener),
    },
    [catalogEntry(things)],
    new Map(),
  );
  let finished = false;
  void done.then(() => (finished = true));
  const seen: Array<{ at: number; message: AirbyteMessage }> = [];
  let taken = 0;
  while (!finished) {
    await vi.advanceTimersByTimeAsync(1_000);
    const all = memory.messages();
    for (const message of all.slice(taken)) seen.push({ at: Date.now() - START, message });
    taken = all.length;
  }
  return { failed: await done, seen, logs, requests: msw.requests.length };
}

describe("a stream paused by the API's quota", () => {
  it('waits for the reset the headers name, says so as RATE_LIMITED with quota_reset, logs the wait, and keeps the heartbeat going', async () => {
    left = 2; // the first page leaves 1, the second 0: the third must wait for the reset
    const { failed, seen, logs, requests } = await readThings();
    expect(failed).toEqual([]);
    expect(requests).toBe(3);
    const limited = seen.filter(({ message }) => message.trace?.stream_status?.reasons?.[0]?.type === 'RATE_LIMITED');
    expect(limited).toHaveLength(1);
    expect(limited[0]?.message.trace?.stream_status).toMatchObject({ status: 'RUNNING', reasons: [{ rate_limited: { quota_reset: START + 20 * MINUTE } }] });
    expect(logs.some((line) => /things: the API says its quota is spent; waiting 20 min, until 2025-01-01T00:20:00.000Z/.test(line))).toBe(true);
    // The third page came only after the reset.
    const records = seen.filter(({ message }) => message.type === 'RECORD').map(({ at }) => at);
    expect(records[2]).toBeGreaterThanOrEqual(20 * MINUTE);
    // Meanwhile the heartbeat repeated the latest STATE: no silence longer than the interval.
    const signs = seen.filter(({ message }) => message.type === 'RECORD' || message.type === 'STATE').map(({ at }) => at);
    const gaps = signs.slice(1).map((at, i) => at - (signs[i] as number));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HEARTBEAT_MS);
  });

  it('a quota with room left costs no pause and no status', async () => {
    left = 500;
    const { seen } = await readThings();
    expect(seen.filter(({ message }) => message.trace?.stream_status?.reasons)).toEqual([]);
  });
});
