/**
 * End-to-end kit: runs the built CLI (`node dist/main.js`) as a child process against the sandbox,
 * the way the Airbyte platform does, and parses what it prints.
 */
import { spawn } from 'node:child_process';
import { expect } from 'vitest';
import type { AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../src/protocol/generated.js';
import { CHANGES_FOLLOW, CURSOR_BOUNDARY, onCursor } from '../../tools/demo/verify.js';
import { CONNECTOR_MAIN } from '../../tools/paths.js';
import { Files } from '../../tools/testing/connector.js';
import { sandboxPlatform, startSandbox, type MutationSummary, type Sandbox, type SandboxOptions, type Vendor } from '../../tools/sandbox/index.js';

export const MAIN = CONNECTOR_MAIN;

export type SandboxVendor = Vendor;

/** A config for one vendor of a running sandbox, fast enough for tests (no vendor rate limit, quick retries). */
export function sandboxConfig(sb: Sandbox, vendor: SandboxVendor, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { platform: sandboxPlatform(sb, vendor), requests_per_second: 100, retry_base_delay_seconds: 0.01, concurrency: 8, ...extra };
}

export interface RunResult {
  code: number;
  messages: AirbyteMessage[];
  stderr: string;
  /** stdout lines that are not JSON messages (must stay empty). */
  strays: string[];
}

/** A temporary folder for input files, removed by `dispose`. */
export class Workspace extends Files {
  file(name: string, content: unknown): string {
    return this.write(name, content);
  }
}

/** Runs the CLI with arguments and resolves when it exits (killed after `timeoutMs`). */
export function runCli(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const messages: AirbyteMessage[] = [];
      const strays: string[] = [];
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        try {
          messages.push(JSON.parse(line) as AirbyteMessage);
        } catch {
          strays.push(line);
        }
      }
      resolvePromise({ code: code ?? -1, messages, stderr, strays });
    });
  });
}

/** Runs `discover` and configures every stream, incrementally where it can be. */
export async function discoverCatalog(ws: Workspace, configPath: string, mode: 'incremental' | 'full_refresh' = 'incremental'): Promise<ConfiguredAirbyteCatalog> {
  const result = await runCli(['discover', '--config', configPath]);
  const catalog = result.messages.find((m) => m.type === 'CATALOG')?.catalog;
  if (!catalog) throw new Error(`discover printed no catalog: ${result.stderr} ${JSON.stringify(result.messages)}`);
  return {
    streams: catalog.streams.map((stream) => {
      const incremental = mode === 'incremental' && (stream.supported_sync_modes ?? []).includes('incremental');
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: 'append',
        ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
      };
    }),
  } as ConfiguredAirbyteCatalog;
}

export function onlyStreams(catalog: ConfiguredAirbyteCatalog, names: string[]): ConfiguredAirbyteCatalog {
  return { streams: catalog.streams.filter((s) => names.includes(s.stream.name)) };
}

/** Records of one stream, in emission order. */
export function recordsOf(messages: AirbyteMessage[], stream: string): Record<string, unknown>[] {
  return messages.filter((m) => m.type === 'RECORD' && m.record?.stream === stream).map((m) => m.record!.data as Record<string, unknown>);
}

export function statesOf(messages: AirbyteMessage[]): AirbyteStateMessage[] {
  return messages.filter((m) => m.type === 'STATE').map((m) => m.state!);
}

/** The last STATE of every stream, as the per-stream array the platform passes back with `--state`. */
export function finalState(messages: AirbyteMessage[]): AirbyteStateMessage[] {
  const last = new Map<string, AirbyteStateMessage>();
  for (const state of statesOf(messages)) last.set(state.stream!.stream_descriptor.name, state);
  return [...last.values()].map(({ type, stream }) => ({ type, stream }) as AirbyteStateMessage);
}

/** The primary key of a record as a comparable string, in the same form as the sandbox's `primaryKeyOf`. */
export function keyOf(record: Record<string, unknown>, primaryKey: readonly string[]): string {
  return JSON.stringify(primaryKey.map((field) => record[field] ?? null));
}

