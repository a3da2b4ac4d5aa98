/**
 * End-to-end: the built CLI reads every Perform & Engage 365 stream from the sandbox. What it emits is
 * compared with the sandbox's truth by primary key (nothing lost, nothing duplicated, each record as
 * the sandbox holds it), after changes (only the changes, plus the boundary the cursor re-reads), from
 * intermediate STATEs (at least the remainder), and under faults. Every test starts its own sandbox.
 */
import { describe, expect, it } from 'vitest';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { SANDBOX_CREDENTIALS, startSandbox, type MutationSummary, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { discoverCatalog, errorsOf, finalState, keyOf, onlyStreams, recordsOf, runCli, sandboxConfig, Workspace, type RunResult } from './kit.js';

type Row = Record<string, unknown>;

const STREAMS = [
  'users',
  'departments',
  'goals',
  'checkins',
  'questions',
  'question_responses',
  'recognitions',
  'conversations',
  'conversation_templates',
  'conversation_plans',
];
const INCREMENTAL = ['checkins', 'conversation_templates', 'conversations'];

async function setUp(options: SandboxOptions, extra: Record<string, unknown> = {}) {
  const sb = await startSandbox(options);
  const ws = new Workspace();
  const config = ws.file('config.json', sandboxConfig(sb, 'pe365', extra));
  const incremental = await discoverCatalog(ws, config, 'incremental');
  let files = 0;
  const read = async (catalog: ConfiguredAirbyteCatalog, state?: unknown): Promise<RunResult> => {
    const args = ['read', '--config', config, '--catalog', ws.file(`catalog-${++files}.json`, catalog)];
    if (state !== undefined) args.push('--state', ws.file(`state-${files}.json`, state));
    return runCli(args);
  };
  return { sb, ws, config, incremental, read };
}

type Env = Awaited<ReturnType<typeof setUp>>;

async function withSandbox(options: SandboxOptions, extra: Record<string, unknown>, test: (env: Env) => Promise<void>): Promise<void> {
  const env = await setUp(options, extra);
  try {
    await test(env);
  } finally {
    env.ws.dispose();
    await env.sb.close();
  }
}

const primaryKey = (sb: Sandbox, stream: string) => sb.streams('pe365')[stream] as readonly string[];
const keys = (sb: Sandbox, stream: string, records: Row[]) => records.map((record) => keyOf(record, primaryKey(sb, stream)));

function duplicates(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((key) => seen.has(key) || !seen.add(key));
}

function truthByKey(sb: Sandbox, stream: string): Map<string, Row> {
  return new Map(sb.truth('pe365', stream).map((record) => [keyOf(record, primaryKey(sb, stream)), record]));
}

const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Row)[k])]),
  );
}

/** A read emitted exactly the sandbox's records of a stream, each as the sandbox holds it. */
function expectExactlyTheTruth(sb: Sandbox, stream: string, records: Row[]): void {
  const emitted = keys(sb, stream, records);
  const truth = truthByKey(sb, stream);
  expect(truth.size, `${stream}: the sandbox has data`).toBeGreaterThan(0);
  expect(duplicates(emitted), `${stream}: duplicated keys`).toEqual([]);
  expect(emitted.filter((key) => !truth.has(key)), `${stream}: keys the sandbox does not have`).toEqual([]);
  const seen = new Set(emitted);
  expect([...truth.keys()].filter((key) => !seen.has(key)), `${stream}: keys never emitted`).toEqual([]);
  const different = records.filter((record) => !same(record, truth.get(keyOf(record, primaryKey(sb, stream)))));
  expect(different.slice(0, 1), `${stream}: records that differ from the sandbox's`).toEqual([]);
}

function expectSucceeded(result: RunResult): void {
  expect(errorsOf(result.messages), result.stderr).toEqual([]);
  expect(result.strays).toEqual([]);
  expect(result.code).toBe(0);
}

function changedKeys(summary: MutationSummary, stream: string): Set<string> {
  const changes = summary.pe365?.[stream];
  return new Set([...(changes?.updated ?? []), ...(changes?.inserted ?? [])]);
}

const CURSOR: Record<string, string> = { checkins: 'submission_date', conversations: 'updated_date', conversation_templates: 'updated_date' };
const utcDay = (value: unknown) => new Date(Date.parse(String(value))).toISOString().slice(0, 10);

/**
 * What the cursor may bring back besides the changes: records exactly on it (the lower bound is
 * inclusive) and, for check-ins, whose filter knows only days, every record of the cursor's day.
 */
function onBoundary(stream: string, record: Row, committed: string): boolean {
  const value = record[CURSOR[stream] as string];
  if (stream === 'checkins') return utcDay(value) === utcDay(committed);
  return Date.parse(String(value)) === Date.parse(committed);
}

function cursorOf(result: RunResult, stream: string): string {
  const blob = finalState(result.messages).find((s) => s.stream?.stream_descriptor.name === stream)?.stream?.stream_state as Row | undefined;
  const value = blob?.[CURSOR[stream] as string];
  expect(value, `${stream}: a cursor was committed`).toEqual(expect.any(String));
  return value as string;
}

