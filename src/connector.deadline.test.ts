import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { run } from './connector.js';
import type { Transport } from './engine/http/transport.js';
import { Files, memoryOutput } from '../tools/testing/harness.js';

/**
 * `request_deadline_seconds` from the config to every request of a read: a server that answers a
 * page at once but then trickles its body for ever fails the stream, transiently, once the retries
 * have each run into the deadline. On fake time.
 */
const files = new Files();
afterEach(() => vi.useRealTimers());
afterAll(() => files.dispose());

const config = (extra: Record<string, unknown>) => ({
  platform: { vendor: 'leapsome', api_key: 'a-leapsome-secret-31d0', base_url: 'http://leapsome.test/v1' },
  ...extra,
});
const catalog = {
  streams: [
    { stream: { name: 'employees', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' },
  ],
};

/** The token exchange answers; every other request gets its headers and one byte of body, then a byte now and then, never the end. */
function tricklingLeapsome(pages: string[]): Transport {
  return async (url, init) => {
    if (new URL(url).pathname.endsWith('/token')) return Response.json({ token: 'jwt', expiresIn: 18_000 });
    pages.push(url);
    const body = new ReadableStream<Uint8Array>({
      start(stream) {
        stream.enqueue(new TextEncoder().encode('{"data": ['));
        const drip = setInterval(() => stream.enqueue(new TextEncoder().encode(' ')), 1_000);
        init.signal?.addEventListener('abort', () => {
          clearInterval(drip);
          stream.error(init.signal?.reason);
        });
      },
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'application/json' } });
  };
}

/** Runs `read` on fake time until it exits; the fake time taken from the first page request on. */
async function timedRead(extra: Record<string, unknown>) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  const pages: string[] = [];
  let firstPage: number | undefined;
  const transport = tricklingLeapsome(pages);
  const timed: Transport = (url, init) => {
    if (!new URL(url).pathname.endsWith('/token')) firstPage ??= Date.now();
    return transport(url, init);
  };
  const memory = memoryOutput();
  let code: number | undefined;
  const argv = ['read', '--config', files.write('config.json', config(extra)), '--catalog', files.write('catalog.json', catalog)];
  void run(argv, { stdout: memory.stdout, transport: timed }).then((c) => (code = c));
  const started = Date.now();
  while (code === undefined && Date.now() - started < 60 * 60_000) {
    await vi.advanceTimersByTimeAsync(firstPage === undefined ? 5 : 250);
    await new Promise((resolve) => setImmediate(resolve));
  }
  const errors = memory
    .messages()
    .filter((m) => m.type === 'TRACE' && m.trace?.type === 'ERROR')
    .map((m) => m.trace?.error);
  return { code, pages, errors, elapsedMs: Date.now() - (firstPage ?? started) };
}

describe('the request deadline of a read', () => {
  it('request_deadline_seconds ends each attempt of a trickling page; after the retries the stream fails transiently', async () => {
    const result = await timedRead({ request_deadline_seconds: 3, max_retries: 2, retry_base_delay_seconds: 0.1 });
    expect(result.code).toBe(1);
    expect(result.pages).toHaveLength(3);
    expect(result.errors.map((e) => e?.failure_type)).toContain('transient_error');
    expect(JSON.stringify(result.errors)).toMatch(/GET \/v1\/employees failed after 3 attempt\(s\): no complete answer within 3 s/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(9_000);
    expect(result.elapsedMs).toBeLessThan(9_000 + 1_000);
  });

  it('with the defaults, a trickling page fails after two attempts of 300 s: about ten minutes', async () => {
    const result = await timedRead({});
    expect(result.code).toBe(1);
    expect(result.pages).toHaveLength(2);
    expect(JSON.stringify(result.errors)).toMatch(/failed after 2 attempt\(s\): no complete answer within 300 s/);
    expect(result.elapsedMs).toBeGreaterThanOrEqual(600_000);
    expect(result.elapsedMs).toBeLessThan(602_000);
  });
});
