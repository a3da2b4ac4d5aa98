import { bypass, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SANDBOX_CREDENTIALS, type Sandbox } from '../tools/sandbox/index.js';
import { configuredCatalog } from '../tools/testing/harness.js';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';

const env = useSandbox();
afterEach(() => vi.useRealTimers());

const { apiKey: SECRET, scimToken: SCIM_TOKEN } = SANDBOX_CREDENTIALS.leapsome;
const config = (overrides = {}) => leapsomeConfig(env.sb, overrides);
const discover = async (streams: string[]) => configuredCatalog((await env.connector.discover(config())).catalog(), { streams });
const url = (path: string) => `${env.sb.mounts.leapsome}${path}`;
const tokenRequests = () => env.requestsTo(url('/token'));
/** Responses the sandbox refused for a missing, unknown or expired token. */
const unauthorized = (sb: Sandbox) => sb.stats.byStatus['401'] ?? 0;

/** Passes /token on to the sandbox and keeps the tokens it hands out, in order. */
function watchTokens(): string[] {
  const issued: string[] = [];
  env.msw.server.use(
    http.get(url('/token'), async ({ request }) => {
      const response = await fetch(bypass(request));
      if (response.ok) issued.push(((await response.clone().json()) as { token: string }).token);
      return response;
    }),
  );
  return issued;
}

