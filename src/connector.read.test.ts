import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMswServer } from '../tools/testing/engine/msw.js';
import { errorTracesOf, finalStates, recordsOf, stateProblems, statesOf, statusesOf } from '../tools/testing/engine/messages.js';
import { configure, discover, Files, read } from '../tools/testing/connector.js';
import { fakeLeapsome, leapsomeConfig, type FakeLeapsome } from '../tools/testing/fake-leapsome.js';

const msw = createMswServer();
const files = new Files();
let fake: FakeLeapsome;

beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => {
  msw.close();
  files.dispose();
});

function useFake(options: Parameters<typeof fakeLeapsome>[0] = {}): FakeLeapsome {
  fake = fakeLeapsome(options);
  msw.server.use(...fake.handlers);
  return fake;
}

const keyOf = (record: Record<string, unknown>, pk: string[][]) => JSON.stringify(pk.map((path) => path.map((k) => k).reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], record)));

describe('read: every Leapsome stream', () => {
  it('reads every record of every stream once, with the protocol messages in order', async () => {
    useFake();
    const catalog = await discover(files, leapsomeConfig());
    expect(catalog.streams).toHaveLength(18);
    const result = await read(files, leapsomeConfig(), configure(catalog));
    expect(errorTracesOf(result.messages)).toEqual([]);
    expect(result.code).toBe(0);
    const data = fake.data;
    const expected: Record<string, number> = {
      goals: data.goals.length,
      goal_tags: data.tags.length,
      goal_comments: Object.values(data.comments).flat().length,
      review_cycles: data.cycles.length,
      review_cycle_details: data.cycles.length,
      review_participants: Object.values(data.participants).flat().length,
      review_participant_results: Object.values(data.participants).flat().length,
      employees: data.employees.length,
      timesheets: data.timesheets.length,
      payroll_cycles: data.payrollCycles.length,
      payroll_cycle_participants: Object.values(data.payrollParticipants).flat().length,
      work_locations: data.workLocations.length,
      absences: data.absences.length,
      feedback: data.feedback.length,
      document_categories: data.categories.length,
      access_roles: data.accessRoles.length,
      scim_users: data.scimUsers.length,
      scim_groups: data.scimGroups.length,
    };
    for (const stream of catalog.streams) {
      const records = recordsOf(result.messages, stream.name);
      expect(records.length, stream.name).toBe(expected[stream.name]);
      const keys = records.map((r) => keyOf(r, stream.source_defined_primary_key ?? []));
      expect(new Set(keys).size, `${stream.name} primary keys are unique`).toBe(keys.length);
      expect(statusesOf(result.messages, stream.name), stream.name).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    }
    expect(stateProblems(result.messages, catalog.streams.map((s) => s.name))).toEqual([]);
    // Streams run one after the other: each one's messages lie between its STARTED and COMPLETE.
    const order = result.messages
      .filter((m) => m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS' && m.trace.stream_status?.status !== 'RUNNING')
      .map((m) => m.trace?.stream_status?.stream_descriptor.name);
    expect(order).toEqual(catalog.streams.flatMap((s) => [s.name, s.name]));
  });

  it('stamps child records with their parent ids in the vendor casing', async () => {
    useFake();
    const catalog = await discover(files, leapsomeConfig());
    const result = await read(files, leapsomeConfig(), configure(catalog, ['goal_comments', 'review_participants', 'review_participant_results', 'payroll_cycle_participants']));
    expect(recordsOf(result.messages, 'goal_comments').every((r) => String(r.id).startsWith(`${String(r.goalId)}-`))).toBe(true);
    expect(recordsOf(result.messages, 'review_participants').every((r) => typeof r.reviewCycleId === 'string')).toBe(true);
    for (const r of recordsOf(result.messages, 'review_participant_results')) {
      expect(fake.data.participants[String(r.reviewCycleId)]?.some((p) => p._id === r.userId)).toBe(true);
    }
    expect(recordsOf(result.messages, 'payroll_cycle_participants').every((r) => String(r.id).startsWith(`pp${String(r.payrollCycleId).slice(2)}`))).toBe(true);
  });

  it('emits row estimates where the API reports a total', async () => {
    useFake();
    const catalog = await discover(files, leapsomeConfig());
    const result = await read(files, leapsomeConfig(), configure(catalog, ['employees', 'goals', 'scim_users']));
    const estimates = result.messages.filter((m) => m.trace?.type === 'ESTIMATE').map((m) => [m.trace?.estimate?.name, m.trace?.estimate?.row_estimate]);
    expect(estimates).toEqual([
      ['employees', 5],
      ['scim_users', 5],
    ]);
  });
});

describe('read: state round trips through the connector', () => {
  it('a second incremental read from the final state returns only the changes (and the boundary record)', async () => {
    useFake();
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals', 'goal_comments', 'scim_users', 'review_cycles', 'review_participants']);
    const first = await read(files, leapsomeConfig(), catalog);
    expect(first.code).toBe(0);
    const state = finalStates(first.messages);
    expect(state.map((s) => s.stream?.stream_descriptor.name).sort()).toEqual(['goal_comments', 'goals', 'review_cycles', 'review_participants', 'scim_users']);

    // Between the syncs: goal0 is edited; a participant of cycle0 changes (which moves its cycle).
    const later = new Date(Date.UTC(2024, 5, 1)).toISOString();
    fake.data.goals[0] = { ...fake.data.goals[0], updatedAt: later };
    const participant = fake.data.participants.cycle0?.[1] as Record<string, unknown>;
    participant.lastModifiedOn = later;
    (fake.data.cycles[0] as Record<string, unknown>).lastModifiedOn = later;

    const second = await read(files, leapsomeConfig(), catalog, state);
    expect(second.code).toBe(0);
    // goal6 has the newest cursor of the first read, so the boundary brings it back.
    expect(recordsOf(second.messages, 'goals').map((r) => r.id)).toEqual(['goal0', 'goal6']);
    expect(recordsOf(second.messages, 'review_cycles').map((r) => r._id)).toEqual(['cycle0', 'cycle2']);
    expect(recordsOf(second.messages, 'review_participants').map((r) => r._id)).toEqual(['user01', 'user21']);
    expect(recordsOf(second.messages, 'scim_users').map((r) => r.id)).toEqual(['su4']);
    expect(stateProblems(second.messages, catalog.streams.map((s) => s.stream.name))).toEqual([]);
  });

  it('accepts the state of streams that are no longer configured', async () => {
    useFake();
    const catalog = configure(await discover(files, leapsomeConfig()), ['goals']);
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'old_stream' }, stream_state: { whatever: 1 } } }];
    const result = await read(files, leapsomeConfig(), catalog, state);
    expect(result.code).toBe(0);
  });

  it('a full refresh of a stream emits one final STATE, with recordCount equal to its records', async () => {
    useFake();
    const catalog = configure(await discover(files, leapsomeConfig()), ['goal_tags', 'document_categories'], 'full_refresh');
    const result = await read(files, leapsomeConfig(), catalog);
    for (const name of ['goal_tags', 'document_categories']) {
      const states = statesOf(result.messages, name);
      expect(states).toHaveLength(1);
      expect(states[0]?.sourceStats?.recordCount).toBe(recordsOf(result.messages, name).length);
    }
  });
});
