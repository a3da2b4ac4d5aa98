import { delay, http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from './logger.js';
import { offsetLimit, pageNumber, singlePage } from './pagination.js';
import { parseStateFile } from './state.js';
import type { Row } from './stream.js';
import { sync, type ConfiguredStream } from './sync.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { memoryOutput, stateProblems, type ConnectorOutput } from '../../tools/testing/harness.js';
import { catalogEntry, TEST_BASE_URL, testApi, testContext, testStream } from '../../tools/testing/engine/reader.js';

const NOW = new Date('2025-06-01T00:00:00Z');

// ---- a client-side incremental list, offset-paged --------------------------------------------
let things: Row[] = [];
const day = (d: number) => new Date(Date.UTC(2024, 0, d)).toISOString();

const thingsStream = testStream({
  name: 'things',
  schema: z.looseObject({ id: z.string(), updatedAt: z.string() }),
  primaryKey: [['id']],
  request: { path: '/things' },
  records: 'data',
  paginate: offsetLimit({ size: 3, total: 'meta.totalCount' }),
  incremental: { cursorField: ['updatedAt'] },
});

const emptyStream = testStream({
  name: 'nothing',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/nothing' },
  paginate: singlePage(),
});

// ---- parent -> child -> grandchild ------------------------------------------------------------
const CHILD_COUNTS: Record<string, number> = { a: 3, b: 0, c: 4, d: 1, e: 2, f: 3 };
const failing = new Set<string>();
const parentsStream = testStream({
  name: 'parents',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/parents' },
  records: 'data',
  paginate: offsetLimit({ size: 2, total: 'meta.totalCount' }),
});
const childrenStream = testStream({
  name: 'children',
  schema: z.looseObject({ id: z.string(), parentId: z.string() }),
  primaryKey: [['parentId'], ['id']],
  parent: { stream: parentsStream, fields: { parentId: 'id' } },
  request: { path: ({ parentId }) => `/parents/${parentId}/children` },
  records: 'data',
  paginate: pageNumber({ param: 'page', sizeParam: 'pageSize', size: 2, first: 0 }),
});
const grandchildrenStream = testStream({
  name: 'grandchildren',
  schema: z.looseObject({ parentId: z.string(), childId: z.string() }),
  primaryKey: [['parentId'], ['childId']],
  parent: { stream: childrenStream, fields: { parentId: 'parentId', childId: 'id' } },
  request: { path: ({ parentId, childId }) => `/parents/${parentId}/children/${childId}` },
  records: 'data',
});
const childrenOf = (p: string) => Array.from({ length: CHILD_COUNTS[p] ?? 0 }, (_, i) => ({ id: `${p}${i}` }));
const ALL_CHILDREN = Object.keys(CHILD_COUNTS).flatMap((p) => childrenOf(p).map((c) => `${p}/${c.id}`));

const handlers = [
  http.get(`${TEST_BASE_URL}/things`, ({ request }) => {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('offset'));
    const limit = Number(url.searchParams.get('limit'));
    return HttpResponse.json({ data: things.slice(offset, offset + limit), meta: { totalCount: things.length } });
  }),
  http.get(`${TEST_BASE_URL}/nothing`, () => HttpResponse.json([])),
  http.get(`${TEST_BASE_URL}/parents`, ({ request }) => {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('offset'));
    const parents = Object.keys(CHILD_COUNTS).map((id) => ({ id }));
    return HttpResponse.json({ data: parents.slice(offset, offset + Number(url.searchParams.get('limit'))), meta: { totalCount: parents.length } });
  }),
  http.get(`${TEST_BASE_URL}/parents/:p/children`, async ({ params, request }) => {
    await delay(Math.floor(Math.random() * 3));
    if (failing.has(String(params.p))) return HttpResponse.json({ message: 'down' }, { status: 503 });
    const url = new URL(request.url);
    const page = Number(url.searchParams.get('page'));
    return HttpResponse.json({ data: childrenOf(String(params.p)).slice(page * 2, page * 2 + 2) });
  }),
  http.get(`${TEST_BASE_URL}/parents/:p/children/:c`, async ({ params }) => {
    await delay(Math.floor(Math.random() * 3));
    if (failing.has(String(params.c))) return HttpResponse.json({ message: 'down' }, { status: 503 });
    return HttpResponse.json({ data: { detail: String(params.c) } });
  }),
];