describe('Leapsome token exchange', () => {
  it('exchanges the secret once, reuses the token for every request, and sends the secret nowhere else', async () => {
    const sb = await env.restart({});
    const catalog = await discover(['goals', 'goal_comments', 'employees', 'feedback']);
    const issued = watchTokens();
    const result = await env.connector.read(config(), catalog);
    expect(result.code).toBe(0);
    expect(tokenRequests()).toHaveLength(1);
    expect(issued).toHaveLength(1);
    expect(unauthorized(sb)).toBe(0);
    const contentRequests = env.msw.requests.filter((r) => r.url.href.startsWith(url('/')) && r.url.pathname !== new URL(url('/token')).pathname);
    expect(contentRequests.length).toBeGreaterThan(10);
    for (const request of contentRequests) {
      expect(request.headers.get('authorization')).toBe(`Bearer ${issued[0]}`);
      expect(request.url.search).not.toContain(SECRET);
    }
  });

  it('exchanges again shortly before the token expires, without waiting for a 401', async () => {
    // The fake clock moves on with real time too, as a real one does: the pacer waits for it.
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true });
    vi.setSystemTime(Date.parse('2025-01-01T00:00:00Z'));
    // The sandbox's clock is the fake one too: its tokens live 5 hours of it.
    const sb = await env.restart({ tokenTtlSeconds: 18_000, now: () => Date.now() });
    const catalog = await discover(['goals']);
    const issued = watchTokens();
    // After every goals page, 2h29m45s pass (in fake time): the third page is asked for 30 seconds
    // before the 5-hour token expires, too close to risk it.
    env.msw.server.use(
      http.get(url('/goals'), async ({ request }) => {
        const response = await fetch(bypass(request));
        vi.setSystemTime(Date.now() + (5 * 3_600 - 30) * 500);
        return response;
      }),
    );
    // Pages of 4 goals: four pages.
    const result = await env.connector.read(config({ page_size: 4 }), catalog);
    expect(result.code).toBe(0);
    expect(result.records('goals')).toHaveLength(sb.truth('leapsome', 'goals').length);
    const pages = env.requestsTo(url('/goals')).map((r) => r.headers.get('authorization'));
    expect(issued).toHaveLength(2);
    expect(pages).toEqual([`Bearer ${issued[0]}`, `Bearer ${issued[0]}`, `Bearer ${issued[1]}`, `Bearer ${issued[1]}`]);
    expect(unauthorized(sb)).toBe(0);
  });

  it('on a 401 exchanges exactly once more, then succeeds', async () => {
    // The sandbox's clock jumps past the token's lifetime when the second goals page is asked for:
    // to the connector, its token stopped working early, as when the vendor revokes it.
    let skewMs = 0;
    const sb = await env.restart({ now: () => Date.now() + skewMs });
    let served = 0;
    env.msw.server.use(
      http.get(url('/goals'), () => {
        if (++served === 2) skewMs += (18_000 + 1) * 1000;
        return undefined;
      }),
    );
    const catalog = await discover(['goals']);
    const result = await env.connector.read(config(), catalog);
    expect(result.code).toBe(0);
    expect(result.records('goals')).toHaveLength(sb.truth('leapsome', 'goals').length);
    expect(unauthorized(sb)).toBe(1);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('a token refused twice in a row fails the stream with a config error instead of looping', async () => {
    // Every goals request finds its token expired.
    let skewMs = 0;
    const sb = await env.restart({ now: () => Date.now() + skewMs });
    env.msw.server.use(
      http.get(url('/goals'), () => {
        skewMs += (18_000 + 1) * 1000;
        return undefined;
      }),
    );
    const catalog = await discover(['goals', 'goal_tags']);
    const result = await env.connector.read(config(), catalog);
    expect(result.code).toBe(1);
    const [error] = result.errors();
    expect(error?.failure_type).toBe('config_error');
    expect(error?.stream_descriptor?.name).toBe('goals');
    // Two refusals of goals, then no third try.
    expect(sb.stats.recent.filter((r) => r.status === 401 && new URL(r.url, sb.url).pathname === new URL(url('/goals')).pathname)).toHaveLength(2);
    expect(result.statuses('goal_tags')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(result.records('goal_tags').length).toBe(sb.truth('leapsome', 'goal_tags').length);
  });
});

describe('rejected credentials', () => {
  const wrong = () => config({ platform: { api_key: 'wrong-secret-0000' } });

  it('check: CONNECTION_STATUS FAILED naming the secret, never containing it, exit 0, one exchange attempt', async () => {
    const result = await env.connector.check(wrong());
    expect(result.code).toBe(0);
    expect(result.messages.map((m) => m.type)).toEqual(['CONNECTION_STATUS']);
    const status = result.connectionStatus();
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/Leapsome rejected the Content API secret \(HTTP 401\)/);
    expect(result.stdout).not.toContain('wrong-secret-0000');
    // A refused secret is not a network hiccup: asking again cannot help.
    expect(tokenRequests()).toHaveLength(1);
  });

  it('read: every stream fails with a config_error naming the secret, exit 1, the secret never printed', async () => {
    const catalog = await discover(['goals', 'employees']);
    const result = await env.connector.read(wrong(), catalog);
    expect(result.code).toBe(1);
    const errors = result.errors();
    expect(errors.map((e) => [e.stream_descriptor?.name, e.failure_type])).toEqual([
      ['goals', 'config_error'],
      ['employees', 'config_error'],
    ]);
    for (const error of errors) expect(error.message).toMatch(/Content API secret/);
    expect(result.stdout).not.toContain('wrong-secret-0000');
    expect(result.records('goals')).toEqual([]);
  });

  it('check: a wrong SCIM token fails naming the SCIM token', async () => {
    const result = await env.connector.check(config({ platform: { scim_token: 'not-the-scim-token' } }));
    expect(result.code).toBe(0);
    expect(result.connectionStatus()?.status).toBe('FAILED');
    expect(result.connectionStatus()?.message).toMatch(/SCIM token/);
    expect(result.stdout).not.toContain('not-the-scim-token');
  });

  it('check: good credentials succeed', async () => {
    const result = await env.connector.check(config());
    expect(result.code).toBe(0);
    expect(result.messages).toEqual([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
    expect(env.requestsTo(`${env.sb.mounts.leapsomeScim}/Users`)[0]?.headers.get('authorization')).toBe(`Bearer ${SCIM_TOKEN}`);
  });
});
