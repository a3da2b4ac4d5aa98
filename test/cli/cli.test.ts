/**
 * The built CLI (`node dist/main.js`, run `npm run build` first) as the Airbyte platform runs it: a
 * child process against a local HTTP server (the sandbox), its stdout checked message by message.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from '../../tools/sandbox/index.js';
import { configuredCatalog, Files, onlyStreams, runCli, type ConnectorOutput } from '../../tools/testing/harness.js';
import { sandboxConfig } from '../e2e/kit.js';

const STREAMS = ['goals', 'goal_tags', 'employees', 'review_participants', 'scim_groups'];
const TYPES = new Set(['RECORD', 'STATE', 'LOG', 'SPEC', 'CONNECTION_STATUS', 'CATALOG', 'TRACE']);

let sb: Sandbox;
const ws = new Files();
let config: string;
let catalog: ConfiguredAirbyteCatalog;

beforeAll(async () => {
  sb = await startSandbox({ scale: 0.05 });
  config = ws.write('config.json', sandboxConfig(sb, 'leapsome', { page_size: 7, max_retries: 1 }));
  catalog = configuredCatalog((await runCli(['discover', '--config', config])).catalog(), { streams: STREAMS });
});
afterAll(async () => {
  await sb.close();
  ws.dispose();
});

/** The stream a message belongs to, if any. */
function streamOf(m: AirbyteMessage): string | undefined {
  if (m.type === 'RECORD') return m.record?.stream;
  if (m.type === 'STATE') return m.state?.stream?.stream_descriptor.name;
  if (m.type === 'TRACE') return m.trace?.stream_status?.stream_descriptor.name ?? m.trace?.estimate?.name ?? m.trace?.error?.stream_descriptor?.name;
  return undefined;
}

/** A short label per message: RECORD, STATE, STARTED, RUNNING, COMPLETE, ESTIMATE, ERROR... */
function label(m: AirbyteMessage): string {
  if (m.type !== 'TRACE') return m.type;
  return m.trace?.type === 'STREAM_STATUS' ? (m.trace.stream_status?.status as string) : (m.trace?.type as string);
}

/** Every stdout line is one JSON AirbyteMessage; nothing else is printed. */
function expectOnlyMessages(result: ConnectorOutput): void {
  expect(result.strays).toEqual([]);
  expect(result.messages.length).toBeGreaterThan(0);
  for (const m of result.messages) expect(TYPES.has(m.type), JSON.stringify(m).slice(0, 200)).toBe(true);
}

