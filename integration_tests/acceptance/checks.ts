/**
 * What Airbyte's connector acceptance tests (CAT) assert, as functions that list problems, so a
 * failing test names every offending stream, record or message at once.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AirbyteCatalog, AirbyteStateMessage, AirbyteStream, ConfiguredAirbyteCatalog, ConnectorSpecification } from '../../src/protocol/generated.js';
import type { ExpectedRecord, Json } from './fixtures.js';
import { messageProblems, type SchemaChecker } from './protocol.js';
import type { ConnectorOutput } from '../../tools/testing/harness.js';

export const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

type Schema = Record<string, unknown>;

/** Every stdout line is an AirbyteMessage, and no secret shows anywhere in the output. */
export function outputProblems(result: ConnectorOutput, secrets: string[] = []): string[] {
  const problems = result.lines.flatMap(messageProblems);
  for (const secret of secrets.filter((s) => s.length >= 4)) {
    if (result.stdout.includes(secret)) problems.push(`a secret (${secret.slice(0, 3)}…) appears on stdout`);
    if (result.stderr.includes(secret)) problems.push(`a secret (${secret.slice(0, 3)}…) appears on stderr`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------- schemas

/** Calls `visit` on every subschema with its JSON path. */
function walk(schema: unknown, path: string, visit: (node: Schema, path: string) => void): void {
  if (!schema || typeof schema !== 'object' || Array.isArray(schema)) return;
  const node = schema as Schema;
  visit(node, path);
  for (const [name, sub] of Object.entries((node.properties as Schema | undefined) ?? {})) walk(sub, `${path}.${name}`, visit);
  if (node.items) walk(node.items, `${path}[]`, visit);
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    (node[key] as unknown[] | undefined)?.forEach((sub, i) => {
      walk(sub, `${path}.${key}[${i}]`, visit);
    });
  }
}

function hasKey(value: unknown, key: string): boolean {
  if (!value || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasKey(v, key));
  return Object.entries(value).some(([k, v]) => k === key || hasKey(v, key));
}

function types(node: Schema): string[] {
  return Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
}

const SECRET_NAME = /(key|token|secret|password)$/i;

/** CAT's spec rules. */
export function specProblems(spec: ConnectorSpecification, checker: SchemaChecker): string[] {
  const problems: string[] = [];
  const root = spec.connectionSpecification as Schema;
  if (root.$schema !== DRAFT_07) problems.push(`$schema is ${String(root.$schema)}, not draft-07`);
  const invalid = checker.schemaProblem(root);
  if (invalid) problems.push(`not a valid draft-07 schema: ${invalid}`);
  if (typeof spec.documentationUrl !== 'string' || !spec.documentationUrl.startsWith('https://')) problems.push('documentationUrl missing');
  if (hasKey(root, '$ref')) problems.push('uses $ref');
  walk(root, '', (node, path) => {
    for (const keyword of ['allOf', 'anyOf', 'not']) if (keyword in node) problems.push(`${path || '(root)'} uses ${keyword}`);
    if ('additionalProperties' in node && node.additionalProperties !== true) problems.push(`${path || '(root)'} has additionalProperties other than true`);
    if (Array.isArray(node.type)) problems.push(`${path} has a list of types`);
    if (types(node).includes('array') && !node.items) problems.push(`${path} is an array without items`);
    const properties = (node.properties as Record<string, Schema> | undefined) ?? {};
    const orders = Object.values(properties)
      .map((p) => p.order)
      .filter((o) => o !== undefined);
    if (new Set(orders).size !== orders.length) problems.push(`${path || '(root)'} repeats an order value`);
    for (const [name, property] of Object.entries(properties)) {
      if (SECRET_NAME.test(name) && property.airbyte_secret !== true) problems.push(`${path}.${name} looks secret but is not airbyte_secret`);
    }
    if (Array.isArray(node.oneOf)) problems.push(...oneOfProblems(node.oneOf as Schema[], path));
  });
  return problems;
}

/** A oneOf is a set of objects told apart by exactly one shared, required, const property. */
function oneOfProblems(variants: Schema[], path: string): string[] {
  const problems: string[] = [];
  if (variants.some((v) => !types(v).includes('object') || !v.properties)) return [`${path}.oneOf has a variant that is not an object with properties`];
  const constNames = variants.map((v) =>
    Object.entries(v.properties as Record<string, Schema>)
      .filter(([, p]) => p.const !== undefined)
      .map(([n]) => n),
  );
  const shared = (constNames[0] ?? []).filter((name) => constNames.every((names) => names.includes(name)));
  if (shared.length !== 1) return [`${path}.oneOf has ${shared.length} shared const discriminators (${shared.join(', ')}), not exactly one`];
  const discriminator = shared[0] as string;
  const values = variants.map((v) => (v.properties as Record<string, Schema>)[discriminator]!.const);
  if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) problems.push(`${path}.oneOf repeats a ${discriminator} value`);
  variants.forEach((v, i) => {
    if (!((v.required as string[] | undefined) ?? []).includes(discriminator)) problems.push(`${path}.oneOf[${i}] does not require ${discriminator}`);
  });
  return problems;
}

/** Does a field path exist in a stream schema? */
export function pathInSchema(schema: Schema, path: string[]): boolean {
  let node: Schema | undefined = schema;
  for (const segment of path) {
    node = (node?.properties as Record<string, Schema> | undefined)?.[segment];
    if (!node) return false;
  }
  return true;
}

const DATA_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** CAT's discovery rules. */
export function catalogProblems(catalog: AirbyteCatalog, checker: SchemaChecker): string[] {
  const problems: string[] = [];
  const names = catalog.streams.map((s) => s.name);
  if (names.length === 0) problems.push('no streams');
  if (new Set(names).size !== names.length) problems.push(`stream names repeat: ${names.join(', ')}`);
  for (const stream of catalog.streams) problems.push(...streamProblems(stream, checker).map((p) => `${stream.name}: ${p}`));
  return problems;
}

function streamProblems(stream: AirbyteStream, checker: SchemaChecker): string[] {
  const problems: string[] = [];
  const schema = stream.json_schema as Schema;
  const invalid = checker.schemaProblem(schema);
  if (invalid) problems.push(`invalid draft-07 schema: ${invalid}`);
  if (!types(schema).includes('object') || !schema.properties) problems.push('schema is not an object with properties');
  if (hasKey(schema, '$ref')) problems.push('schema uses $ref');
  walk(schema, '', (node, path) => {
    for (const keyword of ['allOf', 'not']) if (keyword in node) problems.push(`${path} uses ${keyword}`);
    if ('additionalProperties' in node && node.additionalProperties !== true) problems.push(`${path || '(root)'} has additionalProperties other than true`);
    for (const type of types(node)) if (!DATA_TYPES.has(type)) problems.push(`${path} has unsupported type ${type}`);
  });
  const modes = stream.supported_sync_modes ?? [];
  if (modes.length === 0) problems.push('no supported sync modes');
  for (const key of stream.source_defined_primary_key ?? []) {
    if (!pathInSchema(schema, key)) problems.push(`primary key ${key.join('.')} is not in the schema`);
  }
  if (modes.includes('incremental')) {
    if (!stream.source_defined_cursor || !stream.default_cursor_field?.length) problems.push('incremental without a source-defined default cursor');
    else if (!pathInSchema(schema, stream.default_cursor_field)) problems.push(`cursor ${stream.default_cursor_field.join('.')} is not in the schema`);
  }
  return problems;
}

// ---------------------------------------------------------------------------------------- records

export function valueAt(record: Json, path: string[]): unknown {
  return path.reduce<unknown>((value, key) => (value as Json | null | undefined)?.[key], record);
}

export function keyOf(record: Json, primaryKey: string[][]): string {
  return JSON.stringify(primaryKey.map((path) => valueAt(record, path) ?? null));
}

/**
 * Records match their stream's schema and, with `failOnExtraColumns` (CAT's option, on by default),
 * have no top-level field the schema does not declare.
 */
export function recordProblems(result: ConnectorOutput, catalog: ConfiguredAirbyteCatalog, checker: SchemaChecker, failOnExtraColumns = true): string[] {
  const problems: string[] = [];
  const schemas = new Map(catalog.streams.map((s) => [s.stream.name, s.stream.json_schema as Schema]));
  const reported = new Map<string, number>();
  for (const m of result.messages) {
    if (m.type !== 'RECORD' || !m.record) continue;
    const { stream, data } = m.record;
    const schema = schemas.get(stream);
    const say = (problem: string) => {
      const n = reported.get(stream) ?? 0;
      reported.set(stream, n + 1);
      if (n < 3) problems.push(`${stream}: ${problem}`);
    };
    if (!schema) {
      say('a record of a stream that is not in the configured catalog');
      continue;
    }
    const mismatch = checker.problem(schema, data);
    if (mismatch) say(`record ${JSON.stringify(data).slice(0, 120)} does not match its schema: ${mismatch}`);
    if (!failOnExtraColumns) continue;
    const declared = Object.keys((schema.properties as Schema | undefined) ?? {});
    const extra = Object.keys(data as Json).filter((k) => !declared.includes(k));
    if (extra.length > 0) say(`record has fields its schema does not declare: ${extra.join(', ')}`);
  }
  return problems;
}

/**
 * Each expected record appears, with exactly this data, among the records of its stream. Expected
 * records were recorded from a sandbox on `recordedUrl`; records that carry the sandbox's own URL are
 * compared as if served from there.
 */
export function missingExpectedRecords(result: ConnectorOutput, expected: ExpectedRecord[], sandboxUrl: string, recordedUrl: string): string[] {
  const byStream = new Map(
    [...result.recordsByStream()].map(([stream, records]) => [
      stream,
      records.map((record) => JSON.parse(JSON.stringify(record).replaceAll(sandboxUrl, recordedUrl)) as Json),
    ]),
  );
  return expected
    .filter((e) => !(byStream.get(e.stream) ?? []).some((record) => isDeepStrictEqual(record, e.data)))
    .map((e) => `${e.stream}: ${JSON.stringify(e.data).slice(0, 160)}`);
}

// ---------------------------------------------------------------------------------------- states and statuses

function stateName(state: AirbyteStateMessage): string {
  return state.stream?.stream_descriptor.name ?? '(no stream)';
}

/**
 * STREAM states only, at least one per configured stream, and each state's sourceStats.recordCount
 * equal to the records of its stream since that stream's previous state.
 */
export function stateProblems(result: ConnectorOutput, catalog: ConfiguredAirbyteCatalog): string[] {
  const problems: string[] = [];
  const configured = new Set(catalog.streams.map((s) => s.stream.name));
  const sinceState = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const m of result.messages) {
    if (m.type === 'RECORD' && m.record) sinceState.set(m.record.stream, (sinceState.get(m.record.stream) ?? 0) + 1);
    if (m.type !== 'STATE' || !m.state) continue;
    const name = stateName(m.state);
    if (m.state.type !== 'STREAM') problems.push(`${name}: state of type ${String(m.state.type)}, not STREAM`);
    if (!configured.has(name)) problems.push(`state of a stream that is not configured: ${name}`);
    const count = m.state.sourceStats?.recordCount;
    if (typeof count !== 'number') problems.push(`${name}: state without sourceStats.recordCount`);
    else if (count !== (sinceState.get(name) ?? 0))
      problems.push(`${name}: sourceStats.recordCount ${count}, but ${sinceState.get(name) ?? 0} records since the previous state`);
    sinceState.set(name, 0);
    seen.set(name, (seen.get(name) ?? 0) + 1);
  }
  for (const name of configured) if (!seen.has(name)) problems.push(`${name}: no state`);
  return problems;
}

