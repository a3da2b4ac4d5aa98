import { describe, expect, it } from 'vitest';
import { primaryKeyOf } from '../tools/sandbox/index.js';
import { configuredCatalog, stateProblems, type ConnectorOutput } from '../tools/testing/harness.js';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';
import type { ConfiguredAirbyteStream } from './protocol/generated.js';

const env = useSandbox();
const config = (overrides = {}) => leapsomeConfig(env.sb, overrides);
const discover = async () => (await env.connector.discover(config())).catalog();

type Row = Record<string, unknown>;
const keysOf = (stream: string, records: Row[]) => records.map((r) => primaryKeyOf('leapsome', stream, r)).sort();
const truthKeys = (stream: string) => keysOf(stream, env.sb.truth('leapsome', stream));
const valueAt = (record: Row, path: string[]) => path.reduce<unknown>((v, k) => (v as Row | undefined)?.[k], record);

describe('read: every Leapsome stream', () => {
  it('reads every record of every stream once, with the protocol messages in order', async () => {
    const catalog = await discover();
    expect(catalog.streams).toHaveLength(18);
    const result = await env.connector.read(config(), configuredCatalog(catalog));
    expect(result.errors()).toEqual([]);
    expect(result.code).toBe(0);
    for (const stream of catalog.streams) {
      const records = result.records(stream.name);
      expect(records.length, `${stream.name}: the sandbox has records`).toBeGreaterThan(0);
      // Exactly the sandbox's records: none missing, none unknown, none twice.
      expect(keysOf(stream.name, records), stream.name).toEqual(truthKeys(stream.name));
      expect(result.statuses(stream.name), stream.name).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    }
    expect(
      stateProblems(
        result,
        catalog.streams.map((s) => s.name),
      ),
    ).toEqual([]);
    // Streams run one after the other: each one's messages lie between its STARTED and COMPLETE.
    const order = result.messages
      .filter((m) => m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS' && m.trace.stream_status?.status !== 'RUNNING')
      .map((m) => m.trace?.stream_status?.stream_descriptor.name);
    expect(order).toEqual(catalog.streams.flatMap((s) => [s.name, s.name]));
  });

  it('stamps child records with their parent ids in the vendor casing', async () => {
    // Each child stream, the fields naming its parent (as the vendor spells them) and its own id.
    const children: Record<string, string[]> = {
      goal_comments: ['goalId', 'id'],
      review_participants: ['reviewCycleId', '_id'],
      review_participant_results: ['reviewCycleId', 'userId'],
      payroll_cycle_participants: ['payrollCycleId', 'id'],
    };
    const catalog = configuredCatalog(await discover(), { streams: Object.keys(children) });
    const result = await env.connector.read(config(), catalog);
    expect(result.code).toBe(0);
    for (const [stream, fields] of Object.entries(children)) {
      const pairs = (records: Row[]) => records.map((r) => JSON.stringify(fields.map((f) => r[f]))).sort();
      const records = result.records(stream);
      expect(records.length, stream).toBeGreaterThan(0);
      for (const record of records) expect(typeof record[fields[0] as string], `${stream}.${fields[0]}`).toBe('string');
      // Each record sits under the parent the sandbox has it under.
      expect(pairs(records), stream).toEqual(pairs(env.sb.truth('leapsome', stream)));
    }
  });

  it('emits row estimates where the API reports a total', async () => {
    const catalog = configuredCatalog(await discover(), { streams: ['employees', 'goals', 'scim_users'] });
    const result = await env.connector.read(config(), catalog);
    expect(result.estimates().map((e) => [e.name, e.row_estimate])).toEqual([
      ['employees', env.sb.truth('leapsome', 'employees').length],
      ['scim_users', env.sb.truth('leapsome', 'scim_users').length],
    ]);
  });
});

/**
 * The keys an incremental read from `committed` (a stream's state blob) must return, exactly: the
 * changed records, and of the others those on the committed cursor (the lower bound is inclusive, so
 * a record sharing the last timestamp is never lost) and those without a cursor value.
 */
function expectedAfter(configured: ConfiguredAirbyteStream, committed: Row | undefined, changed: readonly string[]): string[] {
  const stream = configured.stream.name;
  const field = configured.cursor_field ?? [];
  const cursor = committed?.[field.join('.')];
  expect(cursor, `${stream}: the first read committed a cursor`).toEqual(expect.any(String));
  const expected = env.sb.truth('leapsome', stream).filter((record) => {
    const value = valueAt(record, field);
    return (
      changed.includes(primaryKeyOf('leapsome', stream, record)) ||
      value === undefined ||
      value === null ||
      Date.parse(String(value)) === Date.parse(String(cursor))
    );
  });
  return keysOf(stream, expected);
}

describe('read: state round trips through the connector', () => {
  it('a second incremental read from the final state returns only the changes (and the boundary records)', async () => {
    // The sandbox's own, so that its changes do not reach the other tests.
    await env.restart({});
    const streams = ['goals', 'goal_comments', 'scim_users', 'review_cycles', 'review_participants'];
    const catalog = configuredCatalog(await discover(), { streams });
    const first = await env.connector.read(config(), catalog);
    expect(first.code).toBe(0);
    const state = first.finalStates();
    expect(state.map((s) => s.stream?.stream_descriptor.name).sort()).toEqual([...streams].sort());

    // Between the syncs: records are edited and created; a participant's change moves its cycle too.
    const summary = env.sb.mutate({ vendors: ['leapsome'] });
    const changes = summary.leapsome ?? {};
    const changed = (stream: string) => [...(changes[stream]?.updated ?? []), ...(changes[stream]?.inserted ?? [])];
    for (const stream of streams) expect(changed(stream).length, `${stream} changed`).toBeGreaterThan(0);

    const second: ConnectorOutput = await env.connector.read(config(), catalog, state);
    expect(second.code).toBe(0);
    for (const configured of catalog.streams) {
      const stream = configured.stream.name;
      expect(keysOf(stream, second.records(stream)), stream).toEqual(expectedAfter(configured, first.committedState(stream), changed(stream)));
    }
    expect(stateProblems(second, streams)).toEqual([]);
  });

  it('accepts the state of streams that are no longer configured', async () => {
    const catalog = configuredCatalog(await discover(), { streams: ['goals'] });
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'old_stream' }, stream_state: { whatever: 1 } } }];
    const result = await env.connector.read(config(), catalog, state);
    expect(result.code).toBe(0);
    expect(result.records('goals').length).toBe(env.sb.truth('leapsome', 'goals').length);
  });

  it('a full refresh of a stream emits one final STATE, with recordCount equal to its records', async () => {
    const catalog = configuredCatalog(await discover(), { streams: ['goal_tags', 'document_categories'], mode: 'full_refresh' });
    const result = await env.connector.read(config(), catalog);
    for (const name of ['goal_tags', 'document_categories']) {
      const states = result.states(name);
      expect(states).toHaveLength(1);
      expect(result.records(name).length).toBeGreaterThan(0);
      expect(states[0]?.sourceStats?.recordCount).toBe(result.records(name).length);
    }
  });
});