describe('the built CLI', () => {
  it('read: every line a message, each stream STARTED → RUNNING → records/states → STATE → COMPLETE, one after another', async () => {
    const result = await runCli(['read', '--config', config, '--catalog', ws.write('catalog.json', catalog), '--debug']);
    expect(result.code).toBe(0);
    expectOnlyMessages(result);

    // Streams do not interleave: each one's messages form one block, in catalog order.
    const blocks: string[] = [];
    for (const m of result.messages) {
      const stream = streamOf(m);
      if (stream !== undefined && blocks.at(-1) !== stream) blocks.push(stream);
    }
    expect(blocks).toEqual(catalog.streams.map((s) => s.stream.name));
    expect([...blocks].sort()).toEqual([...STREAMS].sort());

    for (const stream of STREAMS) {
      const labels = result.messages.filter((m) => streamOf(m) === stream).map(label);
      const text = labels.join(' ');
      // STARTED, estimates (where the API has a total), RUNNING, then records and states, a final STATE, COMPLETE.
      expect(text, stream).toMatch(/^STARTED (ESTIMATE )*RUNNING ((RECORD|STATE|ESTIMATE) )*STATE COMPLETE$/);
      expect(labels.filter((l) => l === 'RECORD').length, stream).toBeGreaterThan(0);
      const records = result.records(stream);
      expect(records.length, stream).toBe(sb.truth('leapsome', stream).length);
      // sourceStats.recordCount adds up to the records emitted.
      const counted = result.messages
        .filter((m) => m.type === 'STATE' && streamOf(m) === stream)
        .reduce((sum, m) => sum + (m.state?.sourceStats?.recordCount ?? 0), 0);
      expect(counted, stream).toBe(records.length);
    }
    // Records are stamped when emitted.
    const stamps = result.messages.filter((m) => m.type === 'RECORD').map((m) => m.record?.emitted_at as number);
    expect(stamps.every((t, i) => i === 0 || t >= (stamps[i - 1] as number))).toBe(true);
    expect(Math.abs((stamps[0] as number) - Date.now())).toBeLessThan(60_000);
  });

  it('read again from the final state: the same message shape, only what changed', async () => {
    const first = await runCli(['read', '--config', config, '--catalog', ws.write('catalog.json', onlyStreams(catalog, ['goals']))]);
    sb.mutate({ updates: 2, inserts: 1, vendors: ['leapsome'] });
    const second = await runCli([
      'read',
      '--config',
      config,
      '--catalog',
      ws.write('catalog.json', onlyStreams(catalog, ['goals'])),
      '--state',
      ws.write('state.json', first.finalStates()),
    ]);
    expect(second.code).toBe(0);
    expectOnlyMessages(second);
    expect(
      second.messages
        .filter((m) => streamOf(m) === 'goals')
        .map(label)
        .join(' '),
    ).toMatch(/^STARTED RUNNING (RECORD )*((RECORD|STATE) )*STATE COMPLETE$/);
    const changed = second.records('goals');
    expect(changed.length).toBeGreaterThanOrEqual(3);
    expect(changed.length).toBeLessThan(first.records('goals').length);
  });

  it('spec: one SPEC message equal to spec.json, exit 0', async () => {
    const result = await runCli(['spec', '--debug']);
    expect(result.code).toBe(0);
    expectOnlyMessages(result);
    expect(result.messages.map((m) => m.type)).toEqual(['SPEC']);
    expect(result.messages[0]?.spec).toEqual(JSON.parse(readFileSync(new URL('../../spec.json', import.meta.url), 'utf8')));
  });

  it('check: SUCCEEDED with the right credentials; FAILED, exit 0 and no secret printed with wrong ones', async () => {
    const ok = await runCli(['check', '--config', config]);
    expect(ok.code).toBe(0);
    expect(ok.messages.filter((m) => m.type === 'CONNECTION_STATUS').map((m) => m.connectionStatus?.status)).toEqual(['SUCCEEDED']);

    const wrongConfig = sandboxConfig(sb, 'leapsome');
    (wrongConfig.platform as Record<string, unknown>).api_key = 'not-the-sandbox-secret';
    const bad = await runCli(['check', '--config', ws.write('wrong.json', wrongConfig)]);
    expect(bad.code).toBe(0);
    expectOnlyMessages(bad);
    const status = bad.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/Content API secret/);
    expect(JSON.stringify(bad.messages)).not.toContain('not-the-sandbox-secret');
    expect(JSON.stringify(bad.messages)).not.toContain(SANDBOX_CREDENTIALS.leapsome.scimToken);
  });

  it('read: a stream failing for good gives TRACE ERROR transient_error and INCOMPLETE, the others COMPLETE, exit non-zero', async () => {
    sb.setFaults({ error5xx: 1, mounts: ['scim'] });
    try {
      const result = await runCli(['read', '--config', config, '--catalog', ws.write('catalog.json', onlyStreams(catalog, ['goal_tags', 'scim_groups']))]);
      expect(result.code).not.toBe(0);
      expectOnlyMessages(result);
      expect(result.messages.filter((m) => streamOf(m) === 'scim_groups').map(label)).toEqual(['STARTED', 'ERROR', 'INCOMPLETE']);
      const error = result.messages.find((m) => label(m) === 'ERROR')?.trace?.error;
      expect(error?.failure_type).toBe('transient_error');
      expect(error?.stream_descriptor?.name).toBe('scim_groups');
      expect(
        result.messages
          .filter((m) => streamOf(m) === 'goal_tags')
          .map(label)
          .at(-1),
      ).toBe('COMPLETE');
    } finally {
      sb.setFaults({});
    }
  });

  it('read: a corrupt state is a config_error before any record, exit 1', async () => {
    const result = await runCli([
      'read',
      '--config',
      config,
      '--catalog',
      ws.write('catalog.json', catalog),
      '--state',
      ws.write('state.json', { goals: 'x' }),
    ]);
    expect(result.code).toBe(1);
    expectOnlyMessages(result);
    expect(result.messages.map(label)).toEqual(['ERROR']);
    expect(result.messages[0]?.trace?.error?.failure_type).toBe('config_error');
  });
});