/** An incremental read after `summary` returned every change, in its latest version, and otherwise only the boundary. */
function expectOnlyChanges(sb: Sandbox, result: RunResult, summary: MutationSummary, committed: Map<string, string>): void {
  for (const stream of INCREMENTAL) {
    const records = recordsOf(result.messages, stream);
    const emitted = keys(sb, stream, records);
    const changed = changedKeys(summary, stream);
    const cursor = committed.get(stream) as string;
    expect(changed.size, `${stream}: the sandbox changed something`).toBeGreaterThan(0);
    expect(duplicates(emitted), `${stream}: duplicated keys`).toEqual([]);
    expect([...changed].filter((key) => !emitted.includes(key)), `${stream}: changes that did not come back`).toEqual([]);
    const unchanged = records.filter((record) => !changed.has(keyOf(record, primaryKey(sb, stream))));
    expect(keys(sb, stream, unchanged.filter((record) => !onBoundary(stream, record, cursor))), `${stream}: unchanged records off the boundary`).toEqual([]);
    const truth = truthByKey(sb, stream);
    for (const record of records) expect(same(record, truth.get(keyOf(record, primaryKey(sb, stream)))), `${stream}: latest version`).toBe(true);
    expect(Date.parse(cursorOf(result, stream)), `${stream}: the cursor moved on`).toBeGreaterThan(Date.parse(cursor));
  }
}

const committedCursors = (result: RunResult) => new Map(INCREMENTAL.map((stream) => [stream, cursorOf(result, stream)]));

