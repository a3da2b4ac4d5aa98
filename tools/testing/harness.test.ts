import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { AirbyteCatalog, AirbyteMessage } from '../../src/protocol/generated.js';
import { configuredCatalog, ConnectorOutput, Files, imageArguments, onlyStreams, runProcess, stateProblems } from './harness.js';

const record = (stream: string, data: Record<string, unknown>): AirbyteMessage => ({ type: 'RECORD', record: { stream, data, emitted_at: 1 } });
const state = (stream: string, blob: Record<string, unknown>, recordCount: number): AirbyteMessage => ({
  type: 'STATE',
  state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: blob }, sourceStats: { recordCount } },
});
const status = (stream: string, value: 'STARTED' | 'RUNNING' | 'COMPLETE' | 'INCOMPLETE'): AirbyteMessage => ({
  type: 'TRACE',
  trace: { type: 'STREAM_STATUS', emitted_at: 1, stream_status: { stream_descriptor: { name: stream }, status: value } },
});

const read: AirbyteMessage[] = [
  status('a', 'STARTED'),
  status('a', 'RUNNING'),
  record('a', { id: 1 }),
  state('a', { resume: 1 }, 1),
  record('b', { id: 'x' }),
  record('a', { id: 2 }),
  state('a', { at: 2 }, 1),
  status('a', 'COMPLETE'),
  { type: 'LOG', log: { level: 'INFO', message: 'hello' } },
  { type: 'TRACE', trace: { type: 'ESTIMATE', emitted_at: 1, estimate: { name: 'b', type: 'STREAM', row_estimate: 9 } } },
  { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { message: 'b failed', failure_type: 'transient_error', stream_descriptor: { name: 'b' } } } },
  status('b', 'INCOMPLETE'),
];

