import { bypass, http, HttpResponse } from 'msw';
import { beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_CREDENTIALS } from '../tools/sandbox/index.js';
import { configuredCatalog, type ConnectorOutput } from '../tools/testing/harness.js';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';
import type { ConfiguredAirbyteCatalog } from './protocol/generated.js';

const env = useSandbox();
let catalog: ConfiguredAirbyteCatalog;

// A secret with characters that URL-encode, so every spelling of it can be looked for.
const SECRET = 'sec ret/+&=key-5d0c';
const SCIM_TOKEN = SANDBOX_CREDENTIALS.leapsome.scimToken;

beforeAll(async () => {
  catalog = configuredCatalog((await env.connector.discover(leapsomeConfig(env.sb))).catalog(), { streams: ['goals', 'employees', 'scim_users'] });
});

const url = (path: string) => `${env.sb.mounts.leapsome}${path}`;
const config = (extra: Record<string, unknown> = {}) => leapsomeConfig(env.sb, { platform: { api_key: SECRET }, max_retries: 1, ...extra });
const read = () => env.connector.read(config(), catalog);

/**
 * The sandbox knows one secret, without characters to encode: /token is passed on to it with that
 * one in place of SECRET, as if the account's secret were SECRET. Returns the tokens handed out.
 */
function acceptSecret(): string[] {
  const issued: string[] = [];
  env.msw.server.use(
    http.get(url('/token'), async ({ request }) => {
      const forwarded = new URL(request.url);
      if (forwarded.searchParams.get('secret') === SECRET) forwarded.searchParams.set('secret', SANDBOX_CREDENTIALS.leapsome.apiKey);
      const response = await fetch(bypass(new Request(forwarded, { headers: request.headers })));
      if (response.ok) issued.push(((await response.clone().json()) as { token: string }).token);
      return response;
    }),
  );
  return issued;
}

/** Every way a secret could be spelled in a line: as is, URL-encoded, form-encoded, base64. */
function spellings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), Buffer.from(secret).toString('base64')];
}

function expectNoSecret(result: ConnectorOutput, secrets: string[]): void {
  expect(result.lines.length).toBeGreaterThan(0);
  for (const line of result.lines) {
    for (const secret of secrets) for (const spelling of spellings(secret)) expect(line).not.toContain(spelling);
  }
}

describe('secrets never reach stdout', () => {
  it('when the token exchange URL (?secret=) fails and the server echoes it back', async () => {
    env.msw.server.use(http.get(url('/token'), ({ request }) => HttpResponse.json({ error: `upstream failed for ${request.url}` }, { status: 500 })));
    const checked = await env.connector.check(config());
    expect(checked.connectionStatus()?.status).toBe('FAILED');
    expectNoSecret(checked, [SECRET]);

    const result = await read();
    expect(result.code).toBe(1);
    expect(result.errors().length).toBeGreaterThan(0);
    expectNoSecret(result, [SECRET]);
    // The error still says where it failed, and the echoed URL reached the output, masked.
    expect(result.errors()[0]?.message).toMatch(/HTTP 500/);
    expect(result.stdout).toContain('/v1/token?secret=****');
  });

  it('when the token exchange keeps failing at the network level', async () => {
    env.msw.server.use(http.get(url('/token'), () => HttpResponse.error()));
    const result = await read();
    expect(result.code).toBe(1);
    expectNoSecret(result, [SECRET]);
    expect(result.errors()[0]).toMatchObject({ failure_type: 'transient_error' });
    expect(result.errors()[0]?.internal_message).toMatch(/GET \/leapsome\/v1\/token failed/);
  });

  it('when a data endpoint echoes the exchanged token and the SCIM token in its errors', async () => {
    const issued = acceptSecret();
    const echo = ({ request }: { request: Request }) =>
      HttpResponse.json({ message: `cannot serve ${request.url}`, headers: { authorization: request.headers.get('authorization') } }, { status: 500 });
    env.msw.server.use(http.get(url('/employees'), echo), http.get(`${env.sb.mounts.leapsomeScim}/Users`, echo));
    const result = await read();
    expect(result.code).toBe(1);
    expect(result.errors().map((e) => e.stream_descriptor?.name)).toEqual(['employees', 'scim_users']);
    expect(issued.length).toBeGreaterThan(0);
    expectNoSecret(result, [SECRET, SCIM_TOKEN, ...issued]);
    expect(result.stdout).toMatch(/Bearer \*\*\*\*/);
  });

  it('when a 403 body names the token', async () => {
    const issued = acceptSecret();
    env.msw.server.use(
      http.get(url('/employees'), ({ request }) =>
        HttpResponse.json({ message: `token ${request.headers.get('authorization')?.slice(7)} may not read employees` }, { status: 403 }),
      ),
    );
    const result = await read();
    expect(result.errors()[0]?.failure_type).toBe('config_error');
    expect(issued.length).toBeGreaterThan(0);
    expectNoSecret(result, [SECRET, ...issued]);
  });

  it('in a successful read: logs and states carry no secret either', async () => {
    const issued = acceptSecret();
    const result = await read();
    expect(result.code).toBe(0);
    expect(result.records('goals').length).toBe(env.sb.truth('leapsome', 'goals').length);
    expectNoSecret(result, [SECRET, SCIM_TOKEN, ...issued]);
  });
});