describe.concurrent('Perform & Engage 365 through the built CLI against the sandbox', () => {
  it('check succeeds with the sandbox credentials and fails, saying what to fix, with a wrong key', async () => {
    await withSandbox({ scale: 0.1, seed: 1 }, {}, async (env) => {
      const ok = await runCli(['check', '--config', env.config]);
      expect(ok.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.status).toBe('SUCCEEDED');

      const wrong = sandboxConfig(env.sb, 'pe365');
      (wrong['platform'] as Row)['api_key'] = 'not-the-key-42';
      const failed = await runCli(['check', '--config', env.ws.file('wrong.json', wrong)]);
      const status = failed.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
      expect(status?.status).toBe('FAILED');
      expect(status?.message).toMatch(/API username and API key \(HTTP 401: Invalid username\/password\.\)/);
      const printed = failed.messages.map((m) => JSON.stringify(m)).join('\n');
      expect(printed).not.toContain('not-the-key-42');
      expect(printed).not.toContain(Buffer.from(`${SANDBOX_CREDENTIALS.pe365.username}:not-the-key-42`).toString('base64'));
    });
  });

  it('full refresh returns exactly the sandbox’s records of every stream, with count as the estimate', async () => {
    await withSandbox({ scale: 0.3, seed: 7 }, {}, async (env) => {
      const catalog = await discoverCatalog(env.ws, env.config, 'full_refresh');
      expect(catalog.streams.map((s) => s.stream.name).sort()).toEqual(Object.keys(env.sb.streams('pe365')).sort());
      expect(catalog.streams.map((s) => s.stream.name)).toEqual(STREAMS);

      const result = await env.read(catalog);
      expectSucceeded(result);
      for (const stream of STREAMS) expectExactlyTheTruth(env.sb, stream, recordsOf(result.messages, stream));
      for (const state of finalState(result.messages)) expect(state.stream?.stream_state).toEqual({});

      const estimates = new Map(
        result.messages.filter((m) => m.trace?.type === 'ESTIMATE').map((m) => [m.trace!.estimate!.name, m.trace!.estimate!.row_estimate]),
      );
      for (const stream of STREAMS.filter((s) => s !== 'question_responses')) {
        expect(estimates.get(stream), stream).toBe(env.sb.truth('pe365', stream).length);
      }
      // Every request went to a path ending in a slash: never redirected.
      expect(env.sb.stats.byStatus['301'] ?? 0).toBe(0);
    });
  });

  it('incremental reads after changes return the changes, and re-reading the boundary day loses nothing', async () => {
    await withSandbox({ scale: 0.2, seed: 11 }, {}, async (env) => {
      expect(env.incremental.streams.filter((s) => s.sync_mode === 'incremental').map((s) => s.stream.name).sort()).toEqual(INCREMENTAL);

      const first = await env.read(env.incremental);
      expectSucceeded(first);
      for (const stream of STREAMS) expectExactlyTheTruth(env.sb, stream, recordsOf(first.messages, stream));

      // Round one: check-ins submitted today, conversations and templates updated now.
      const round1 = env.sb.mutate({ updates: 3, inserts: 2, vendors: ['pe365'] });
      const second = await env.read(env.incremental, finalState(first.messages));
      expectSucceeded(second);
      expectOnlyChanges(env.sb, second, round1, committedCursors(first));
      for (const stream of STREAMS.filter((s) => !INCREMENTAL.includes(s))) expectExactlyTheTruth(env.sb, stream, recordsOf(second.messages, stream));
      // The check-in cursor now sits on today, the day round two submits more check-ins on.
      expect(utcDay(cursorOf(second, 'checkins'))).toBe(utcDay(new Date().toISOString()));

      // Round two, the same day: the day-granular filter must not lose these.
      const round2 = env.sb.mutate({ updates: 3, inserts: 2, vendors: ['pe365'] });
      const incrementalOnly = onlyStreams(env.incremental, INCREMENTAL);
      const third = await env.read(incrementalOnly, finalState(second.messages));
      expectSucceeded(third);
      for (const stream of INCREMENTAL) {
        const emitted = new Set(keys(env.sb, stream, recordsOf(third.messages, stream)));
        expect([...changedKeys(round2, stream)].filter((key) => !emitted.has(key)), `${stream}: round two lost`).toEqual([]);
      }
      const boundary = committedCursors(second);
      for (const stream of INCREMENTAL) {
        const unchanged = recordsOf(third.messages, stream).filter((r) => !changedKeys(round2, stream).has(keyOf(r, primaryKey(env.sb, stream))));
        expect(unchanged.filter((r) => !onBoundary(stream, r, boundary.get(stream) as string)).length, `${stream}: unchanged off the boundary`).toBe(0);
      }

      // Nothing changed since: only the boundary comes back (today's check-ins; the records on the instant cursors).
      const fourth = await env.read(incrementalOnly, finalState(third.messages));
      expectSucceeded(fourth);
      const cursors = committedCursors(third);
      for (const stream of INCREMENTAL) {
        const records = recordsOf(fourth.messages, stream);
        expect(records.filter((r) => !onBoundary(stream, r, cursors.get(stream) as string)), stream).toEqual([]);
        expect(records.length, stream).toBeLessThanOrEqual(changedKeys(round1, stream).size + changedKeys(round2, stream).size);
      }
    });
  });

  it('a read resumed from an intermediate STATE returns at least the remainder', async () => {
    // Small pages make many pages, hence many intermediate states, out of little data.
    await withSandbox({ scale: 0.1, seed: 5 }, { page_size: 7 }, async (env) => {
      const first = await env.read(env.incremental);
      expectSucceeded(first);

      const cases: Array<{ stream: string; index: number; state: AirbyteMessage }> = [];
      for (const stream of STREAMS) {
        expectExactlyTheTruth(env.sb, stream, recordsOf(first.messages, stream));
        const positions = first.messages.flatMap((m, index) => (m.type === 'STATE' && m.state?.stream?.stream_descriptor.name === stream ? [index] : []));
        const intermediate = positions.slice(0, -1);
        expect(intermediate.length, `${stream} checkpoints mid-read`).toBeGreaterThan(0);
        for (const index of sample(intermediate, 3)) cases.push({ stream, index, state: first.messages[index] as AirbyteMessage });
      }

      await inBatches(cases, 4, async ({ stream, index, state }) => {
        const blob = state.state!.stream!.stream_state as Row;
        expect(blob['resume'], `${stream} STATE #${index} says where to resume`).toBeDefined();
        const before = recordsOf(first.messages.slice(0, index), stream);
        const resumed = await env.read(onlyStreams(env.incremental, [stream]), [{ type: 'STREAM', stream: state.state!.stream }]);
        expectSucceeded(resumed);
        const after = recordsOf(resumed.messages, stream);
        const union = new Set(keys(env.sb, stream, [...before, ...after]));
        const lost = [...truthByKey(env.sb, stream).keys()].filter((key) => !union.has(key));
        expect(lost, `${stream} resumed from STATE #${index} ${JSON.stringify(blob)} lost records`).toEqual([]);
        expect(duplicates(keys(env.sb, stream, after)), `${stream} resumed from STATE #${index}: duplicated keys`).toEqual([]);
        expect(after.length, `${stream} resumed from STATE #${index} did not start over`).toBeLessThan(recordsOf(first.messages, stream).length);
      });
    });
  });

  it('completes with every record despite 429s, 5xx, dropped connections and truncated bodies', async () => {
    const shares = { rate429: 0.07, retryAfterSeconds: 0, error5xx: 0.07, drop: 0.07, truncate: 0.07 };
    await withSandbox({ scale: 0.2, seed: 3, faults: shares }, { page_size: 10, max_retries: 10 }, async (env) => {
      const result = await env.read(env.incremental);
      expectSucceeded(result);
      for (const stream of STREAMS) expectExactlyTheTruth(env.sb, stream, recordsOf(result.messages, stream));

      const { faults } = env.sb.stats;
      expect(faults['429']).toBeGreaterThan(2);
      expect(faults['5xx']).toBeGreaterThan(2);
      expect(faults.drop).toBeGreaterThan(2);
      expect(faults.truncate).toBeGreaterThan(2);
    });
  });
});

/** Up to `count` items spread evenly over the list, first and last included. */
function sample<T>(list: T[], count: number): T[] {
  if (list.length <= count) return list;
  return Array.from({ length: count }, (_, i) => list[Math.round((i * (list.length - 1)) / (count - 1))] as T);
}

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
