/**
 * Unit tests of the connector against the sandbox, all in this process: the sandbox listens on
 * 127.0.0.1, the connector runs in-process and its HTTP goes through msw, which passes every request
 * on to the sandbox, logs it (headers included), and lets a test answer some itself.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { sandboxPlatform, startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js';
import { createMswServer, mswTransport, type MswServer, type SeenRequest } from './engine/msw.js';
import { inProcess, type Connector } from './harness.js';

/** A small sandbox: every stream has records, several pages of most at `page_size` 5, and a start in milliseconds. */
export const TEST_SANDBOX: SandboxOptions = { seed: 42, scale: 0.05 };

type Json = Record<string, unknown>;

/**
 * A Leapsome config for a sandbox: pages of 5 so that paginated streams span several, no practical
 * rate limit, quick retries. `platform` overrides fields of the platform block (undefined removes one).
 */
export function leapsomeConfig(sb: Sandbox, overrides: { platform?: Json } & Json = {}): Json {
  const { platform, ...rest } = overrides;
  return {
    platform: { ...sandboxPlatform(sb, 'leapsome'), ...platform },
    page_size: 5,
    requests_per_second: 100,
    retry_base_delay_seconds: 0.001,
    max_retries: 3,
    ...rest,
  };
}

export interface TestSandbox {
  /** The running sandbox (the one `restart` started, within a test). */
  readonly sb: Sandbox;
  readonly msw: MswServer;
  /** The connector in this process, its HTTP through `msw`. */
  readonly connector: Connector;
  /** Requests to one endpoint (a mount URL plus path, query ignored) since the test began, in order. */
  requestsTo(url: string): SeenRequest[];
  /** Replaces the sandbox, for the rest of the test, by one with these options (added to the file's). */
  restart(options: SandboxOptions): Promise<Sandbox>;
}

/**
 * Starts a sandbox and msw for the test file (vitest hooks): msw's handlers and request log are reset
 * after each test, and a sandbox `restart` started is replaced by the file's again.
 */
export function useSandbox(options: SandboxOptions = TEST_SANDBOX): TestSandbox {
  const msw = createMswServer();
  let shared: Sandbox | undefined;
  let current: Sandbox | undefined;
  beforeAll(async () => {
    msw.listen({ unhandled: 'bypass' });
    shared = current = await startSandbox(options);
  });
  afterEach(async () => {
    msw.reset();
    if (current !== shared) await current?.close();
    current = shared;
  });
  afterAll(async () => {
    msw.close();
    await shared?.close();
  });
  return {
    get sb() {
      if (!current) throw new Error('the sandbox starts in beforeAll');
      return current;
    },
    msw,
    connector: inProcess({ transport: mswTransport }),
    requestsTo: (url) => {
      const target = new URL(url);
      return msw.requests.filter((r) => r.url.origin === target.origin && r.url.pathname === target.pathname);
    },
    restart: async (more) => {
      if (current !== shared) await current?.close();
      current = await startSandbox({ ...options, ...more });
      return current;
    },
  };
}