/**
 * Per configured stream: STARTED, then RUNNING, then COMPLETE (RUNNING may be absent when nothing
 * was read), and its records only between STARTED and COMPLETE.
 */
export function statusProblems(result: ConnectorOutput, catalog: ConfiguredAirbyteCatalog): string[] {
  const problems: string[] = [];
  const statuses = new Map<string, Array<{ status: string; at: number }>>();
  result.messages.forEach((m, at) => {
    if (m.type !== 'TRACE' || m.trace?.type !== 'STREAM_STATUS' || !m.trace.stream_status) return;
    const { stream_descriptor, status } = m.trace.stream_status;
    const list = statuses.get(stream_descriptor.name) ?? [];
    list.push({ status, at });
    statuses.set(stream_descriptor.name, list);
  });
  for (const { stream } of catalog.streams) {
    const list = statuses.get(stream.name) ?? [];
    const sequence = list.map((s) => s.status).filter((s, i, all) => i === 0 || all[i - 1] !== s);
    const ok = isDeepStrictEqual(sequence, ['STARTED', 'RUNNING', 'COMPLETE']) || isDeepStrictEqual(sequence, ['STARTED', 'COMPLETE']);
    if (!ok) {
      problems.push(`${stream.name}: statuses ${sequence.join(' → ') || '(none)'}`);
      continue;
    }
    const started = list[0]!.at;
    const complete = list[list.length - 1]!.at;
    const outside = result.messages.some((m, at) => m.type === 'RECORD' && m.record?.stream === stream.name && (at < started || at > complete));
    if (outside) problems.push(`${stream.name}: records outside STARTED … COMPLETE`);
  }
  for (const name of statuses.keys()) {
    if (!catalog.streams.some((s) => s.stream.name === name)) problems.push(`status of a stream that is not configured: ${name}`);
  }
  return problems;
}

