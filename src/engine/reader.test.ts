import { delay, http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import type { Logger } from './logger.js';
import { offsetLimit, pageNumber } from './pagination.js';
import type { Position } from './reader.js';
import type { Row } from './stream.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { readAll, TEST_BASE_URL, testApi, testContext, testStream } from '../../tools/testing/engine/reader.js';

/** Five parents over three offset pages; children per parent vary: none, one, a full page, several pages. */
const CHILDREN: Record<string, number> = { p0: 3, p1: 0, p2: 5, p3: 1, p4: 2 };
const PARENTS = Object.keys(CHILDREN).map((id) => ({ id, updatedAt: '2024-01-01T00:00:00Z' }));
const childrenOf = (parent: string) =>
  Array.from({ length: CHILDREN[parent] ?? 0 }, (_, i) => ({ id: `${parent}-c${i}`, updatedAt: `2024-02-0${(i % 9) + 1}T00:00:00Z` }));
const ALL_CHILDREN = PARENTS.flatMap((p) => childrenOf(p.id).map((c) => ({ ...c, parentId: p.id })));

const parents = testStream({
  name: 'parents',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/parents' },
  records: 'data',
  paginate: offsetLimit({ size: 2, total: 'meta.totalCount' }),
});

const children = testStream({
  name: 'children',
  schema: z.looseObject({ id: z.string(), parentId: z.string() }),
  primaryKey: [['parentId'], ['id']],
  parent: { stream: parents, fields: { parentId: 'id' } },
  request: { path: ({ parentId }) => `/parents/${parentId}/children` },
  records: 'data',
  paginate: pageNumber({ param: 'page', sizeParam: 'pageSize', size: 2, first: 0 }),
  incremental: { cursorField: ['updatedAt'] },
});

const grandchildren = testStream({
  name: 'grandchildren',
  schema: z.looseObject({ parentId: z.string(), childId: z.string() }),
  primaryKey: [['parentId'], ['childId']],
  parent: { stream: children, fields: { parentId: 'parentId', childId: 'id' } },
  request: { path: ({ parentId, childId }) => `/parents/${parentId}/children/${childId}/detail` },
  records: 'data',
});

/** Handlers with random latency, so partitions read concurrently finish out of order. */
function handlers(options: { missingParent?: string; failingParent?: string } = {}) {
  return [
    http.get(`${TEST_BASE_URL}/parents`, ({ request }) => {
      const url = new URL(request.url);
      const offset = Number(url.searchParams.get('offset'));
      const limit = Number(url.searchParams.get('limit'));
      return HttpResponse.json({ data: PARENTS.slice(offset, offset + limit), meta: { totalCount: PARENTS.length } });
    }),
    http.get(`${TEST_BASE_URL}/parents/:parent/children`, async ({ params, request }) => {
      await delay(Math.floor(Math.random() * 4));
      const parent = String(params.parent);
      if (parent === options.missingParent) return HttpResponse.json({ message: 'not found' }, { status: 404 });
      if (parent === options.failingParent) return HttpResponse.json({ message: 'forbidden' }, { status: 403 });
      const url = new URL(request.url);
      const page = Number(url.searchParams.get('page'));
      const size = Number(url.searchParams.get('pageSize'));
      return HttpResponse.json({ data: childrenOf(parent).slice(page * size, (page + 1) * size) });
    }),
    http.get(`${TEST_BASE_URL}/parents/:parent/children/:child/detail`, async ({ params }) => {
      await delay(Math.floor(Math.random() * 4));
      return HttpResponse.json({ data: { detail: `${String(params.child)}!` } });
    }),
  ];
}

const key = (r: Row) => `${String(r.parentId)}/${String(r.id ?? r.childId)}`;

const msw = createMswServer();
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => msw.close());