const msw = createMswServer(...handlers);
beforeAll(() => msw.listen());
afterEach(() => {
  msw.reset();
  failing.clear();
});
afterAll(() => msw.close());

async function runSync(
  streams: ConfiguredStream[],
  state: unknown = [],
  options: { startDate?: string; concurrency?: number } = {},
): Promise<{ out: ConnectorOutput; failed: string[] }> {
  const memory = memoryOutput();
  const failed = await sync(
    {
      reader: testContext(testApi({ retry: { maxRetries: 1 } }), { concurrency: options.concurrency ?? 3 }),
      output: memory.output,
      logger: silentLogger,
      vendor: 'Test',
      now: () => NOW,
      ...(options.startDate ? { startDate: options.startDate } : {}),
    },
    streams,
    parseStateFile(state),
  );
  return { out: memory.result(failed.length === 0 ? 0 : 1), failed };
}

const idsOf = (records: Row[]) => records.map((r) => r.id);
const keyOf = (r: Row) => `${String(r.parentId)}/${String(r.id ?? r.childId)}`;

describe('stream statuses and states', () => {
  it('every stream goes STARTED → RUNNING → COMPLETE and has a STATE, even when it has no records', async () => {
    things = Array.from({ length: 7 }, (_, i) => ({ id: `t${i}`, updatedAt: day(i + 1) }));
    const { out, failed } = await runSync([catalogEntry(thingsStream), catalogEntry(emptyStream)]);
    expect(failed).toEqual([]);
    for (const stream of ['things', 'nothing']) expect(out.statuses(stream)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(out.states('nothing')).toHaveLength(1);
    expect(out.states('nothing')[0]?.sourceStats?.recordCount).toBe(0);
    expect(stateProblems(out, ['things', 'nothing'])).toEqual([]);
    // RUNNING comes before the first record, COMPLETE after the last state.
    const kinds = out.messages.filter((m) => m.type !== 'LOG').map((m) => (m.type === 'TRACE' ? (m.trace?.stream_status?.status ?? m.trace?.type) : m.type));
    expect(kinds.slice(0, 3)).toEqual(['STARTED', 'ESTIMATE', 'RUNNING']);
  });

  it('checkpoints after every page; the record counts add up to the records emitted', async () => {
    things = Array.from({ length: 10 }, (_, i) => ({ id: `t${i}`, updatedAt: day(i + 1) }));
    const { out } = await runSync([catalogEntry(thingsStream, 'incremental')]);
    const states = out.states('things');
    expect(states.map((s) => s.sourceStats?.recordCount)).toEqual([3, 3, 3, 1]);
    expect(stateProblems(out, ['things'])).toEqual([]);
  });

  it('never repeats a state for nested partitions that share a parent position', async () => {
    const { out, failed } = await runSync([catalogEntry(grandchildrenStream)]);
    expect(failed).toEqual([]);
    expect(out.records('grandchildren').map(keyOf).sort()).toEqual([...ALL_CHILDREN].sort());
    expect(stateProblems(out, ['grandchildren'])).toEqual([]);
  });
});

describe('incremental state round trip', () => {
  it('a second read from the final state returns only what changed since (the boundary instant included)', async () => {
    things = Array.from({ length: 8 }, (_, i) => ({ id: `t${i}`, updatedAt: day(i + 1) }));
    const first = await runSync([catalogEntry(thingsStream, 'incremental')]);
    expect(idsOf(first.out.records('things'))).toEqual(things.map((t) => t.id));
    const state = first.out.finalStates();
    expect(state[0]?.stream?.stream_state).toEqual({ updatedAt: day(8) });

    // Between the syncs: t2 is edited, t8 is created.
    things = [...things.map((t) => (t.id === 't2' ? { ...t, updatedAt: day(40) } : t)), { id: 't8', updatedAt: day(41) }];
    const second = await runSync([catalogEntry(thingsStream, 'incremental')], state);
    const ids = idsOf(second.out.records('things'));
    // The record at the saved cursor itself is re-read (cursors are inclusive: a record changed in the
    // same instant must not be lost); nothing older is.
    expect(ids).toEqual(['t2', 't7', 't8']);
    expect(second.out.finalStates()[0]?.stream?.stream_state).toEqual({ updatedAt: day(41) });

    // Nothing changed: a third read emits only the boundary record and keeps the cursor.
    const third = await runSync([catalogEntry(thingsStream, 'incremental')], second.out.finalStates());
    expect(idsOf(third.out.records('things'))).toEqual(['t8']);
    expect(third.out.finalStates()[0]?.stream?.stream_state).toEqual({ updatedAt: day(41) });
  });

  it('an incremental read that fails mid-way resumes at its page and still commits the highest cursor', async () => {
    things = Array.from({ length: 10 }, (_, i) => ({ id: `t${i}`, updatedAt: day(20 - i) }));
    let served = 0;
    msw.server.use(http.get(`${TEST_BASE_URL}/things`, () => (++served > 2 ? HttpResponse.json({}, { status: 503 }) : undefined)));
    const first = await runSync([catalogEntry(thingsStream, 'incremental')]);
    expect(first.failed).toEqual(['things']);
    expect(idsOf(first.out.records('things'))).toEqual(['t0', 't1', 't2', 't3', 't4', 't5']);
    const interrupted = first.out.finalStates();
    // Mid-read, the committed cursor does not move; the state only says where to go on.
    expect(interrupted[0]?.stream?.stream_state).toEqual({ resume: { at: { page: 6 }, max: day(20), started: NOW.toISOString() } });

    msw.reset();
    const second = await runSync([catalogEntry(thingsStream, 'incremental')], interrupted);
    expect(idsOf(second.out.records('things'))).toEqual(['t6', 't7', 't8', 't9']);
    // The newest record was read in the first, interrupted run: its cursor is not lost.
    expect(second.out.finalStates()[0]?.stream?.stream_state).toEqual({ updatedAt: day(20) });
  });

  it('never moves the cursor past the moment the read started', async () => {
    things = [{ id: 'future', updatedAt: '2030-01-01T00:00:00.000Z' }];
    const { out } = await runSync([catalogEntry(thingsStream, 'incremental')]);
    expect(out.finalStates()[0]?.stream?.stream_state).toEqual({ updatedAt: NOW.toISOString() });
  });

  it('start_date bounds the first sync, in incremental and full refresh alike', async () => {
    things = Array.from({ length: 6 }, (_, i) => ({ id: `t${i}`, updatedAt: day(i + 1) }));
    for (const mode of ['incremental', 'full_refresh'] as const) {
      const { out } = await runSync([catalogEntry(thingsStream, mode)], [], { startDate: '2024-01-04T00:00:00Z' });
      expect(idsOf(out.records('things'))).toEqual(['t3', 't4', 't5']);
    }
  });

  it('a full refresh ignores the saved cursor', async () => {
    things = Array.from({ length: 4 }, (_, i) => ({ id: `t${i}`, updatedAt: day(i + 1) }));
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'things' }, stream_state: { updatedAt: day(3) } } }];
    const { out } = await runSync([catalogEntry(thingsStream, 'full_refresh')], state);
    expect(out.records('things')).toHaveLength(4);
  });
});

