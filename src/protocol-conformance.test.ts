import { Ajv } from 'ajv';
import { http, HttpResponse } from 'msw';
import { describe, expect, it } from 'vitest';
import { protocolSchema } from '../integration_tests/acceptance/protocol.js';
import { configuredCatalog, type ConnectorOutput } from '../tools/testing/harness.js';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';
import type { AirbyteMessage } from './protocol/generated.js';

// The official protocol schema, generated with the types and committed.
const protocol = protocolSchema();
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(protocol, 'protocol');
const validateMessage = ajv.getSchema('protocol#/definitions/AirbyteMessage');

const env = useSandbox();
const config = (overrides = {}) => leapsomeConfig(env.sb, overrides);

function expectConformant(result: ConnectorOutput): void {
  expect(result.lines.length).toBeGreaterThan(0);
  for (const line of result.lines) {
    const message = JSON.parse(line) as AirbyteMessage;
    expect(validateMessage?.(message), `${line.slice(0, 200)}: ${JSON.stringify(validateMessage?.errors)}`).toBe(true);
    // What the protocol leaves open but this connector fixes: STREAM states only, and a descriptor on every stream trace.
    if (message.type === 'STATE') {
      expect(message.state?.type).toBe('STREAM');
      expect(typeof message.state?.sourceStats?.recordCount).toBe('number');
    }
    if (message.type === 'RECORD') expect(message.record?.emitted_at).toBeGreaterThan(1_600_000_000_000);
  }
}

describe('every line printed is an AirbyteMessage per the official protocol schema', () => {
  it('spec', async () => expectConformant(await env.connector.spec()));

  it('check, succeeding and failing', async () => {
    const succeeded = await env.connector.check(config());
    expect(succeeded.connectionStatus()?.status).toBe('SUCCEEDED');
    expectConformant(succeeded);
    const failed = await env.connector.check(config({ platform: { api_key: 'nope-nope' } }));
    expect(failed.connectionStatus()?.status).toBe('FAILED');
    expectConformant(failed);
  });

  it('discover', async () => expectConformant(await env.connector.discover(config())));

  it('read, with records, states, estimates, statuses, logs and a failing stream', async () => {
    env.msw.server.use(http.get(`${env.sb.mounts.leapsome}/feedback`, () => HttpResponse.json({}, { status: 500 })));
    const catalog = configuredCatalog((await env.connector.discover(config())).catalog());
    const result = await env.connector.read(config({ max_retries: 1 }), catalog);
    expect(result.code).toBe(1);
    expectConformant(result);
    const types = new Set(result.messages.map((m) => (m.type === 'TRACE' ? `TRACE ${m.trace?.type}` : m.type)));
    expect([...types].sort()).toEqual(['LOG', 'RECORD', 'STATE', 'TRACE ERROR', 'TRACE ESTIMATE', 'TRACE STREAM_STATUS']);
  });

  it('a config error', async () => expectConformant(await env.connector.run('read', { config: { platform: {} } })));
});
