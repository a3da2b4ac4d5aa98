/**
 * End-to-end: start_date is the lower bound of every incremental Leapsome stream's first sync,
 * whether the API filters (lastModifiedAfter) or the connector does (client-side cursors): the
 * built CLI emits exactly the sandbox's records whose cursor is at or after it (or that have no
 * cursor value), and none older.
 */
import { describe, expect, it } from 'vitest';
import { onlyStreams } from '../../tools/testing/harness.js';
import { duplicates, expectSucceeded, keyOf, truthByKey, withSandbox } from './kit.js';

type Row = Record<string, unknown>;

const START = '2023-01-01T00:00:00Z';

/** Each incremental stream's cursor, as the sandbox's records carry it (a cycle's detail: its cycle's). */
const CURSORS: Record<string, { from: string; field: string[] }> = {
  goals: { from: 'goals', field: ['updatedAt'] },
  goal_comments: { from: 'goal_comments', field: ['updatedAt'] },
  review_cycles: { from: 'review_cycles', field: ['lastModifiedOn'] },
  review_cycle_details: { from: 'review_cycles', field: ['lastModifiedOn'] },
  review_participants: { from: 'review_participants', field: ['lastModifiedOn'] },
  review_participant_results: { from: 'review_participant_results', field: ['lastModifiedOn'] },
  payroll_cycles: { from: 'payroll_cycles', field: ['updatedAt'] },
  work_locations: { from: 'work_locations', field: ['updatedAt'] },
  absences: { from: 'absences', field: ['updatedAt'] },
  scim_users: { from: 'scim_users', field: ['meta', 'lastModified'] },
};

const valueAt = (record: Row, path: string[]) => path.reduce<unknown>((v, k) => (v as Row | null | undefined)?.[k], record);

describe('Leapsome start_date', () => {
  it('bounds the first incremental sync of every incremental stream, server- and client-side alike', async () => {
    await withSandbox('leapsome', { scale: 0.2, seed: 13 }, { start_date: START }, async ({ sb, incremental, read }) => {
      const streams = Object.keys(CURSORS);
      expect(
        incremental.streams
          .filter((s) => s.sync_mode === 'incremental')
          .map((s) => s.stream.name)
          .sort(),
      ).toEqual([...streams].sort());
      // The config withSandbox wrote carries start_date; no state: this is the first sync.
      const result = await read(onlyStreams(incremental, streams));
      expectSucceeded(result);

      const bound = Date.parse(START);
      let filteredOut = 0;
      for (const stream of streams) {
        const { from, field } = CURSORS[stream] as { from: string; field: string[] };
        const pk = sb.streams('leapsome')[stream] as readonly string[];
        const cursorOfTruth = new Map(sb.truth('leapsome', from).map((r) => [keyOf(r, sb.streams('leapsome')[from] as readonly string[]), valueAt(r, field)]));
        const kept = (record: Row) => {
          const value = from === stream ? valueAt(record, field) : cursorOfTruth.get(keyOf(record, ['_id']));
          return value === null || value === undefined || Date.parse(String(value)) >= bound;
        };
        const truth = [...truthByKey(sb, 'leapsome', stream).values()];
        const expected = truth
          .filter(kept)
          .map((r) => keyOf(r, pk))
          .sort();
        filteredOut += truth.length - expected.length;
        const emitted = result.records(stream).map((r) => keyOf(r, pk));
        expect(duplicates(emitted), `${stream}: duplicated keys`).toEqual([]);
        expect([...emitted].sort(), `${stream}: records at or after start_date, and only those`).toEqual(expected);
      }
      // The bound really cut the history in two.
      expect(filteredOut).toBeGreaterThan(50);
    });
  });
});