/** The primary keys of records of a connector stream, in the form of `keyOf`. */
export function keysOf(sb: Sandbox, vendor: SandboxVendor, stream: string, records: readonly Record<string, unknown>[]): string[] {
  const key = sb.streams(vendor)[stream] as readonly string[];
  return records.map((record) => keyOf(record, key));
}

/** The state blob a read committed last for a stream (undefined if it committed none). */
export function committedState(messages: AirbyteMessage[], stream: string): Record<string, unknown> | undefined {
  return finalState(messages).find((s) => s.stream?.stream_descriptor.name === stream)?.stream?.stream_state as Record<string, unknown> | undefined;
}

/** Positions in `messages` of a stream's intermediate STATEs (its last STATE closes the stream). */
export function checkpointsOf(messages: AirbyteMessage[], stream: string): number[] {
  const positions = messages.flatMap((m, index) => (m.type === 'STATE' && m.state?.stream?.stream_descriptor.name === stream ? [index] : []));
  return positions.slice(0, -1);
}

export function errorsOf(messages: AirbyteMessage[]): string[] {
  return messages.filter((m) => m.type === 'TRACE' && m.trace?.type === 'ERROR').map((m) => m.trace!.error!.message);
}

// ─── Comparing what a read emitted with the sandbox's truth ─────────────────────────────────────

type Row = Record<string, unknown>;

/** The keys that occur more than once (each repetition listed). */
export function duplicates(list: readonly string[]): string[] {
  const seen = new Set<string>();
  return list.filter((key) => seen.has(key) || !seen.add(key));
}

/** The sandbox's records of a connector stream, by primary key. */
export function truthByKey(sb: Sandbox, vendor: SandboxVendor, stream: string): Map<string, Row> {
  const key = sb.streams(vendor)[stream] as readonly string[];
  return new Map(sb.truth(vendor, stream).map((record) => [keyOf(record, key), record]));
}

/** Equal as JSON, whatever the order of object keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Row)[k])]),
    );
  };
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

/** Exit code 0, no error trace, nothing but JSON messages on stdout. */
export function expectSucceeded(result: RunResult): void {
  expect(errorsOf(result.messages), result.stderr).toEqual([]);
  expect(result.strays).toEqual([]);
  expect(result.code).toBe(0);
}

/**
 * Fields the connector adds to records beyond the sandbox's truth (the API record plus parent ids):
 * a Leapsome cycle's detail carries the cycle's lastModifiedOn from the list, its only cursor.
 */
export const ADDED_BY_CONNECTOR: Partial<Record<SandboxVendor, Record<string, readonly string[]>>> = {
  leapsome: { review_cycle_details: ['lastModifiedOn'] },
};

const without = (record: Row, fields: readonly string[] = []): Row =>
  fields.length === 0 ? record : Object.fromEntries(Object.entries(record).filter(([field]) => !fields.includes(field)));

const contentOf = (vendor: SandboxVendor, stream: string, record: Row) => without(record, ADDED_BY_CONNECTOR[vendor]?.[stream]);

/**
 * A read emitted exactly the sandbox's records of a stream (none missing, none extra, none twice), each as the sandbox holds it.
 * With `nonEmpty`, the sandbox must hold some, so that the comparison can fail.
 */
export function expectExactlyTheTruth(sb: Sandbox, vendor: SandboxVendor, stream: string, records: Row[], options: { nonEmpty?: boolean } = {}): void {
  const key = sb.streams(vendor)[stream] as readonly string[];
  const emitted = records.map((record) => keyOf(record, key));
  const truth = truthByKey(sb, vendor, stream);
  if (options.nonEmpty) expect(truth.size, `${stream}: the sandbox has records`).toBeGreaterThan(0);
  expect(duplicates(emitted), `${stream}: duplicated keys`).toEqual([]);
  expect(
    emitted.filter((k) => !truth.has(k)),
    `${stream}: keys the sandbox does not have`,
  ).toEqual([]);
  const seen = new Set(emitted);
  expect(
    [...truth.keys()].filter((k) => !seen.has(k)),
    `${stream}: keys never emitted`,
  ).toEqual([]);
  const different = records.filter((record) => !sameJson(contentOf(vendor, stream, record), truth.get(keyOf(record, key))));
  expect(different.slice(0, 1), `${stream}: records that differ from the sandbox's`).toEqual([]);
}

