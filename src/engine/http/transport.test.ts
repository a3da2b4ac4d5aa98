import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { failureTypeOf, NetworkError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { ApiClient } from './client.js';
import { pooledTransport } from './transport.js';

/**
 * The production transport against a real socket: a server that accepts the connection and then
 * goes silent (before the headers, or half-way through the body) must not hang a sync forever.
 *
 * The socket is real, the clock is not: undici arms its connect, headers and body timeouts with the
 * global `setTimeout` (on a coarse tick of about half a second), which these tests fake for the whole
 * file. Fake time moves on only once the request has reached the server, so the timeout that fires
 * is the one under test, and a transport without read timeouts fails the test instead of hanging it.
 */
let server: Server;
let base: string;
const held: ServerResponse[] = [];
let onArrival: (() => void) | undefined;

/** Resolves when the next request has reached the server (and, for /half-body, got its first bytes). */
function nextArrival(): Promise<void> {
  return new Promise((resolve) => (onArrival = resolve));
}

/** One real turn of the event loop: socket events are delivered, fake timers stay put. */
const realTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves the fake clock on in steps, letting real I/O run between them, until `promise` settles or a
 * minute of fake time has passed: far beyond the limits below, so a request still pending then
 * would have hung.
 */
async function settleWithinAMinute<T>(promise: Promise<T>): Promise<{ settled: true; value: T } | { settled: false }> {
  let outcome: { settled: true; value: T } | undefined;
  void promise.then((value) => (outcome = { settled: true, value }));
  for (let elapsed = 0; outcome === undefined && elapsed < 60_000; elapsed += 250) {
    await vi.advanceTimersByTimeAsync(250);
    await realTurn();
  }
  return outcome ?? { settled: false };
}

beforeAll(async () => {
  // Once for the file: undici keeps one ticking timer for all its timeouts, created on first use.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  server = createServer((request, response) => {
    held.push(response);
    if (request.url === '/half-body') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data": [');
    }
    // Otherwise: never answer.
    onArrival?.();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const response of held) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.useRealTimers();
});

/** Hangs up on every held request first: closing the pool waits for the requests still running. */
async function shutDown(pooled: { close(): Promise<void> }): Promise<void> {
  for (const response of held) response.destroy();
  await pooled.close().catch(() => undefined);
}

/** The undici error behind a failed fetch or body read ("fetch failed" / "terminated" wrap it). */
const causeCode = (error: unknown): unknown => (error instanceof Error ? (error.cause as { code?: unknown } | undefined)?.code : undefined);

describe('the pooled transport times out a silent server', () => {
  it('no headers: the request fails with a headers timeout', async () => {
    const pooled = pooledTransport({ timeoutMs: 300 });
    try {
      const arrived = nextArrival();
      const request = pooled.transport(`${base}/no-headers`, { method: 'GET', headers: {} }).then(
        () => 'answered',
        (error: unknown) => error,
      );
      await arrived;
      const outcome = await settleWithinAMinute(request);
      expect(outcome.settled, 'still pending after a minute').toBe(true);
      expect(causeCode(outcome.settled && outcome.value)).toBe('UND_ERR_HEADERS_TIMEOUT');
    } finally {
      await shutDown(pooled);
    }
  });

  it('half a body: reading the body fails with a body timeout', async () => {
    const pooled = pooledTransport({ timeoutMs: 300 });
    try {
      const arrived = nextArrival();
      const answer = pooled.transport(`${base}/half-body`, { method: 'GET', headers: {} });
      await arrived;
      // The headers are in: the answer has started, only its body stalls.
      const response = await answer;
      expect(response.status).toBe(200);
      const body = response.text().then(
        () => 'read to the end',
        (error: unknown) => error,
      );
      const outcome = await settleWithinAMinute(body);
      expect(outcome.settled, 'still pending after a minute').toBe(true);
      expect(causeCode(outcome.settled && outcome.value)).toBe('UND_ERR_BODY_TIMEOUT');
    } finally {
      await shutDown(pooled);
    }
  });

  it('through the client, a timed-out request is a transient network error, not retried when no retry is allowed', async () => {
    const pooled = pooledTransport({ timeoutMs: 200 });
    const api = new ApiClient({
      name: 'Silent API',
      baseUrl: base,
      transport: pooled.transport,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 5_000 },
      rateLimit: { requestsPerSecond: 100 },
      logger: silentLogger,
    });
    const before = held.length;
    try {
      const arrived = nextArrival();
      const request = api.request({ path: '/no-headers' }).then(
        () => 'answered',
        (error: unknown) => error,
      );
      await arrived;
      const outcome = await settleWithinAMinute(request);
      expect(outcome.settled, 'still pending after a minute').toBe(true);
      const error = outcome.settled ? outcome.value : undefined;
      expect(error).toBeInstanceOf(NetworkError);
      expect(failureTypeOf(error)).toBe('transient_error');
    } finally {
      await api.close();
      await shutDown(pooled);
    }
    expect(held.length - before).toBe(1);
  });
});
