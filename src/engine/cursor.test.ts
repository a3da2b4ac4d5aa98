import { afterEach, describe, expect, it } from 'vitest';
import { compareCursors, cursorOf, isAtOrAfter, lowerBoundOf, normaliseCursor } from './cursor.js';

const zone = process.env.TZ;
afterEach(() => {
  if (zone === undefined) delete process.env.TZ;
  else process.env.TZ = zone;
});

describe('cursor values', () => {
  it('follows a cursor field by its names, one of which may hold a dot', () => {
    const record = { 'meta.lastModified': '2024-01-01', meta: { lastModified: '2024-02-02' } };
    expect(cursorOf(record, ['meta.lastModified'])).toBe('2024-01-01');
    expect(cursorOf(record, ['meta', 'lastModified'])).toBe('2024-02-02');
  });

  it('reads a date-time without a time zone as UTC, whatever the machine runs in', () => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Kolkata']) {
      process.env.TZ = tz;
      expect(normaliseCursor('2024-03-01T10:00:00')).toBe('2024-03-01T10:00:00.000Z');
      expect(normaliseCursor('2024-03-01 10:00:00.5')).toBe('2024-03-01T10:00:00.500Z');
      expect(compareCursors('2024-03-01T10:00:00', '2024-03-01T10:00:00Z')).toBe(0);
      expect(lowerBoundOf('2024-03-01T23:30:00', 'day')).toBe('2024-03-01T00:00:00.000Z');
    }
  });

  it('compares instants, not strings, across offsets and precisions', () => {
    expect(compareCursors('2024-03-01T10:00:00+02:00', '2024-03-01T09:00:00Z')).toBeLessThan(0);
    expect(compareCursors('2024-03-01T10:00:00.000Z', '2024-03-01T10:00:00Z')).toBe(0);
  });

  it('keeps a record on the lower bound and a record without a cursor', () => {
    const bound = '2024-03-01T10:00:00.000Z';
    expect(isAtOrAfter({ updatedAt: '2024-03-01T10:00:00Z' }, ['updatedAt'], bound)).toBe(true);
    expect(isAtOrAfter({ updatedAt: '2024-03-01T09:59:59.999Z' }, ['updatedAt'], bound)).toBe(false);
    expect(isAtOrAfter({ updatedAt: null }, ['updatedAt'], bound)).toBe(true);
  });
});