/** `expectExactlyTheTruth` for each of `streams` in a read's messages, each of which the sandbox must hold records of. */
export function expectEveryStreamExactly(sb: Sandbox, vendor: SandboxVendor, streams: readonly string[], messages: AirbyteMessage[]): void {
  for (const stream of streams) expectExactlyTheTruth(sb, vendor, stream, recordsOf(messages, stream), { nonEmpty: true });
}

/** Keys a mutation round updated or inserted in a stream, or in a stream whose cursor its records carry (CHANGES_FOLLOW). */
export function changedKeys(summary: MutationSummary, vendor: SandboxVendor, stream: string): Set<string> {
  const changes = summary[vendor] ?? {};
  const sources = [stream, ...(CHANGES_FOLLOW[vendor]?.[stream] ?? [])];
  return new Set(sources.flatMap((name) => [...(changes[name]?.updated ?? []), ...(changes[name]?.inserted ?? [])]));
}

/**
 * An incremental read from `committed` (the stream's state blob) returned every changed record, in
 * its latest version, and no unchanged one except those sitting on the committed cursor (the lower
 * bound is inclusive, so a record sharing the last timestamp is never lost; at the API's granularity,
 * see CURSOR_BOUNDARY) and those without any cursor value (nothing says they did not change, so they
 * are always read, unless the API leaves them out).
 */
export function expectOnlyChanges(
  sb: Sandbox,
  vendor: SandboxVendor,
  configured: ConfiguredAirbyteStream,
  records: Row[],
  changed: ReadonlySet<string>,
  committed: Row | undefined,
): void {
  const stream = configured.stream.name;
  const key = sb.streams(vendor)[stream] as readonly string[];
  const field = configured.cursor_field ?? [];
  const cursor = committed?.[field.join('.')];
  expect(cursor, `${stream}: the previous read committed a cursor`).toEqual(expect.any(String));
  const emitted = records.map((record) => keyOf(record, key));
  expect(duplicates(emitted), `${stream}: duplicated keys`).toEqual([]);
  expect(
    [...changed].filter((k) => !emitted.includes(k)),
    `${stream}: changes that did not come back`,
  ).toEqual([]);
  const unsetExcluded = CURSOR_BOUNDARY[vendor]?.[stream]?.unsetExcluded === true;
  const offCursor = records.filter((record) => {
    if (changed.has(keyOf(record, key))) return false;
    const value = field.reduce<unknown>((v, name) => (v as Row | undefined)?.[name], record);
    if (value === undefined || value === null) return unsetExcluded;
    return !onCursor(vendor, stream, value, cursor);
  });
  expect(
    offCursor.map((record) => keyOf(record, key)),
    `${stream}: unchanged records that came back`,
  ).toEqual([]);
  const truth = truthByKey(sb, vendor, stream);
  const stale = records.filter((record) => !sameJson(contentOf(vendor, stream, record), truth.get(keyOf(record, key))));
  expect(stale.slice(0, 1), `${stream}: records that are not the latest version`).toEqual([]);
}

/**
 * `expectOnlyChanges` for every incremental stream of `catalog`: `result` was read from the state
 * `before` committed, and `changed(stream)` are the keys that changed since.
 */
export function expectOnlyChangesSince(
  sb: Sandbox,
  vendor: SandboxVendor,
  catalog: ConfiguredAirbyteCatalog,
  before: RunResult,
  result: RunResult,
  changed: (stream: string) => ReadonlySet<string>,
): void {
  for (const configured of catalog.streams.filter((s) => s.sync_mode === 'incremental')) {
    const stream = configured.stream.name;
    expectOnlyChanges(sb, vendor, configured, recordsOf(result.messages, stream), changed(stream), committedState(before.messages, stream));
  }
}

/** Up to `count` items spread evenly over the list, first and last included. */
export function sample<T>(list: readonly T[], count: number): T[] {
  if (list.length <= count) return [...list];
  return Array.from({ length: count }, (_, i) => list[Math.round((i * (list.length - 1)) / (count - 1))] as T);
}