describe('partitions of a child stream', () => {
  it('reads every partition, stamps the parent id on each child record, and repeats none', async () => {
    msw.server.use(...handlers());
    const result = await readAll(testContext(testApi(), { concurrency: 3 }), children);
    expect(result.records.map(key).sort()).toEqual(ALL_CHILDREN.map(key).sort());
    for (const record of result.records) expect(record.id).toMatch(new RegExp(`^${String(record.parentId)}-`));
  });

  it('resuming from any checkpoint, even mid-way through the partitions, loses no record', async () => {
    msw.server.use(...handlers());
    const context = testContext(testApi(), { concurrency: 3 });
    const full = await readAll(context, children);
    expect(full.checkpoints.length).toBeGreaterThan(0);
    for (const { at, recordsBefore } of full.checkpoints) {
      const before = full.records.slice(0, recordsBefore).map(key);
      const resumed = await readAll(context, children, { from: at });
      const union = new Set([...before, ...resumed.records.map(key)]);
      expect([...union].sort(), `from ${JSON.stringify(at)}`).toEqual(ALL_CHILDREN.map(key).sort());
    }
  });

  it('a checkpoint never moves past a partition that has not finished', async () => {
    msw.server.use(...handlers());
    const full = await readAll(testContext(testApi(), { concurrency: 5 }), children);
    // Every record of a partition the checkpoint claims as done must already have been emitted.
    for (const { at, recordsBefore } of full.checkpoints) {
      const emitted = new Set(full.records.slice(0, recordsBefore).map(key));
      const resumed = await readAll(testContext(), parents, { from: (at as Position).parent ?? {} });
      const remainingParents = new Set(resumed.records.map((r) => r.id));
      const done = PARENTS.filter((p) => !remainingParents.has(p.id));
      for (const parent of done) {
        for (const child of childrenOf(parent.id)) expect(emitted.has(`${parent.id}/${child.id}`)).toBe(true);
      }
    }
  });

  it('reads grandchildren through two levels of partitions, and resumes from the deepest checkpoints', async () => {
    msw.server.use(...handlers());
    const context = testContext(testApi(), { concurrency: 2 });
    const full = await readAll(context, grandchildren);
    const expected = ALL_CHILDREN.map((c) => `${c.parentId}/${c.id}`).sort();
    expect(full.records.map(key).sort()).toEqual(expected);
    expect(full.records.every((r) => r.detail === `${String(r.childId)}!`)).toBe(true);
    // A sample of the checkpoints, first and last included: each resume re-reads two levels.
    const sample = full.checkpoints.filter((_, i, all) => i % Math.ceil(all.length / 5) === 0 || i === all.length - 1);
    for (const { at, recordsBefore } of sample) {
      const resumed = await readAll(context, grandchildren, { from: at });
      const union = new Set([...full.records.slice(0, recordsBefore).map(key), ...resumed.records.map(key)]);
      expect([...union].sort()).toEqual(expected);
    }
  });

  it('skips a partition whose parent disappeared (404) with a warning, and reads the others', async () => {
    msw.server.use(...handlers({ missingParent: 'p2' }));
    const warnings: string[] = [];
    const logger: Logger = { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
    const result = await readAll(testContext(testApi(), { logger }), children);
    expect(result.records.map(key).sort()).toEqual(
      ALL_CHILDREN.filter((c) => c.parentId !== 'p2')
        .map(key)
        .sort(),
    );
    expect(warnings.join('\n')).toMatch(/parentId=p2.*404/);
  });

  it('a partition refused with 403 fails the read, and no checkpoint claims that partition', async () => {
    msw.server.use(...handlers({ failingParent: 'p2' }));
    const checkpoints: Position[] = [];
    const context = testContext(testApi());
    const read = (async () => {
      const { readStream } = await import('./reader.js');
      for await (const event of readStream(context, children, undefined, undefined)) {
        if (event.kind === 'checkpoint') checkpoints.push(event.at);
      }
    })();
    await expect(read).rejects.toSatisfy((error) => error instanceof HttpError && error.status === 403);
    // Resuming from the last checkpoint must still read p2's children.
    msw.reset();
    msw.server.use(...handlers());
    const resumed = await readAll(testContext(), children, { from: checkpoints.at(-1) ?? {} });
    expect(resumed.records.map(key)).toEqual(expect.arrayContaining(childrenOf('p2').map((c) => `p2/${c.id}`)));
  });

  it('filters child records on the cursor but keeps reading every partition', async () => {
    msw.server.use(...handlers());
    const result = await readAll(testContext(), children, { cursor: '2024-02-02T00:00:00.000Z' });
    const expected = ALL_CHILDREN.filter((c) => c.updatedAt >= '2024-02-02T00:00:00Z');
    expect(result.records.map(key).sort()).toEqual(expected.map(key).sort());
  });
});
