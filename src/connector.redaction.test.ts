import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMswServer } from '../tools/testing/engine/msw.js';
import { errorTracesOf } from '../tools/testing/engine/messages.js';
import type { ConfiguredAirbyteCatalog } from './protocol/generated.js';
import { configure, discover, Files, read, runConnector, type ConnectorRun } from '../tools/testing/connector.js';
import { fakeLeapsome, LEAPSOME_SCIM_TOKEN, LEAPSOME_SCIM_URL, LEAPSOME_URL, leapsomeConfig, type FakeLeapsome } from '../tools/testing/fake-leapsome.js';

const msw = createMswServer();
const files = new Files();
let catalog: ConfiguredAirbyteCatalog;

// A secret with characters that URL-encode, so every spelling of it can be looked for.
const SECRET = 'sec ret/+&=key-5d0c';

beforeAll(async () => {
  msw.listen();
  catalog = configure(await discover(files, leapsomeConfig()), ['goals', 'employees', 'scim_users']);
});
afterEach(() => msw.reset());
afterAll(() => {
  msw.close();
  files.dispose();
});

function useFake(): FakeLeapsome {
  const fake = fakeLeapsome({ secret: SECRET });
  msw.server.use(...fake.handlers);
  return fake;
}

const config = (extra: Record<string, unknown> = {}) => leapsomeConfig({ platform: { api_key: SECRET }, max_retries: 1, ...extra });

/** Every way a secret could be spelled in a line: as is, URL-encoded, form-encoded, base64. */
function spellings(secret: string): string[] {
  return [secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2), Buffer.from(secret).toString('base64')];
}

function expectNoSecret(result: ConnectorRun, secrets: string[]): void {
  expect(result.lines.length).toBeGreaterThan(0);
  for (const line of result.lines) {
    for (const secret of secrets) for (const spelling of spellings(secret)) expect(line).not.toContain(spelling);
  }
}

describe('secrets never reach stdout', () => {
  it('when the token exchange URL (?secret=) fails and the server echoes it back', async () => {
    useFake();
    msw.server.use(
      http.get(`${LEAPSOME_URL}/token`, ({ request }) => HttpResponse.json({ error: `upstream failed for ${request.url}` }, { status: 500 })),
    );
    const checked = await runConnector(['check', '--config', files.write('config.json', config())]);
    expect(checked.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.status).toBe('FAILED');
    expectNoSecret(checked, [SECRET]);

    const result = await read(files, config(), catalog);
    expect(result.code).toBe(1);
    expect(errorTracesOf(result.messages).length).toBeGreaterThan(0);
    expectNoSecret(result, [SECRET]);
    // The error still says where it failed, and the echoed URL reached the output, masked.
    expect(errorTracesOf(result.messages)[0]?.message).toMatch(/HTTP 500/);
    expect(result.lines.join('\n')).toContain('/v1/token?secret=****');
  });

  it('when the token exchange keeps failing at the network level', async () => {
    useFake();
    msw.server.use(http.get(`${LEAPSOME_URL}/token`, () => HttpResponse.error()));
    const result = await read(files, config(), catalog);
    expect(result.code).toBe(1);
    expectNoSecret(result, [SECRET]);
    expect(errorTracesOf(result.messages)[0]).toMatchObject({ failure_type: 'transient_error' });
    expect(errorTracesOf(result.messages)[0]?.internal_message).toMatch(/GET \/v1\/token failed/);
  });

  it('when a data endpoint echoes the exchanged token and the SCIM token in its errors', async () => {
    const fake = useFake();
    const echo = ({ request }: { request: Request }) =>
      HttpResponse.json({ message: `cannot serve ${request.url}`, headers: { authorization: request.headers.get('authorization') } }, { status: 500 });
    msw.server.use(http.get(`${LEAPSOME_URL}/employees`, echo), http.get(`${LEAPSOME_SCIM_URL}/Users`, echo));
    const result = await read(files, config(), catalog);
    expect(result.code).toBe(1);
    expect(errorTracesOf(result.messages).map((e) => e.stream_descriptor?.name)).toEqual(['employees', 'scim_users']);
    expect(fake.issued.length).toBeGreaterThan(0);
    expectNoSecret(result, [SECRET, LEAPSOME_SCIM_TOKEN, ...fake.issued]);
    expect(result.lines.join('\n')).toMatch(/Bearer \*\*\*\*/);
  });

  it('when a 403 body names the token', async () => {
    const fake = useFake();
    msw.server.use(
      http.get(`${LEAPSOME_URL}/employees`, ({ request }) =>
        HttpResponse.json({ message: `token ${request.headers.get('authorization')?.slice(7)} may not read employees` }, { status: 403 }),
      ),
    );
    const result = await read(files, config(), catalog);
    expect(errorTracesOf(result.messages)[0]?.failure_type).toBe('config_error');
    expectNoSecret(result, [SECRET, ...fake.issued]);
  });

  it('in a successful read: logs and states carry no secret either', async () => {
    const fake = useFake();
    const result = await read(files, config(), catalog);
    expect(result.code).toBe(0);
    expectNoSecret(result, [SECRET, LEAPSOME_SCIM_TOKEN, ...fake.issued]);
  });
});