/** Runs `work` over the items, at most `size` at a time. */
export async function inParallel<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}

// ─── One sandbox per test ────────────────────────────────────────────────────────────────────────

export interface SandboxRun {
  sb: Sandbox;
  ws: Workspace;
  /** Path of the connector config (see `sandboxConfig`). */
  config: string;
  /** The discovered catalog with every stream configured, incrementally where it can be. */
  incremental: ConfiguredAirbyteCatalog;
  /** Runs `read` with this catalog and, if given, this state (written to files). */
  read(catalog: ConfiguredAirbyteCatalog, state?: unknown): Promise<RunResult>;
}

/** Starts a sandbox, writes a config for `vendor`, discovers, runs `test`, and cleans up whatever happens. */
export async function withSandbox(
  vendor: SandboxVendor,
  options: SandboxOptions,
  extra: Record<string, unknown>,
  test: (run: SandboxRun) => Promise<void>,
): Promise<void> {
  const sb = await startSandbox(options);
  const ws = new Workspace();
  try {
    const config = ws.file('config.json', sandboxConfig(sb, vendor, extra));
    const incremental = await discoverCatalog(ws, config, 'incremental');
    let files = 0;
    const read = (catalog: ConfiguredAirbyteCatalog, state?: unknown): Promise<RunResult> => {
      const args = ['read', '--config', config, '--catalog', ws.file(`catalog-${++files}.json`, catalog)];
      if (state !== undefined) args.push('--state', ws.file(`state-${files}.json`, state));
      return runCli(args);
    };
    await test({ sb, ws, config, incremental, read });
  } finally {
    ws.dispose();
    await sb.close();
  }
}


/**
 * A read resumed from the STATE at `index` of `first` (one stream alone) says where to resume, succeeds,
 * loses nothing (the records emitted before that STATE plus the resumed read's cover the sandbox's
 * truth) and emits no key twice. Returns the resumed read's records.
 */
export async function expectResumesFrom(run: SandboxRun, vendor: SandboxVendor, first: RunResult, stream: string, index: number): Promise<Row[]> {
  const state = (first.messages[index] as AirbyteMessage).state!.stream!;
  const context = `${stream} resumed from STATE #${index} ${JSON.stringify(state.stream_state)}`;
  expect((state.stream_state as Row | undefined)?.['resume'], `${context} says where to resume`).toBeDefined();
  const resumed = await run.read(onlyStreams(run.incremental, [stream]), [{ type: 'STREAM', stream: state }]);
  expectSucceeded(resumed);
  const before = recordsOf(first.messages.slice(0, index), stream);
  const after = recordsOf(resumed.messages, stream);
  const union = new Set(keysOf(run.sb, vendor, stream, [...before, ...after]));
  expect(
    [...truthByKey(run.sb, vendor, stream).keys()].filter((k) => !union.has(k)),
    `${context}: lost records`,
  ).toEqual([]);
  expect(duplicates(keysOf(run.sb, vendor, stream, after)), `${context}: duplicated keys`).toEqual([]);
  return after;
}

/**
 * Every stream checkpoints at least `fewest` times mid-read in `first`, and a read resumed from each
 * of its intermediate STATEs (or those `pick` chooses) passes `expectResumesFrom` and reads less than
 * `first` did: it does not start over. `parallel` resumed reads at a time.
 */
export async function expectResumesFromCheckpoints(
  run: SandboxRun,
  vendor: SandboxVendor,
  first: RunResult,
  streams: readonly string[],
  options: { fewest: number; parallel: number; pick?: (positions: number[]) => number[] },
): Promise<void> {
  const cases = streams.flatMap((stream) => {
    const intermediate = checkpointsOf(first.messages, stream);
    expect(intermediate.length, `${stream} checkpoints mid-read`).toBeGreaterThanOrEqual(options.fewest);
    return (options.pick?.(intermediate) ?? intermediate).map((index) => ({ stream, index }));
  });
  await inParallel(cases, options.parallel, async ({ stream, index }) => {
    const after = await expectResumesFrom(run, vendor, first, stream, index);
    expect(after.length, `${stream} resumed from STATE #${index} started over`).toBeLessThan(recordsOf(first.messages, stream).length);
  });
}
