import { describe, expect, it } from 'vitest';
import type { MutationSummary } from '../sandbox/index.js';
import { checkChanges } from './verify.js';

const summary = {
  round: 1,
  at: '2026-01-01T00:00:00.000Z',
  leapsome: {
    goals: { updated: ['["a"]'], inserted: ['["b"]'] },
    review_cycles: { updated: ['["c1"]'], inserted: ['["c2"]'] },
    review_cycle_details: { updated: [], inserted: ['["c2"]'] },
  },
} as MutationSummary;

describe('checkChanges', () => {
  it('tells changes, ties on the saved cursor, records without a cursor and anything else apart', () => {
    const saved = '2025-05-31T10:00:00.000Z';
    const check = checkChanges(
      summary,
      'leapsome',
      'goals',
      [
        { key: '["a"]', cursor: '2026-01-01T00:00:00.000Z' },
        { key: '["b"]', cursor: '2026-01-01T00:00:00.000Z' },
        { key: '["tie"]', cursor: '2025-05-31T10:00:00+00:00' },
        { key: '["none"]', cursor: undefined },
        { key: '["old"]', cursor: '2024-01-01T00:00:00.000Z' },
        { key: '["a"]', cursor: '2026-01-01T00:00:00.000Z' },
      ],
      saved,
    );
    expect(check).toMatchObject({ changes: 2, changesBack: 2, onCursor: 1, noCursor: 1, other: 1, duplicated: 1, returned: 6 });
  });

  it('counts a change that did not come back as missing', () => {
    const check = checkChanges(summary, 'leapsome', 'goals', [{ key: '["a"]', cursor: '2026-01-01T00:00:00.000Z' }], '2025-01-01T00:00:00.000Z');
    expect(check.changesBack).toBe(1);
    expect(check.changes).toBe(2);
  });

  it('gives a cycle detail the changes of its cycle, whose cursor it carries', () => {
    const check = checkChanges(
      summary,
      'leapsome',
      'review_cycle_details',
      [
        { key: '["c1"]', cursor: '2026-01-01T00:00:00.000Z' },
        { key: '["c2"]', cursor: '2026-01-01T00:00:00.000Z' },
      ],
      '2025-01-01T00:00:00.000Z',
    );
    expect(check).toMatchObject({ changes: 2, changesBack: 2, other: 0, updated: 1, inserted: 1, follows: ['review_cycles'] });
  });

  it("counts PE365 check-ins re-read from the saved cursor's day as ties, since date_from filters whole days", () => {
    const check = checkChanges(
      { round: 1, at: '2026-01-01T00:00:00.000Z', pe365: {} } as MutationSummary,
      'pe365',
      'checkins',
      [
        { key: '["same-day"]', cursor: '2025-05-31T02:00:00.000Z' },
        { key: '["day-before"]', cursor: '2025-05-30T23:00:00.000Z' },
        { key: '["unsubmitted"]', cursor: null },
      ],
      '2025-05-31T18:00:00.000Z',
    );
    expect(check).toMatchObject({ onCursor: 1, noCursor: 0, other: 2 });
  });
});
