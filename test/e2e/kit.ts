/**
 * End-to-end kit: a sandbox per test, the built CLI (`node dist/main.js`) run against it as the
 * Airbyte platform runs it (see tools/testing/harness.ts), and what the reads emitted compared with
 * the sandbox's truth.
 */
import { expect } from 'vitest';
import type { ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../../src/protocol/generated.js';
import { changesFollow, onCursor } from '../../tools/demo/verify.js';
import { configuredCatalog, Files, onlyStreams, runCli, type CatalogOptions, type ConnectorOutput } from '../../tools/testing/harness.js';
import { sandboxPlatform, startSandbox, streamFacts, type MutationSummary, type Sandbox, type SandboxOptions, type Vendor } from '../../tools/sandbox/index.js';

export type SandboxVendor = Vendor;

/** A config for one vendor of a running sandbox, fast enough for tests (no vendor rate limit, quick retries). */
export function sandboxConfig(sb: Sandbox, vendor: SandboxVendor, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { platform: sandboxPlatform(sb, vendor), requests_per_second: 100, retry_base_delay_seconds: 0.01, concurrency: 8, ...extra };
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
export function expectSucceeded(result: ConnectorOutput): void {
  expect(
    result.errors().map((e) => e.message),
    result.stderr,
  ).toEqual([]);
  expect(result.strays).toEqual([]);
  expect(result.code).toBe(0);
}

const without = (record: Row, fields: readonly string[] = []): Row =>
  fields.length === 0 ? record : Object.fromEntries(Object.entries(record).filter(([field]) => !fields.includes(field)));

/**
 * A record without the fields the connector adds beyond the sandbox's truth (the API record plus
 * parent ids): those it copies from another stream's records (`StreamFacts.copiedFrom`).
 */
const contentOf = (vendor: SandboxVendor, stream: string, record: Row) => without(record, streamFacts(vendor, stream).copiedFrom?.fields);

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

/** `expectExactlyTheTruth` for each of `streams` in a read's output, each of which the sandbox must hold records of. */
export function expectEveryStreamExactly(sb: Sandbox, vendor: SandboxVendor, streams: readonly string[], result: ConnectorOutput): void {
  for (const stream of streams) expectExactlyTheTruth(sb, vendor, stream, result.records(stream), { nonEmpty: true });
}

/** Keys a mutation round updated or inserted in a stream, or in a stream whose cursor its records carry (`changesFollow`). */
export function changedKeys(summary: MutationSummary, vendor: SandboxVendor, stream: string): Set<string> {
  const changes = summary[vendor] ?? {};
  const sources = [stream, ...changesFollow(vendor, stream)];
  return new Set(sources.flatMap((name) => [...(changes[name]?.updated ?? []), ...(changes[name]?.inserted ?? [])]));
}

/**
 * An incremental read from `committed` (the stream's state blob) returned every changed record, in
 * its latest version, and no unchanged one except those sitting on the committed cursor (the lower
 * bound is inclusive, so a record sharing the last timestamp is never lost; at the granularity of
 * the API's filter, see `StreamFacts.cursorGranularity`) and those without any cursor value (nothing
 * says they did not change, so they are always read, unless the API leaves them out).
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
  const unsetExcluded = streamFacts(vendor, stream).unsetCursorExcluded === true;
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
  before: ConnectorOutput,
  result: ConnectorOutput,
  changed: (stream: string) => ReadonlySet<string>,
): void {
  for (const configured of catalog.streams.filter((s) => s.sync_mode === 'incremental')) {
    const stream = configured.stream.name;
    expectOnlyChanges(sb, vendor, configured, result.records(stream), changed(stream), before.committedState(stream));
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
  ws: Files;
  /** Path of the connector config (see `sandboxConfig`). */
  config: string;
  /** The discovered catalog with every stream configured, incrementally where it can be. */
  incremental: ConfiguredAirbyteCatalog;
  /** The discovered catalog configured otherwise (see `configuredCatalog`). */
  catalog(options: CatalogOptions): ConfiguredAirbyteCatalog;
  /** Runs `read` with this catalog and, if given, this state (written to files). */
  read(catalog: ConfiguredAirbyteCatalog, state?: unknown): Promise<ConnectorOutput>;
}

/** Starts a sandbox, writes a config for `vendor`, discovers, runs `test`, and cleans up whatever happens. */
export async function withSandbox(
  vendor: SandboxVendor,
  options: SandboxOptions,
  extra: Record<string, unknown>,
  test: (run: SandboxRun) => Promise<void>,
): Promise<void> {
  // Leanmote's hour-long quota windows, shortened unless a test sets them: reads of a test span seconds.
  const sb = await startSandbox({ leanmoteWindowScale: 0.001, ...options });
  const ws = new Files();
  try {
    const config = ws.write('config.json', sandboxConfig(sb, vendor, extra));
    const discovered = (await runCli(['discover', '--config', config])).catalog();
    const catalog = (options: CatalogOptions) => configuredCatalog(discovered, options);
    const read = (catalog: ConfiguredAirbyteCatalog, state?: unknown): Promise<ConnectorOutput> =>
      runCli(['read', '--config', config, ...ws.flags({ catalog, state })]);
    await test({ sb, ws, config, incremental: catalog({ mode: 'incremental' }), catalog, read });
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
export async function expectResumesFrom(run: SandboxRun, vendor: SandboxVendor, first: ConnectorOutput, stream: string, index: number): Promise<Row[]> {
  const state = first.messages[index]!.state!.stream!;
  const context = `${stream} resumed from STATE #${index} ${JSON.stringify(state.stream_state)}`;
  expect((state.stream_state as Row | undefined)?.['resume'], `${context} says where to resume`).toBeDefined();
  const resumed = await run.read(onlyStreams(run.incremental, [stream]), [{ type: 'STREAM', stream: state }]);
  expectSucceeded(resumed);
  const before = first.slice(0, index).records(stream);
  const after = resumed.records(stream);
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
  first: ConnectorOutput,
  streams: readonly string[],
  options: { fewest: number; parallel: number; pick?: (positions: number[]) => number[] },
): Promise<void> {
  const cases = streams.flatMap((stream) => {
    const intermediate = first.checkpoints(stream);
    expect(intermediate.length, `${stream} checkpoints mid-read`).toBeGreaterThanOrEqual(options.fewest);
    return (options.pick?.(intermediate) ?? intermediate).map((index) => ({ stream, index }));
  });
  await inParallel(cases, options.parallel, async ({ stream, index }) => {
    const after = await expectResumesFrom(run, vendor, first, stream, index);
    expect(after.length, `${stream} resumed from STATE #${index} started over`).toBeLessThan(first.records(stream).length);
  });
}