describe('partition state', () => {
  it('a read that fails mid-way through the partitions resumes from its last state and loses nothing', async () => {
    failing.add('d');
    const first = await runSync([catalogEntry(childrenStream)], [], { concurrency: 2 });
    expect(first.failed).toEqual(['children']);
    expect(first.out.statuses('children')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    expect(first.out.errors()[0]?.stream_descriptor?.name).toBe('children');
    const resumeState = first.out.finalStates();
    expect(resumeState[0]?.stream?.stream_state).toHaveProperty('resume');

    failing.clear();
    const second = await runSync([catalogEntry(childrenStream)], resumeState, { concurrency: 2 });
    expect(second.failed).toEqual([]);
    const union = new Set([...first.out.records('children'), ...second.out.records('children')].map(keyOf));
    expect([...union].sort()).toEqual([...ALL_CHILDREN].sort());
    // It resumed: the partitions finished before the failure are not all read again.
    expect(second.out.records('children').length).toBeLessThan(ALL_CHILDREN.length);
    expect(second.out.finalStates()[0]?.stream?.stream_state).toEqual({});
  });

  it('a grandchild read that fails resumes from its last state and loses nothing', async () => {
    failing.add('c2');
    const first = await runSync([catalogEntry(grandchildrenStream)], [], { concurrency: 2 });
    expect(first.failed).toEqual(['grandchildren']);
    failing.clear();
    const second = await runSync([catalogEntry(grandchildrenStream)], first.out.finalStates(), { concurrency: 2 });
    const union = new Set([...first.out.records('grandchildren'), ...second.out.records('grandchildren')].map(keyOf));
    expect([...union].sort()).toEqual([...ALL_CHILDREN].sort());
  });
});

describe('every checkpoint moves forward', () => {
  // CAT's test_read_sequential_slices resumes from each state in turn: none may mean "start over".
  it.each([
    ['children', childrenStream],
    ['grandchildren (nested partitions)', grandchildrenStream],
  ])('%s: each finished partition is a new state; resuming from a later one never reads more, and loses nothing after it', async (_name, stream) => {
    const first = await runSync([catalogEntry(stream)], [], { concurrency: 3 });
    const all = first.out.records(stream.name);
    const states = first.out.messages.flatMap((m, index) => (m.type === 'STATE' ? [index] : [])).slice(0, -1);
    // One state per partition that has finished (parents a-f, or their children).
    expect(states.length).toBeGreaterThanOrEqual(stream === childrenStream ? Object.keys(CHILD_COUNTS).length - 1 : ALL_CHILDREN.length - 1);
    let previous = all.length;
    for (const index of states) {
      const state = first.out.messages[index]?.state;
      const second = await runSync([catalogEntry(stream)], [state], { concurrency: 3 });
      const again = new Set(second.out.records(stream.name).map(keyOf));
      const context = `resumed from ${JSON.stringify(state?.stream?.stream_state)}`;
      expect(again.size, context).toBeLessThanOrEqual(previous);
      previous = again.size;
      const later = first.out.slice(index).records(stream.name).map(keyOf);
      expect(
        later.filter((key) => !again.has(key)),
        context,
      ).toEqual([]);
    }
    // (An empty partition finishing first moves the checkpoint without sparing any record.)
    expect(previous).toBeLessThan(all.length / 2);
  });
});

describe('failures', () => {
  it('a failing stream is INCOMPLETE with a transient error trace; the others still COMPLETE', async () => {
    things = [{ id: 't0', updatedAt: day(1) }];
    msw.server.use(http.get(`${TEST_BASE_URL}/nothing`, () => HttpResponse.json({ message: 'down' }, { status: 502 })));
    const { out, failed } = await runSync([catalogEntry(emptyStream), catalogEntry(thingsStream)]);
    expect(failed).toEqual(['nothing']);
    expect(out.statuses('nothing')).toEqual(['STARTED', 'INCOMPLETE']);
    expect(out.statuses('things')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    const [error] = out.errors();
    expect(error?.failure_type).toBe('transient_error');
    expect(error?.stream_descriptor?.name).toBe('nothing');
    expect(error?.message).toMatch(/HTTP 502 on nothing after 2 attempts/);
  });

  it('a response the stream cannot make sense of is a system_error (our bug to fix, not the user’s)', async () => {
    things = [];
    msw.server.use(http.get(`${TEST_BASE_URL}/things`, () => HttpResponse.json({ data: 'maintenance' })));
    const { out, failed } = await runSync([catalogEntry(thingsStream)]);
    expect(failed).toEqual(['things']);
    expect(out.errors()[0]).toMatchObject({ failure_type: 'system_error', stream_descriptor: { name: 'things' } });
    expect(out.errors()[0]?.message).toMatch(/no list of records at "data"/);
  });
});
