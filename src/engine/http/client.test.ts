import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectorError, failureTypeOf, HttpError, NetworkError } from '../errors.js';
import type { Logger } from '../logger.js';
import { createMswServer } from '../../../tools/testing/engine/msw.js';
import { TEST_BASE_URL, testApi } from '../../../tools/testing/engine/reader.js';
import { backoffDelay, retryAfterMs } from './retry.js';

const URL_ = `${TEST_BASE_URL}/things`;

/** A handler that answers with each response in turn, then repeats the last one. */
function sequence(...responses: Array<() => Response>) {
  let call = 0;
  return http.get(URL_, () => (responses[Math.min(call++, responses.length - 1)] as () => Response)());
}
const ok = () => HttpResponse.json({ data: [1, 2, 3] });
const status =
  (code: number, headers: Record<string, string> = {}) =>
  () =>
    HttpResponse.json({ message: `status ${code}` }, { status: code, headers });

function capturingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) };
}

const msw = createMswServer();
beforeAll(() => msw.listen());
afterEach(() => {
  msw.reset();
  vi.useRealTimers();
});
afterAll(() => msw.close());

describe('retries', () => {
  it('waits as long as a 429 Retry-After says, then succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    msw.server.use(sequence(status(429, { 'Retry-After': '7' }), ok));
    const logger = capturingLogger();
    const pending = testApi({ logger, retry: { maxElapsedMs: 60_000 } }).request({ path: '/things' });
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );

    await vi.advanceTimersByTimeAsync(6_900);
    expect(msw.requests).toHaveLength(1);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(msw.requests).toHaveLength(2);
    expect((await pending).body).toEqual({ data: [1, 2, 3] });
    expect(logger.lines.join('\n')).toMatch(/HTTP 429.*retry 1\/3 in 7000 ms/);
  });

  it.each([500, 502, 503, 504])('retries HTTP %i and succeeds', async (code) => {
    msw.server.use(sequence(status(code), status(code), ok));
    const response = await testApi().request({ path: '/things' });
    expect(response.body).toEqual({ data: [1, 2, 3] });
    expect(msw.requests).toHaveLength(3);
  });

  it('retries a reset connection and succeeds', async () => {
    msw.server.use(
      sequence(
        () => HttpResponse.error(),
        () => HttpResponse.error(),
        ok,
      ),
    );
    const response = await testApi().request({ path: '/things' });
    expect(response.body).toEqual({ data: [1, 2, 3] });
    expect(msw.requests).toHaveLength(3);
  });

  it('retries a JSON body cut short in transit', async () => {
    msw.server.use(sequence(() => new HttpResponse('{"data": [1, 2', { headers: { 'content-type': 'application/json' } }), ok));
    expect((await testApi().request({ path: '/things' })).body).toEqual({ data: [1, 2, 3] });
  });

  it('retries a page cut short in transit, and reads the whole one lean', async () => {
    const whole = '{"data":[{"id":1,"name":"a"},{"id":2,"name":"b"}],"next":null}';
    msw.server.use(
      sequence(
        () => new HttpResponse(whole.slice(0, 30), { headers: { 'content-type': 'application/json' } }),
        () => new HttpResponse(whole),
      ),
    );
    const response = await testApi().request({ path: '/things', page: { path: 'data', fields: ['id'] } });
    expect(response.body).toEqual({ data: [{ id: 1 }, { id: 2 }], next: null });
    const records = response.listed?.starts.map((start, i) => new TextDecoder().decode(response.bytes?.subarray(start, response.listed?.ends[i])));
    expect(records).toEqual(['{"id":1,"name":"a"}', '{"id":2,"name":"b"}']);
    expect(msw.requests).toHaveLength(2);
  });

  it('gives up after the configured retries with a transient HttpError', async () => {
    msw.server.use(sequence(status(503)));
    const error = await testApi({ retry: { maxRetries: 2 } })
      .request({ path: '/things' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(503);
    expect((error as HttpError).attempts).toBe(3);
    expect(failureTypeOf(error)).toBe('transient_error');
    expect(msw.requests).toHaveLength(3);
  });

  it('gives up on a network that keeps failing with a transient NetworkError', async () => {
    msw.server.use(sequence(() => HttpResponse.error()));
    const error = await testApi({ retry: { maxRetries: 1 } })
      .request({ path: '/things' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(failureTypeOf(error)).toBe('transient_error');
    expect(msw.requests).toHaveLength(2);
  });

  it('does not wait out a Retry-After longer than the time budget', async () => {
    msw.server.use(sequence(status(429, { 'Retry-After': '3600' })));
    const error = await testApi({ retry: { maxElapsedMs: 60_000 } })
      .request({ path: '/things' })
      .catch((e: unknown) => e);
    // Given up at once: an hour's wait does not fit in a minute's budget, so no retry is sent.
    expect((error as HttpError).status).toBe(429);
    expect(msw.requests).toHaveLength(1);
  });

  it('a 429 that outlasts the retries is a transient error, as a 5xx is', async () => {
    msw.server.use(sequence(status(429, { 'Retry-After': '0' })));
    const error = await testApi({ retry: { maxRetries: 1 } })
      .request({ path: '/things' })
      .catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(429);
    expect(failureTypeOf(error)).toBe('transient_error');
    expect(msw.requests).toHaveLength(2);
  });

  it.each([400, 404, 422])('does not retry HTTP %i', async (code) => {
    msw.server.use(sequence(status(code)));
    const error = await testApi()
      .request({ path: '/things' })
      .catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(code);
    expect(msw.requests).toHaveLength(1);
  });

  it('keeps the query string (which may hold a secret) out of error messages', async () => {
    msw.server.use(sequence(status(500)));
    const error = await testApi({ retry: { maxRetries: 0 } })
      .request({ path: '/things', query: { secret: 'hunter2-secret' } })
      .catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });
});

describe('authentication', () => {
  it('re-authenticates exactly once on a 401, then succeeds', async () => {
    let tokens = 0;
    const auth = { headers: async () => ({ authorization: `Bearer t${tokens}` }), invalidate: () => void tokens++ };
    msw.server.use(http.get(URL_, ({ request }) => (request.headers.get('authorization') === 'Bearer t1' ? ok() : status(401)())));
    expect((await testApi({ auth }).request({ path: '/things' })).body).toEqual({ data: [1, 2, 3] });
    expect(tokens).toBe(1);
    expect(msw.requests).toHaveLength(2);
  });

  it('a second 401 is a config error, not an endless loop', async () => {
    let invalidated = 0;
    const auth = { headers: async () => ({ authorization: 'Bearer stale' }), invalidate: () => void invalidated++ };
    msw.server.use(sequence(status(401)));
    const error = await testApi({ auth })
      .request({ path: '/things' })
      .catch((e: unknown) => e);
    expect((error as HttpError).status).toBe(401);
    expect(failureTypeOf(error)).toBe('config_error');
    expect(invalidated).toBe(1);
    expect(msw.requests).toHaveLength(2);
  });

  it('an authentication failure is reported as is, without retrying the request', async () => {
    let calls = 0;
    const auth = {
      headers: async (): Promise<Record<string, string>> => {
        calls++;
        throw new ConnectorError('the vendor rejected the secret', 'config_error');
      },
    };
    msw.server.use(sequence(ok));
    const error = await testApi({ auth })
      .request({ path: '/things' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(failureTypeOf(error)).toBe('config_error');
    expect(calls).toBe(1);
    expect(msw.requests).toHaveLength(0);
  });
});

describe('backoff', () => {
  const policy = { maxRetries: 8, baseDelayMs: 1_000, maxDelayMs: 60_000, maxElapsedMs: 600_000 };

  it('grows exponentially with jitter and stays under the cap', () => {
    for (let retry = 0; retry < 10; retry++) {
      const ceiling = Math.min(60_000, 1_000 * 2 ** retry);
      expect(backoffDelay(policy, retry, undefined, () => 0)).toBe(ceiling / 2);
      expect(backoffDelay(policy, retry, undefined, () => 0.999_999)).toBeLessThanOrEqual(ceiling);
    }
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 01 Jan 2025 00:00:10 GMT' }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers(), now)).toBeUndefined();
  });
});