/** The cursor value of each stream's state. */
export function cursorsOf(states: AirbyteStateMessage[], catalog: ConfiguredAirbyteCatalog): Map<string, string> {
  const cursors = new Map<string, string>();
  for (const state of states) {
    const name = stateName(state);
    const configured = catalog.streams.find((s) => s.stream.name === name);
    if (!configured?.cursor_field?.length) continue;
    const value = (state.stream?.stream_state as Json | undefined)?.[configured.cursor_field.join('.')];
    if (typeof value === 'string') cursors.set(name, value);
  }
  return cursors;
}

/** Incremental records whose cursor is older than the state they were read from (CAT's two-sequential-reads rule). */
export function recordsOlderThan(result: ConnectorOutput, catalog: ConfiguredAirbyteCatalog, cursors: Map<string, string>): string[] {
  const problems: string[] = [];
  for (const { stream, sync_mode, cursor_field } of catalog.streams) {
    const bound = cursors.get(stream.name);
    if (sync_mode !== 'incremental' || !cursor_field?.length || bound === undefined) continue;
    const floor = Date.parse(bound);
    for (const record of result.recordsByStream().get(stream.name) ?? []) {
      const value = valueAt(record, cursor_field);
      if (typeof value !== 'string' || !(Date.parse(value) >= floor)) {
        problems.push(`${stream.name}: ${cursor_field.join('.')} ${JSON.stringify(value)} is older than the state's ${bound}`);
        break;
      }
    }
  }
  return problems;
}

export function withSyncMode(catalog: ConfiguredAirbyteCatalog, mode: 'full_refresh' | 'incremental'): ConfiguredAirbyteCatalog {
  if (mode === 'incremental') return { streams: catalog.streams.filter((s) => s.sync_mode === 'incremental') };
  return {
    streams: catalog.streams.map(({ cursor_field: _cursor, ...s }) => ({ ...s, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })),
  };
}
