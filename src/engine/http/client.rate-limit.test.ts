import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenExchangeAuth } from '../auth/token-exchange.js';
import { silentLogger } from '../logger.js';
import { fastRetry, TEST_BASE_URL } from '../../../tools/testing/engine/reader.js';
import { ApiClient, type AuthProvider, type RateLimit, type WaitReason } from './client.js';
import { PacerClosedError } from './rate-window.js';
import type { Transport } from './transport.js';

// Fake time throughout: the pacer and the retry backoff both run on the global timers and Date.
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => vi.useRealTimers());

interface Sent {
  at: number;
  path: string;
  authorization: string | undefined;
}

/**
 * An API on an in-memory transport that records when each request went out; `answer` decides the
 * response, `writeAfterMs` how long after the call a request is written (a new connection opened first).
 */
function pacedApi(
  rateLimit: RateLimit,
  options: { answer?: (path: string, attempt: number) => Response; auth?: AuthProvider; writeAfterMs?: (path: string, call: number) => number } = {},
) {
  const sent: Sent[] = [];
  const attempts = new Map<string, number>();
  let calls = 0;
  const transport: Transport = async (url, init) => {
    const path = new URL(url).pathname + new URL(url).search;
    const writeAfterMs = options.writeAfterMs?.(path, calls++) ?? 0;
    if (writeAfterMs > 0) await new Promise((resolve) => setTimeout(resolve, writeAfterMs));
    init.onSent?.();
    sent.push({ at: Date.now(), path, authorization: init.headers['authorization'] });
    const attempt = (attempts.get(path) ?? 0) + 1;
    attempts.set(path, attempt);
    return options.answer?.(path, attempt) ?? Response.json({ data: [] });
  };
  const api = new ApiClient({
    name: 'Test API',
    baseUrl: TEST_BASE_URL,
    transport,
    retry: fastRetry,
    rateLimit,
    logger: silentLogger,
    ...(options.auth ? { auth: options.auth } : {}),
  });
  return { api, sent };
}

/** Runs the timers until every promise settled. */
async function settle<T>(promises: Array<Promise<T>>): Promise<T[]> {
  const all = Promise.all(promises);
  await vi.runAllTimersAsync();
  return all;
}

