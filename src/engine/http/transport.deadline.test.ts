import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { failureTypeOf, NetworkError } from '../errors.js';
import { silentLogger, type Logger } from '../logger.js';
import { ApiClient } from './client.js';
import { DeadlineExceeded, withDeadline, type Transport, type TransportRequest } from './transport.js';

/**
 * The total deadline of `withDeadline`, over transports that answer as told, on fake time. The
 * socket-level cases (a trickling server, one that never answers, a stalled TLS handshake, a host
 * that does not resolve) are in transport.test.ts.
 */
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A body that sends one chunk now and then nothing, until its request is aborted. */
function endlessBody(signal: AbortSignal | undefined): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(stream) {
      stream.enqueue(new TextEncoder().encode('{"data": ['));
      signal?.addEventListener('abort', () => stream.error(signal.reason));
    },
  });
}

/** Answers 200 with headers at once, and either a whole JSON body or one that never ends. */
function fakeTransport(body: 'whole' | 'endless', seen: TransportRequest[] = []): Transport {
  return async (_url, init) => {
    seen.push(init);
    if (init.signal?.aborted) throw init.signal.reason;
    const headers = { 'content-type': 'application/json', 'x-answer': 'yes' };
    return body === 'whole' ? new Response('{"data": [1]}', { status: 200, headers }) : new Response(endlessBody(init.signal), { status: 200, headers });
  };
}

const outcomeOf = <T>(promise: Promise<T>) =>
  promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('withDeadline', () => {
  it('aborts a body that has not ended within the deadline, with DeadlineExceeded, not before', async () => {
    const response = await withDeadline(fakeTransport('endless'), 2_000)('http://api.test/things', { method: 'GET', headers: {} });
    expect(response.status).toBe(200);
    let settled: { value?: unknown; error?: unknown } | undefined;
    void outcomeOf(response.text()).then((outcome) => (settled = outcome));

    await vi.advanceTimersByTimeAsync(1_999);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled?.error).toBeInstanceOf(DeadlineExceeded);
    expect((settled?.error as Error | undefined)?.message).toBe('no complete answer within 2 s');
  });

  it('keeps the status and headers of the answer, and stops its clock once the body is read', async () => {
    const response = await withDeadline(fakeTransport('whole'), 2_000)('http://api.test/things', { method: 'GET', headers: {} });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-answer')).toBe('yes');
    expect(vi.getTimerCount()).toBe(1);
    expect(JSON.parse(await response.text())).toEqual({ data: [1] });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops its clock when the body is cancelled, and when the request fails', async () => {
    const response = await withDeadline(fakeTransport('endless'), 2_000)('http://api.test/things', { method: 'GET', headers: {} });
    await response.body?.cancel();
    expect(vi.getTimerCount()).toBe(0);

    const failing: Transport = async () => {
      throw new TypeError('fetch failed');
    };
    await expect(withDeadline(failing, 2_000)('http://api.test/things', { method: 'GET', headers: {} })).rejects.toThrow('fetch failed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it("still lets the caller's own signal cancel the request", async () => {
    const seen: TransportRequest[] = [];
    const caller = new AbortController();
    const response = await withDeadline(fakeTransport('endless', seen), 60_000)('http://api.test/things', {
      method: 'GET',
      headers: {},
      signal: caller.signal,
    });
    const body = outcomeOf(response.text());
    caller.abort(new Error('stopped by the caller'));
    expect(((await body) as { error?: Error }).error?.message).toBe('stopped by the caller');
    expect(seen[0]?.signal).not.toBe(caller.signal);
  });
});

describe('through the client', () => {
  const client = (transport: Transport, logger: Logger = silentLogger) =>
    new ApiClient({
      name: 'Trickling API',
      baseUrl: 'http://api.test',
      transport,
      retry: { maxRetries: 1, baseDelayMs: 100, maxDelayMs: 100, maxElapsedMs: 60_000 },
      rateLimit: { requestsPerSecond: 100 },
      logger,
    });

  it('an answer still incomplete at the deadline is retried, then fails as a transient network error', async () => {
    const seen: TransportRequest[] = [];
    const lines: string[] = [];
    const logger: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
    const api = client(withDeadline(fakeTransport('endless', seen), 2_000), logger);
    let settled: { value?: unknown; error?: unknown } | undefined;
    void outcomeOf(api.request({ path: '/things' })).then((outcome) => (settled = outcome));

    await vi.advanceTimersByTimeAsync(2_000);
    expect(seen).toHaveLength(1);
    expect(settled).toBeUndefined();
    expect(lines.join('\n')).toMatch(/GET \/things failed \(no complete answer within 2 s\); retry 1\/1/);
    await vi.advanceTimersByTimeAsync(100 + 2_000);
    expect(seen).toHaveLength(2);
    expect(settled?.error).toBeInstanceOf(NetworkError);
    expect(failureTypeOf(settled?.error)).toBe('transient_error');
    expect((settled?.error as Error | undefined)?.message).toBe('GET /things failed after 2 attempt(s): no complete answer within 2 s');
    await api.close();
  });

  it('a host name that does not resolve is retried once, not for minutes, and named in the error', async () => {
    let attempts = 0;
    const unresolved: Transport = async () => {
      attempts++;
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('getaddrinfo ENOTFOUND api.invalid'), { code: 'ENOTFOUND', hostname: 'api.invalid' }),
      });
    };
    const api = new ApiClient({
      name: 'Nowhere API',
      baseUrl: 'http://api.invalid',
      transport: unresolved,
      retry: { maxRetries: 8, baseDelayMs: 1_000, maxDelayMs: 60_000, maxElapsedMs: 600_000 },
      rateLimit: { requestsPerSecond: 100 },
      logger: silentLogger,
    });
    const outcome = outcomeOf(api.request({ path: '/things' }));
    await vi.advanceTimersByTimeAsync(1_000);
    const { error } = (await outcome) as { error?: unknown };
    expect(attempts).toBe(2);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe('GET /things failed after 2 attempt(s): ENOTFOUND: the host name api.invalid does not resolve');
    await api.close();
  });
});
