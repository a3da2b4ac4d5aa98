/**
 * End-to-end: a Leapsome read resumed from an intermediate STATE returns at least the remainder
 * (the records emitted before that STATE, plus those of the resumed read, cover the sandbox's truth),
 * for a sample of the checkpoints of every stream: page checkpoints of lists, partition checkpoints
 * of child streams, and nested partitions (cycle → participant → result).
 */
import { describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../src/protocol/generated.js';
import { onlyStreams } from '../../tools/testing/harness.js';
import { duplicates, expectExactlyTheTruth, expectSucceeded, inParallel, keyOf, sample, truthByKey, withSandbox } from './kit.js';

type Row = Record<string, unknown>;

/** Intermediate STATEs checked per stream, evenly spread, first and last included. */
const SAMPLES = 8;

describe('Leapsome resumed from intermediate states', () => {
  it('a read resumed from any intermediate STATE returns at least the remainder', async () => {
    // Small pages make many pages, hence many checkpoints, out of little data; two partitions at a
    // time make nested partitions checkpoint mid-read too.
    await withSandbox('leapsome', { scale: 0.1, seed: 5 }, { page_size: 7, concurrency: 2 }, async ({ sb, incremental, read }) => {
      const first = await read(incremental);
      expectSucceeded(first);
      const streams = Object.keys(sb.streams('leapsome'));

      // Per stream, the positions of its intermediate STATEs (its last STATE closes the stream).
      const checkpoints = new Map<string, number[]>();
      for (const stream of streams) {
        expectExactlyTheTruth(sb, 'leapsome', stream, first.records(stream));
        const intermediate = first.checkpoints(stream);
        if (intermediate.length > 0) checkpoints.set(stream, sample(intermediate, SAMPLES));
      }
      // Every list of more than one page and every child stream checkpoints mid-read.
      expect([...checkpoints.keys()].sort()).toEqual(
        [
          'absences',
          'employees',
          'feedback',
          'goal_comments',
          'goals',
          'payroll_cycle_participants',
          'payroll_cycles',
          'review_cycle_details',
          'review_cycles',
          'review_participant_results',
          'review_participants',
          'scim_users',
          'timesheets',
          'work_locations',
        ].sort(),
      );

      // Streams resume independently, so one read can resume every stream from one of its
      // checkpoints: resumed read k takes the k-th sampled checkpoint of each stream that has one.
      const rounds = Math.max(...[...checkpoints.values()].map((list) => list.length));
      const checked: string[] = [];
      const fewest = new Map<string, number>();
      await inParallel(
        Array.from({ length: rounds }, (_, k) => k),
        4,
        async (k) => {
          const resumeAt = new Map([...checkpoints].flatMap(([stream, list]) => (list[k] === undefined ? [] : [[stream, list[k]] as const])));
          const stateOf = (index: number) => (first.messages[index] as AirbyteMessage).state!.stream!;
          const resumed = await read(
            onlyStreams(incremental, [...resumeAt.keys()]),
            [...resumeAt.values()].map((index) => ({ type: 'STREAM', stream: stateOf(index) })),
          );
          expectSucceeded(resumed);
          for (const [stream, index] of resumeAt) {
            const blob = stateOf(index).stream_state as Row;
            const context = `${stream} resumed from STATE #${index} ${JSON.stringify(blob)}`;
            expect(blob['resume'], `${context} says where to resume`).toBeDefined();
            const key = sb.streams('leapsome')[stream] as readonly string[];
            const before = first.slice(0, index).records(stream);
            const after = resumed.records(stream);
            const union = new Set([...before, ...after].map((record) => keyOf(record, key)));
            expect(
              [...truthByKey(sb, 'leapsome', stream).keys()].filter((k) => !union.has(k)),
              `${context}: lost records`,
            ).toEqual([]);
            expect(duplicates(after.map((record) => keyOf(record, key))), `${context}: duplicated keys`).toEqual([]);
            fewest.set(stream, Math.min(fewest.get(stream) ?? Infinity, after.length));
            checked.push(`${stream}#${index}`);
          }
        },
      );
      expect(checked.length).toBe([...checkpoints.values()].flat().length);
      expect(checked.length).toBeGreaterThan(50);
      // Resuming is not starting over: from some checkpoint of every stream, less than everything is
      // read again. (Early checkpoints of nested partitions may still mean "from the start".)
      for (const [stream, count] of fewest) {
        expect(count, `${stream}: fewest records read by a resumed read`).toBeLessThan(first.records(stream).length);
      }
    });
  });
});
