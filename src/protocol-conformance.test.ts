import { Ajv } from 'ajv';
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { protocolSchema } from '../integration_tests/acceptance/protocol.js';
import { createMswServer } from '../tools/testing/engine/msw.js';
import type { AirbyteMessage } from './protocol/generated.js';
import { configure, discover, Files, read, runConnector, type ConnectorRun } from '../tools/testing/connector.js';
import { fakeLeapsome, LEAPSOME_URL, leapsomeConfig } from '../tools/testing/fake-leapsome.js';

// The official protocol schema, generated with the types and committed.
const protocol = protocolSchema();
const ajv = new Ajv({ strict: false, allErrors: true });
ajv.addSchema(protocol, 'protocol');
const validateMessage = ajv.getSchema('protocol#/definitions/AirbyteMessage');

const msw = createMswServer();
const files = new Files();
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => {
  msw.close();
  files.dispose();
});

function expectConformant(result: ConnectorRun): void {
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
  it('spec', async () => expectConformant(await runConnector(['spec'])));

  it('check, succeeding and failing', async () => {
    msw.server.use(...fakeLeapsome().handlers);
    expectConformant(await runConnector(['check', '--config', files.write('config.json', leapsomeConfig())]));
    expectConformant(await runConnector(['check', '--config', files.write('config.json', leapsomeConfig({ platform: { api_key: 'nope-nope' } }))]));
  });

  it('discover', async () => expectConformant(await runConnector(['discover', '--config', files.write('config.json', leapsomeConfig())])));

  it('read, with records, states, estimates, statuses, logs and a failing stream', async () => {
    const fake = fakeLeapsome();
    msw.server.use(http.get(`${LEAPSOME_URL}/feedback`, () => HttpResponse.json({}, { status: 500 })), ...fake.handlers);
    const catalog = configure(await discover(files, leapsomeConfig()));
    const result = await read(files, leapsomeConfig({ max_retries: 1 }), catalog);
    expect(result.code).toBe(1);
    expectConformant(result);
    const types = new Set(result.messages.map((m) => (m.type === 'TRACE' ? `TRACE ${m.trace?.type}` : m.type)));
    expect([...types].sort()).toEqual(['LOG', 'RECORD', 'STATE', 'TRACE ERROR', 'TRACE ESTIMATE', 'TRACE STREAM_STATUS']);
  });

  it('a config error', async () => expectConformant(await runConnector(['read', '--config', files.write('config.json', { platform: {} })])));
});