describe('ConnectorOutput', () => {
  const stdout = [...read.slice(0, 4).map((m) => JSON.stringify(m)), '', 'not json', '42', ...read.slice(4).map((m) => JSON.stringify(m)), ''].join('\n');
  const output = ConnectorOutput.parse(stdout, 1, 'a warning');

  it('keeps the non-empty lines, the JSON objects among them as messages, the others as strays', () => {
    expect(output.code).toBe(1);
    expect(output.stderr).toBe('a warning');
    expect(output.lines).toHaveLength(read.length + 2);
    expect(output.messages).toEqual(read);
    expect(output.strays).toEqual(['not json', '42']);
    expect(output.stdout).toContain('not json');
  });

  it('reads records, states, statuses, errors, estimates and logs per stream', () => {
    expect(output.records('a')).toEqual([{ id: 1 }, { id: 2 }]);
    expect(output.records()).toEqual([{ id: 1 }, { id: 'x' }, { id: 2 }]);
    expect([...output.recordsByStream().keys()]).toEqual(['a', 'b']);
    expect(output.states('a').map((s) => s.stream?.stream_state)).toEqual([{ resume: 1 }, { at: 2 }]);
    expect(output.states('b')).toEqual([]);
    expect(output.finalStates()).toEqual([{ type: 'STREAM', stream: { stream_descriptor: { name: 'a' }, stream_state: { at: 2 } } }]);
    expect(output.committedState('a')).toEqual({ at: 2 });
    expect(output.committedState('b')).toBeUndefined();
    expect(output.checkpoints('a')).toEqual([3]);
    expect(output.statuses('a')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(output.statuses('b')).toEqual(['INCOMPLETE']);
    expect(output.errors().map((e) => [e.stream_descriptor?.name, e.message])).toEqual([['b', 'b failed']]);
    expect(output.estimates().map((e) => [e.name, e.row_estimate])).toEqual([['b', 9]]);
    expect(output.logs()).toEqual(['hello']);
    expect(output.answers()).toHaveLength(read.length - 1);
  });

  it('slices: the states a platform holds after the first messages', () => {
    expect(
      output
        .slice(0, 4)
        .finalStates()
        .map((s) => s.stream?.stream_state),
    ).toEqual([{ resume: 1 }]);
    expect(output.slice(4).records('a')).toEqual([{ id: 2 }]);
  });

  it('catalog() says what was printed instead of a catalog', () => {
    expect(() => output.catalog()).toThrow(/printed no catalog \(exit 1\).*hello/s);
  });

  it('stateProblems: counts, repeats, missing and trailing states', () => {
    expect(stateProblems(output, ['a'])).toEqual([]);
    const bad = new ConnectorOutput({
      code: 0,
      messages: [
        status('a', 'STARTED'),
        record('a', {}),
        record('a', {}),
        state('a', { x: 1 }, 1),
        state('a', { x: 1 }, 0),
        record('a', {}),
        status('a', 'COMPLETE'),
        status('c', 'COMPLETE'),
      ],
    });
    expect(stateProblems(bad, ['a', 'c'])).toEqual([
      'a: state 1 says recordCount 1, but 2 records came since the previous state',
      'a: two identical consecutive states {"x":1}',
      'a: 1 records after the last STATE',
      'c: no STATE',
    ]);
  });
});

describe('configuredCatalog', () => {
  const catalog: AirbyteCatalog = {
    streams: [
      {
        name: 'keyed',
        json_schema: {},
        supported_sync_modes: ['full_refresh', 'incremental'],
        source_defined_cursor: true,
        default_cursor_field: ['updatedAt'],
        source_defined_primary_key: [['id']],
      },
      { name: 'unkeyed', json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'], source_defined_cursor: true, default_cursor_field: ['at'] },
      { name: 'listed', json_schema: {}, supported_sync_modes: ['full_refresh'], source_defined_primary_key: [['id']] },
    ],
  };
  const modes = (c: ReturnType<typeof configuredCatalog>) =>
    c.streams.map((s) => [s.stream.name, s.sync_mode, s.destination_sync_mode, s.cursor_field ?? null, s.primary_key ?? null]);

  it('configures every stream incrementally where it can, on its default cursor, with its primary key', () => {
    expect(modes(configuredCatalog(catalog))).toEqual([
      ['keyed', 'incremental', 'append', ['updatedAt'], [['id']]],
      ['unkeyed', 'incremental', 'append', ['at'], null],
      ['listed', 'full_refresh', 'append', null, [['id']]],
    ]);
  });

  it('full refresh, some streams, some forced to full refresh, destination modes as a platform sets them', () => {
    expect(modes(configuredCatalog(catalog, { mode: 'full_refresh', streams: ['listed', 'keyed'] }))).toEqual([
      ['keyed', 'full_refresh', 'append', null, [['id']]],
      ['listed', 'full_refresh', 'append', null, [['id']]],
    ]);
    expect(modes(configuredCatalog(catalog, { destination: 'dedup', fullRefresh: ['unkeyed'] }))).toEqual([
      ['keyed', 'incremental', 'append_dedup', ['updatedAt'], [['id']]],
      ['unkeyed', 'full_refresh', 'overwrite', null, null],
      ['listed', 'full_refresh', 'overwrite', null, [['id']]],
    ]);
    expect(onlyStreams(configuredCatalog(catalog), ['unkeyed']).streams.map((s) => s.stream.name)).toEqual(['unkeyed']);
  });

  it('writes its keys in the order of the committed catalogs', () => {
    expect(Object.keys(configuredCatalog(catalog, { destination: 'dedup' }).streams[0] as object)).toEqual([
      'stream',
      'sync_mode',
      'cursor_field',
      'destination_sync_mode',
      'primary_key',
    ]);
  });
});

describe('inputs and processes', () => {
  const files = new Files();
  afterAll(() => files.dispose());

  it('writes each run its own input files, strings as they are', () => {
    const first = files.argv('read', { config: { a: 1 }, catalog: { streams: [] }, state: 'not json' });
    const second = files.flags({ config: { a: 2 } });
    expect(first.filter((_, i) => i % 2 === 1)).toEqual(['--config', '--catalog', '--state']);
    expect(readFileSync(first[6] as string, 'utf8')).toBe('not json');
    expect(second[1]).not.toBe(first[2]);
    expect(JSON.parse(readFileSync(second[1] as string, 'utf8'))).toEqual({ a: 2 });
  });

  it('runs a process: exit code, messages as they come, the ones kept, strays and stderr', async () => {
    const script = `console.log(${JSON.stringify(JSON.stringify(read[2]))}); console.log('stray'); console.log(${JSON.stringify(JSON.stringify(read[8]))}); console.error('oops'); process.exitCode = 3;`;
    const seen: string[] = [];
    const output = await runProcess(process.execPath, ['-e', script], { onMessage: (m) => seen.push(m.type), keep: (m) => m.type !== 'RECORD' });
    expect(output.code).toBe(3);
    expect(seen).toEqual(['RECORD', 'LOG']);
    expect(output.messages.map((m) => m.type)).toEqual(['LOG']);
    expect(output.strays).toEqual(['stray']);
    expect(output.stderr).toBe('oops\n');
  });

  it('kills a process that runs too long, and says so', async () => {
    const output = await runProcess(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)'], { timeoutMs: 200 });
    expect(output.code).not.toBe(0);
    expect(output.stderr).toMatch(/killed after 200 ms/);
  });

  it('runs the image as the platform does, the input folders mounted read-only and the paths changed to match', () => {
    const config = files.write('config.json', {});
    const catalog = files.write('catalog.json', {});
    const args = imageArguments('connector:dev', ['read', '--config', config, '--catalog', catalog, '--debug'], 'c1');
    expect(args.slice(0, 4)).toEqual(['run', '--rm', '--name', 'c1']);
    for (const flag of ['--read-only', '--cap-drop', '--network', '--user']) expect(args).toContain(flag);
    expect(args[args.indexOf('--user') + 1]).toBe('1000');
    expect(args.filter((a) => a.endsWith(':ro'))).toEqual([`${files.dir}:/inputs/0:ro`]);
    expect(args.slice(-3)).toEqual(['connector:dev', '-c', '$AIRBYTE_ENTRYPOINT read --config /inputs/0/config.json --catalog /inputs/0/catalog.json --debug']);
  });
});