/** The most sends within one window of `windowMs`: in some [t, t + windowMs). */
function fullest(sent: readonly Sent[], windowMs: number): number {
  const times = sent.map((s) => s.at).sort((a, b) => a - b);
  let most = 0;
  for (let last = 0, first = 0; last < times.length; last++) {
    while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

const requests = (api: ApiClient, count: number, prefix = 'things') =>
  Array.from({ length: count }, (_, i) => api.request({ path: `/${prefix}`, query: { n: i } }));

describe('the rate limit, as a gateway counts it', () => {
  // requests_per_second accepts any positive number: a user sharing the account sets 0.4 and must
  // not get one request every second.
  it('spaces requests by 1 / requests_per_second seconds below one a second', async () => {
    const { api, sent } = pacedApi({ requestsPerSecond: 0.4 });
    await settle(requests(api, 3));
    expect(sent).toHaveLength(3);
    expect((sent[1] as Sent).at - (sent[0] as Sent).at).toBeGreaterThanOrEqual(2_500);
    expect((sent[2] as Sent).at - (sent[1] as Sent).at).toBeGreaterThanOrEqual(2_500);
  });

  it('never sends more than N in any second, however many requests wait', async () => {
    const { api, sent } = pacedApi({ requestsPerSecond: 5 });
    await settle(requests(api, 15));
    expect(sent).toHaveLength(15);
    expect(fullest(sent, 1_000)).toBe(5);
    // And no slower than that: three seconds' worth, a little over two seconds apart at the ends.
    expect((sent.at(-1) as Sent).at - (sent[0] as Sent).at).toBeLessThan(2_500);
  });

  it('counts retries in the window', async () => {
    // Every request fails once (503, then 429 with Retry-After: 0) before it succeeds.
    const answer = (path: string, attempt: number) =>
      attempt === 1
        ? new Response('busy', { status: path.includes('n=1') ? 429 : 503, headers: path.includes('n=1') ? { 'retry-after': '0' } : {} })
        : Response.json({ data: [] });
    const { api, sent } = pacedApi({ requestsPerSecond: 3 }, { answer });
    await settle(requests(api, 6));
    expect(sent).toHaveLength(12);
    expect(fullest(sent, 1_000)).toBe(3);
  });

  it('honours per-minute and per-hour budgets with the per-second limit', async () => {
    const { api, sent } = pacedApi({ requestsPerSecond: 4, perMinute: 6, perHour: 8 });
    await settle(requests(api, 10));
    expect(sent).toHaveLength(10);
    expect(fullest(sent, 1_000)).toBe(4);
    expect(fullest(sent, 60_000)).toBe(6);
    expect(fullest(sent, 3_600_000)).toBe(8);
  });

  it('counts the token exchange too, and requests holding every slot while they wait for it do not deadlock', async () => {
    let exchanges = 0;
    const answer = (path: string) => (path.startsWith('/token') ? Response.json({ token: `t${++exchanges}`, expiresIn: 3_600 }) : Response.json({ data: [] }));
    // Two slots at 2 a second: both are taken by requests that need the token the exchange brings.
    const holder: { api?: ApiClient } = {};
    const auth = new TokenExchangeAuth(async () => {
      const response = await (holder.api as ApiClient).request({ path: '/token', anonymous: true });
      const body = response.body as { token: string; expiresIn: number };
      return { token: body.token, expiresIn: body.expiresIn };
    });
    const { api, sent } = pacedApi({ requestsPerSecond: 2 }, { answer, auth });
    holder.api = api;
    await settle(requests(api, 5));
    expect(sent.map((s) => s.path.split('?')[0])).toEqual(['/token', '/things', '/things', '/things', '/things', '/things']);
    expect(sent.slice(1).every((s) => s.authorization === 'Bearer t1')).toBe(true);
    expect(fullest(sent, 1_000)).toBe(2);
  });

  it('takes a new turn when its auth headers took long after its turn came (a token exchanged meanwhile)', async () => {
    let calls = 0;
    // The second call (right after the first request's turn) takes 100 ms, as an exchange would.
    const auth: AuthProvider = {
      headers: async () => {
        calls++;
        if (calls === 2) await new Promise((resolve) => setTimeout(resolve, 100));
        return { authorization: `Bearer ${calls}` };
      },
    };
    const { api, sent } = pacedApi({ requestsPerSecond: 1 }, { auth });
    await settle(requests(api, 2));
    expect(sent).toHaveLength(2);
    // Sent at 100 ms on a turn counted from 0, the first would share a window with the second.
    expect(fullest(sent, 1_000)).toBe(1);
  });

  it('counts a request from when the transport wrote it: requests written late, on new connections, do not bunch with the next window', async () => {
    // The first two open their connections: written 300 ms after their turns, the next ones at once.
    const { api, sent } = pacedApi({ requestsPerSecond: 2 }, { writeAfterMs: (_path, call) => (call < 2 ? 300 : 0) });
    await settle(requests(api, 4));
    expect(sent).toHaveLength(4);
    // Counted from their turns, the next two would go 1034 ms after those, 734 ms after the first two
    // arrived. (Turns are 130 ms apart at the least: a quarter of the even pace, with the guard.)
    expect(fullest(sent, 1_000)).toBe(2);
    expect(sent.map((s) => s.at - (sent[0] as Sent).at)).toEqual([0, 130, 1_034, 1_164]);
  });

  it('counts a token exchange from when it was written too', async () => {
    const answer = (path: string) => (path.startsWith('/token') ? Response.json({ token: 't', expiresIn: 3_600 }) : Response.json({ data: [] }));
    const holder: { api?: ApiClient } = {};
    const auth = new TokenExchangeAuth(async () => {
      const response = await (holder.api as ApiClient).request({ path: '/token', anonymous: true });
      return response.body as { token: string; expiresIn: number };
    });
    // The exchange opens the first connection: written 300 ms after its turn.
    const { api, sent } = pacedApi({ requestsPerSecond: 2 }, { answer, auth, writeAfterMs: (path) => (path.startsWith('/token') ? 300 : 0) });
    holder.api = api;
    await settle(requests(api, 3));
    expect(sent.map((s) => s.path.split('?')[0])).toEqual(['/token', '/things', '/things', '/things']);
    expect(fullest(sent, 1_000)).toBe(2);
  });

  it('tells listeners when a request waits for its turn or before a retry', async () => {
    const waits: Array<[number, WaitReason]> = [];
    const answer = (path: string, attempt: number) => (attempt === 1 && path.includes('n=0') ? new Response('', { status: 503 }) : Response.json({}));
    const { api } = pacedApi({ requestsPerSecond: 1 }, { answer });
    const stop = api.addWaitListener((ms, reason) => waits.push([ms, reason]));
    await settle(requests(api, 2));
    expect(waits).toEqual(
      expect.arrayContaining([
        [1_034, { kind: 'rate-limit', limit: 1, windowMs: 1_000 }],
        [expect.any(Number), { kind: 'retry', failure: 'HTTP 503', retry: 1 }],
      ]),
    );
    stop();
    const before = waits.length;
    await settle(requests(api, 2, 'more'));
    expect(waits).toHaveLength(before);
  });

  it('turns away requests still waiting when it is closed, without retrying them', async () => {
    const { api, sent } = pacedApi({ requestsPerSecond: 1 });
    const first = api.request({ path: '/things' });
    const second = api.request({ path: '/things', query: { n: 2 } });
    const outcome = second.catch((error: unknown) => error);
    await first;
    await api.close();
    expect(await outcome).toBeInstanceOf(PacerClosedError);
    await vi.runAllTimersAsync();
    expect(sent).toHaveLength(1);
  });
});
