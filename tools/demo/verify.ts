import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { streamFacts, type MutationSummary, type Sandbox, type Vendor } from '../sandbox/index.js';

/** The records a read emitted, per stream, by primary key (the sandbox's key format) with their cursor. */
export class RecordKeys {
  readonly byStream = new Map<string, Array<{ key: string; cursor: unknown }>>();
  private readonly keyFields: Record<string, readonly string[]>;
  private readonly cursorFields = new Map<string, string[]>();

  constructor(sb: Sandbox, vendor: Vendor, catalog: ConfiguredAirbyteCatalog) {
    this.keyFields = sb.streams(vendor);
    for (const configured of catalog.streams) {
      this.byStream.set(configured.stream.name, []);
      if (configured.sync_mode === 'incremental' && configured.cursor_field) this.cursorFields.set(configured.stream.name, configured.cursor_field);
    }
  }

  observe(message: AirbyteMessage): void {
    if (message.type !== 'RECORD' || !message.record) return;
    const { stream, data } = message.record;
    const fields = this.keyFields[stream];
    if (!fields) return;
    const cursorField = this.cursorFields.get(stream);
    const cursor = cursorField?.reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], data);
    this.byStream.get(stream)?.push({ key: keyOf(fields, data), cursor });
  }
}

/** The sandbox's `primaryKeyOf` format: the JSON array of the key values. */
function keyOf(fields: readonly string[], record: Record<string, unknown>): string {
  return JSON.stringify(fields.map((field) => record[field] ?? null));
}

export interface TruthCheck {
  /** False when the sandbox has no truth for this stream. */
  known: boolean;
  expected: number;
  missing: number;
  unexpected: number;
  duplicated: number;
}

/** Compares the keys a full read emitted with every key the sandbox holds. */
export function checkAgainstTruth(sb: Sandbox, vendor: Vendor, stream: string, emitted: Array<{ key: string }>): TruthCheck {
  const fields = sb.streams(vendor)[stream];
  if (!fields) return { known: false, expected: 0, missing: 0, unexpected: 0, duplicated: 0 };
  const truth = new Set<string>();
  for (const record of sb.truthIterator(vendor, stream)) truth.add(keyOf(fields, record));
  const seen = new Set<string>();
  let duplicated = 0;
  let unexpected = 0;
  for (const { key } of emitted) {
    if (seen.has(key)) duplicated++;
    seen.add(key);
    if (!truth.has(key)) unexpected++;
  }
  let missing = 0;
  for (const key of truth) if (!seen.has(key)) missing++;
  return { known: true, expected: truth.size, missing, unexpected, duplicated };
}

/**
 * Streams whose records embed another stream's cursor, so they change when that stream does (a
 * fake's `StreamFacts.copiedFrom`).
 */
export function changesFollow(vendor: Vendor, stream: string): string[] {
  const from = streamFacts(vendor, stream).copiedFrom;
  return from ? [from.stream] : [];
}

const GRAIN_MS = { day: 86_400_000, second: 1_000 } as const;

/** Whether a cursor value falls on the committed cursor, at the granularity of the stream's API filter (`StreamFacts.cursorGranularity`). */
export function onCursor(vendor: Vendor, stream: string, value: unknown, committed: unknown): boolean {
  const granularity = streamFacts(vendor, stream).cursorGranularity;
  const grain = granularity ? GRAIN_MS[granularity] : 1;
  return Math.floor(Date.parse(String(value)) / grain) === Math.floor(Date.parse(String(committed)) / grain);
}

export interface ChangeCheck {
  stream: string;
  /** Other streams whose changes this one inherits (see `changesFollow`). */
  follows: string[];
  updated: number;
  inserted: number;
  returned: number;
  /** Changed records that came back / changed records in all. */
  changesBack: number;
  changes: number;
  /** Unchanged records on the saved cursor (at the API's granularity): the lower bound is inclusive, so ties are never lost. */
  onCursor: number;
  /** Records without a cursor value: nothing says they did not change, so they are always read. */
  noCursor: number;
  /** Unchanged records that should not have come back. */
  other: number;
  duplicated: number;
}

/** Classifies what an incremental read returned against what the sandbox changed since the saved state. */
export function checkChanges(
  summary: MutationSummary,
  vendor: Vendor,
  stream: string,
  emitted: Array<{ key: string; cursor: unknown }>,
  savedCursor: unknown,
): ChangeCheck {
  const changes = summary[vendor] ?? {};
  const changedKeys = new Set<string>();
  const counts = { updated: 0, inserted: 0 };
  const follows = changesFollow(vendor, stream);
  for (const source of [stream, ...follows]) {
    for (const kind of ['updated', 'inserted'] as const) {
      for (const key of changes[source]?.[kind] ?? []) {
        if (changedKeys.has(key)) continue;
        changedKeys.add(key);
        counts[kind]++;
      }
    }
  }
  const { updated, inserted } = counts;
  const seen = new Set<string>();
  const result: ChangeCheck = {
    stream,
    follows,
    updated,
    inserted,
    returned: emitted.length,
    changesBack: 0,
    changes: changedKeys.size,
    onCursor: 0,
    noCursor: 0,
    other: 0,
    duplicated: 0,
  };
  const unsetExcluded = streamFacts(vendor, stream).unsetCursorExcluded === true;
  for (const { key, cursor } of emitted) {
    if (seen.has(key)) {
      result.duplicated++;
      continue;
    }
    seen.add(key);
    if (changedKeys.has(key)) result.changesBack++;
    else if (cursor === undefined || cursor === null || cursor === '') result[unsetExcluded ? 'other' : 'noCursor']++;
    else if (onCursor(vendor, stream, cursor, savedCursor)) result.onCursor++;
    else result.other++;
  }
  return result;
}
