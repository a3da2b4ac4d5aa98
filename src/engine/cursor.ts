import { fieldOf, type Row } from './stream.js';

/**
 * The instant of a date-like cursor value in milliseconds, NaN if it is none. A date-time without a
 * time zone is read as UTC, as `Date.parse` does for a bare date, never in the machine's local zone:
 * the same state must mean the same instant wherever the connector runs.
 */
export function instantOf(value: string): number {
  const naive = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(value);
  return Date.parse(naive ? `${value.replace(' ', 'T')}Z` : value);
}

/** Compares two cursor values as instants when both are dates, else as strings. */
export function compareCursors(a: string, b: string): number {
  const x = instantOf(a);
  const y = instantOf(b);
  if (!Number.isNaN(x) && !Number.isNaN(y)) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function maxCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareCursors(a, b) >= 0 ? a : b;
}

export function minCursor(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareCursors(a, b) <= 0 ? a : b;
}

export function cursorOf(record: Row, field: string[]): string | undefined {
  const value = fieldOf(record, field);
  if (value === null || value === undefined || value === '') return undefined;
  return String(value);
}

/** Normalises a date-like cursor to ISO-8601 UTC so states compare and read the same everywhere. */
export function normaliseCursor(value: string): string {
  const time = instantOf(value);
  return Number.isNaN(time) ? value : new Date(time).toISOString();
}

/** A record is kept when its cursor is at or after the lower bound, or when it has no cursor at all. */
export function isAtOrAfter(record: Row, field: string[], lowerBound: string | undefined): boolean {
  if (lowerBound === undefined) return true;
  const value = cursorOf(record, field);
  return value === undefined || compareCursors(value, lowerBound) >= 0;
}

/** The lower bound a stream reads from: the cursor, floored to its UTC day or second where the stream asks so. */
export function lowerBoundOf(cursor: string | undefined, granularity: 'day' | 'second' | undefined): string | undefined {
  if (cursor === undefined || granularity === undefined) return cursor;
  const time = instantOf(cursor);
  if (Number.isNaN(time)) return cursor;
  if (granularity === 'second') return new Date(Math.floor(time / 1000) * 1000).toISOString();
  const day = new Date(time);
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate())).toISOString();
}
