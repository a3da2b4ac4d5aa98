/**
 * End-to-end: the built CLI reads every Leapsome stream from the sandbox, and what it emits is
 * compared with the sandbox's truth by primary key: a full refresh brings exactly the sandbox's
 * records, an incremental read after the sandbox changed brings the changes and nothing else.
 * (Resuming from checkpoints: leapsome-resume.test.ts; faults and permissions: leapsome-faults.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { AirbyteStateMessage, ConfiguredAirbyteStream } from '../../src/protocol/generated.js';
import type { Sandbox } from '../../tools/sandbox/index.js';
import { onlyStreams } from '../../tools/testing/harness.js';
import { changedKeys, expectExactlyTheTruth, expectOnlyChanges, expectSucceeded, keyOf, truthByKey, withSandbox } from './kit.js';

type Row = Record<string, unknown>;

const streamsOf = (sb: Sandbox) => Object.keys(sb.streams('leapsome'));
const byStream = (states: AirbyteStateMessage[]) => new Map(states.map((s) => [s.stream!.stream_descriptor.name, s.stream!.stream_state as Row]));
const cursorKey = (configured: ConfiguredAirbyteStream) => (configured.cursor_field ?? []).join('.');

describe.concurrent('Leapsome through the built CLI against the sandbox', () => {
  it('full refresh returns exactly the sandbox’s records of every stream', async () => {
    await withSandbox('leapsome', { scale: 0.3, seed: 7 }, {}, async ({ sb, catalog: configure, read }) => {
      const catalog = configure({ mode: 'full_refresh' });
      expect(catalog.streams.map((s) => s.stream.name).sort()).toEqual(streamsOf(sb).sort());

      const result = await read(catalog);
      expectSucceeded(result);
      for (const stream of streamsOf(sb)) expectExactlyTheTruth(sb, 'leapsome', stream, result.records(stream));
      // The lastModifiedOn the connector adds to a cycle's detail is the cycle's own.
      const cycles = truthByKey(sb, 'leapsome', 'review_cycles');
      for (const detail of result.records('review_cycle_details')) {
        expect(detail['lastModifiedOn']).toBe(cycles.get(keyOf(detail, ['_id']))?.['lastModifiedOn']);
      }
      // Full refresh commits no cursor: the next full refresh starts from scratch.
      for (const state of result.finalStates()) expect(state.stream?.stream_state).toEqual({});
    });
  });

  it('an incremental read after the sandbox changed returns the changes and nothing else', async () => {
    await withSandbox('leapsome', { scale: 0.2, seed: 11 }, {}, async ({ sb, incremental, read }) => {
      const incrementalStreams = incremental.streams.filter((s) => s.sync_mode === 'incremental').map((s) => s.stream.name);
      expect(incrementalStreams.sort()).toEqual(
        [
          'absences',
          'goal_comments',
          'goals',
          'payroll_cycles',
          'review_cycle_details',
          'review_cycles',
          'review_participant_results',
          'review_participants',
          'scim_users',
          'work_locations',
        ].sort(),
      );

      const first = await read(incremental);
      expectSucceeded(first);
      for (const stream of streamsOf(sb)) expectExactlyTheTruth(sb, 'leapsome', stream, first.records(stream));
      const committed = byStream(first.finalStates());

      const summary = sb.mutate({ updates: 3, inserts: 2 });
      const second = await read(incremental, first.finalStates());
      expectSucceeded(second);
      for (const configured of incremental.streams) {
        const stream = configured.stream.name;
        const records = second.records(stream);
        if (configured.sync_mode === 'full_refresh') expectExactlyTheTruth(sb, 'leapsome', stream, records);
        else expectOnlyChanges(sb, 'leapsome', configured, records, changedKeys(summary, 'leapsome', stream), committed.get(stream));
      }

      // Every incremental stream had changes, and its cursor moved on to them.
      const moved = byStream(second.finalStates());
      for (const configured of onlyStreams(incremental, incrementalStreams).streams) {
        const stream = configured.stream.name;
        expect(changedKeys(summary, 'leapsome', stream).size, stream).toBeGreaterThan(0);
        const before = Date.parse(String(committed.get(stream)?.[cursorKey(configured)]));
        expect(Date.parse(String(moved.get(stream)?.[cursorKey(configured)])), `${stream}: cursor after the changes`).toBeGreaterThan(before);
      }

      // Nothing changed since: a third read brings back no change at all.
      const third = await read(onlyStreams(incremental, incrementalStreams), second.finalStates());
      expectSucceeded(third);
      for (const configured of onlyStreams(incremental, incrementalStreams).streams) {
        const stream = configured.stream.name;
        expectOnlyChanges(sb, 'leapsome', configured, third.records(stream), new Set(), moved.get(stream));
      }
    });
  });
});
