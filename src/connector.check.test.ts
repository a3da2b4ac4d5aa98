import { type AddressInfo, createServer, type Server } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { CHECK_TIMEOUT_MS, checkRetryPolicyOf, parseConfig } from './config.js';
import { run } from './connector.js';
import { Files, memoryOutput } from '../tools/testing/harness.js';
import type { Transport } from './engine/http/transport.js';

/** A secret that must never show in the output. */
const LEAPSOME_SECRET = 'a-leapsome-secret-8c1f';
const files = new Files();
afterEach(() => vi.useRealTimers());
afterAll(() => files.dispose());

/** A config with the read defaults (8 retries, 1 s doubling backoff, 60 s timeout) unless told otherwise. */
const config = (extra: Record<string, unknown> = {}) => ({
  platform: { vendor: 'leapsome', api_key: LEAPSOME_SECRET, base_url: 'http://leapsome.invalid/v1' },
  ...extra,
});

/**
 * Runs `check` on fake timers with a fake transport, advancing time until it answers; returns how
 * long it took in fake time, how many requests it made, and what it printed.
 */
async function timedCheck(transport: Transport, extra: Record<string, unknown> = {}) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const started = Date.now();
  // Fake time starts at the first request: reading the config file is real I/O, during which the loop
  // below keeps advancing the clock, more so on a loaded machine.
  let firstRequest: number | undefined;
  const timed: Transport = (url, init) => {
    firstRequest ??= Date.now();
    return transport(url, init);
  };
  const memory = memoryOutput();
  let code: number | undefined;
  void run(['check', '--config', files.write('config.json', config(extra))], { stdout: memory.stdout, transport: timed }).then((c) => (code = c));
  while (code === undefined && Date.now() - started < 15 * 60_000) {
    await vi.advanceTimersByTimeAsync(firstRequest === undefined ? 5 : 250);
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { code, elapsedMs: Date.now() - (firstRequest ?? started), messages: memory.messages() };
}

describe('check is bounded', () => {
  it('gives up on a host that refuses connections after 2 retries, in seconds', async () => {
    let attempts = 0;
    const refused: Transport = async () => {
      attempts++;
      throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 10.0.0.1:443' } });
    };
    const result = await timedCheck(refused);
    expect(result.code).toBe(0);
    expect(attempts).toBe(3);
    expect(result.elapsedMs).toBeLessThan(10_000);
    const status = result.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/Could not reach Leapsome \(ECONNREFUSED/);
  });

  it('gives up on a host that never answers within 30 seconds', async () => {
    let attempts = 0;
    const silent: Transport = (_url, init) =>
      new Promise((_resolve, reject) => {
        attempts++;
        init.signal?.addEventListener('abort', () => reject(init.signal?.reason));
      });
    const result = await timedCheck(silent);
    expect(result.code).toBe(0);
    expect(attempts).toBeLessThanOrEqual(3);
    expect(result.elapsedMs).toBeLessThan(30_000);
    const status = result.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/no complete answer within 10 s/);
  });

  it('keeps to 2 retries even when the config asks for many more (they are for syncs)', async () => {
    let attempts = 0;
    const failing: Transport = async () => {
      attempts++;
      return new Response('{"message":"unavailable"}', { status: 503, headers: { 'content-type': 'application/json' } });
    };
    const result = await timedCheck(failing, { max_retries: 20, retry_base_delay_seconds: 30 });
    expect(attempts).toBe(3);
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(result.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.message).toMatch(/HTTP 503/);
  });

  it('the check policy never schedules more than ~30 s of work per request', () => {
    for (const extra of [{}, { max_retries: 20, retry_base_delay_seconds: 60, request_timeout_seconds: 600 }]) {
      const policy = checkRetryPolicyOf(parseConfig(config(extra)));
      expect(policy.maxRetries).toBeLessThanOrEqual(2);
      // Attempts are bounded by the deadline; retries stop being scheduled past maxElapsedMs.
      expect(policy.maxElapsedMs + CHECK_TIMEOUT_MS).toBeLessThanOrEqual(30_000);
    }
  });
});

describe('check against a real socket', () => {
  let server: Server | undefined;
  afterAll(() => server?.close());

  it("reports a closed port through the production transport, after the check's 2 retries", async () => {
    // A port that was free a moment ago: connections are refused at once.
    const probe = createServer();
    server = probe;
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as AddressInfo).port)));
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const memory = memoryOutput();
    // The read defaults (8 retries) apply, but without backoff: nothing to wait for between attempts.
    const cfg = {
      ...config({ retry_base_delay_seconds: 0 }),
      platform: { vendor: 'leapsome', api_key: LEAPSOME_SECRET, base_url: `http://127.0.0.1:${port}/v1` },
    };
    const code = await run(['check', '--config', files.write('config.json', cfg)], { stdout: memory.stdout });
    expect(code).toBe(0);
    // Three attempts in all, not the nine a sync's retry policy would make.
    const retries = memory.messages().flatMap((m) => (m.type === 'LOG' && /failed \(ECONNREFUSED/.test(m.log?.message ?? '') ? [m.log?.message] : []));
    expect(retries).toEqual([expect.stringMatching(/retry 1\/2 in 0 ms$/), expect.stringMatching(/retry 2\/2 in 0 ms$/)]);
    const status = memory.messages().find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/Could not reach Leapsome \(ECONNREFUSED/);
    expect(JSON.stringify(memory.messages())).not.toContain(LEAPSOME_SECRET);
  });
});
