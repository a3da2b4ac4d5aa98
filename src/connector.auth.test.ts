import { http } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createMswServer, requestsTo } from '../tools/testing/engine/msw.js';
import { errorTracesOf, recordsOf, statusesOf } from '../tools/testing/engine/messages.js';
import { configure, discover, Files, read, runConnector } from '../tools/testing/connector.js';
import { fakeLeapsome, LEAPSOME_SCIM_TOKEN, LEAPSOME_SECRET, LEAPSOME_URL, leapsomeConfig, type FakeLeapsome } from '../tools/testing/fake-leapsome.js';

const msw = createMswServer();
const files = new Files();

beforeAll(() => msw.listen());
afterEach(() => {
  msw.reset();
  vi.useRealTimers();
});
afterAll(() => {
  msw.close();
  files.dispose();
});

function useFake(options: Parameters<typeof fakeLeapsome>[0] = {}): FakeLeapsome {
  const fake = fakeLeapsome(options);
  msw.server.use(...fake.handlers);
  return fake;
}

const tokenRequests = () => requestsTo(msw, '/v1/token');
const dataRequests = () => msw.requests.filter((r) => r.url.pathname !== '/v1/token');

describe('Leapsome token exchange', () => {
  it('exchanges the secret once, reuses the token for every request, and sends the secret nowhere else', async () => {
    const fake = useFake();
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals', 'goal_comments', 'employees', 'feedback']);
    const result = await read(files, leapsomeConfig(), catalog);
    expect(result.code).toBe(0);
    expect(tokenRequests()).toHaveLength(1);
    expect(fake.unauthorized).toBe(0);
    const contentRequests = dataRequests().filter((r) => r.url.pathname.startsWith('/v1/'));
    expect(contentRequests.length).toBeGreaterThan(10);
    for (const request of contentRequests) {
      expect(request.headers.get('authorization')).toBe(`Bearer ${fake.issued[0]}`);
      expect(request.url.search).not.toContain(LEAPSOME_SECRET);
    }
  });

  it('exchanges again shortly before the token expires, without waiting for a 401', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2025-01-01T00:00:00Z'));
    const fake = useFake({ tokenTtlSeconds: 18_000 });
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals']);
    // After every goals page, 2h29m45s pass (in fake time): the third page is asked for 30 seconds
    // before the 5-hour token expires, too close to risk it.
    const slowPages = ({ request }: { request: Request }) => {
      if (new URL(request.url).pathname === '/v1/goals') vi.setSystemTime(Date.now() + (5 * 3_600 - 30) * 500);
    };
    msw.server.events.on('response:mocked', slowPages);
    const result = await read(files, leapsomeConfig(), catalog).finally(() => msw.server.events.removeListener('response:mocked', slowPages));
    expect(result.code).toBe(0);
    expect(recordsOf(result.messages, 'goals')).toHaveLength(fake.data.goals.length);
    const pages = requestsTo(msw, '/v1/goals').map((r) => r.headers.get('authorization'));
    expect(pages).toEqual([`Bearer ${fake.issued[0]}`, `Bearer ${fake.issued[0]}`, `Bearer ${fake.issued[1]}`, `Bearer ${fake.issued[1]}`]);
    expect(fake.unauthorized).toBe(0);
  });

  it('on a 401 exchanges exactly once more, then succeeds', async () => {
    const fake = useFake();
    let served = 0;
    msw.server.use(
      http.get(`${LEAPSOME_URL}/goals`, () => {
        // The vendor drops every token after the first page.
        if (++served === 2) fake.revokeTokens();
        return undefined;
      }),
    );
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals']);
    const result = await read(files, leapsomeConfig(), catalog);
    expect(result.code).toBe(0);
    expect(recordsOf(result.messages, 'goals')).toHaveLength(fake.data.goals.length);
    expect(fake.unauthorized).toBe(1);
    expect(tokenRequests()).toHaveLength(2);
  });

  it('a token refused twice in a row fails the stream with a config error instead of looping', async () => {
    const fake = useFake();
    msw.server.use(
      http.get(`${LEAPSOME_URL}/goals`, () => {
        fake.revokeTokens();
        return undefined;
      }),
    );
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals', 'goal_tags']);
    const result = await read(files, leapsomeConfig(), catalog);
    expect(result.code).toBe(1);
    const [error] = errorTracesOf(result.messages);
    expect(error?.failure_type).toBe('config_error');
    expect(error?.stream_descriptor?.name).toBe('goals');
    expect(statusesOf(result.messages, 'goal_tags')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
  });
});

describe('rejected credentials', () => {
  const wrong = leapsomeConfig({ platform: { api_key: 'wrong-secret-0000' } });

  it('check: CONNECTION_STATUS FAILED naming the secret, never containing it, exit 0, one exchange attempt', async () => {
    useFake();
    const result = await runConnector(['check', '--config', files.write('config.json', wrong)]);
    expect(result.code).toBe(0);
    expect(result.messages.map((m) => m.type)).toEqual(['CONNECTION_STATUS']);
    const status = result.messages[0]?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/Leapsome rejected the Content API secret \(HTTP 401\)/);
    expect(result.lines.join('\n')).not.toContain('wrong-secret-0000');
    // A refused secret is not a network hiccup: asking again cannot help.
    expect(tokenRequests()).toHaveLength(1);
  });

  it('read: every stream fails with a config_error naming the secret, exit 1, the secret never printed', async () => {
    useFake();
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals', 'employees']);
    const result = await read(files, wrong, catalog);
    expect(result.code).toBe(1);
    const errors = errorTracesOf(result.messages);
    expect(errors.map((e) => [e.stream_descriptor?.name, e.failure_type])).toEqual([
      ['goals', 'config_error'],
      ['employees', 'config_error'],
    ]);
    for (const error of errors) expect(error.message).toMatch(/Content API secret/);
    expect(result.lines.join('\n')).not.toContain('wrong-secret-0000');
    expect(recordsOf(result.messages, 'goals')).toEqual([]);
  });

  it('check: a wrong SCIM token fails naming the SCIM token', async () => {
    useFake();
    const config = leapsomeConfig({ platform: { scim_token: 'not-the-scim-token' } });
    const result = await runConnector(['check', '--config', files.write('config.json', config)]);
    expect(result.code).toBe(0);
    expect(result.messages[0]?.connectionStatus?.status).toBe('FAILED');
    expect(result.messages[0]?.connectionStatus?.message).toMatch(/SCIM token/);
    expect(result.lines.join('\n')).not.toContain('not-the-scim-token');
  });

  it('check: good credentials succeed', async () => {
    useFake();
    const result = await runConnector(['check', '--config', files.write('config.json', leapsomeConfig())]);
    expect(result.code).toBe(0);
    expect(result.messages).toEqual([{ type: 'CONNECTION_STATUS', connectionStatus: { status: 'SUCCEEDED' } }]);
    expect(requestsTo(msw, '/scim/v1/Users')[0]?.headers.get('authorization')).toBe(`Bearer ${LEAPSOME_SCIM_TOKEN}`);
  });
});
