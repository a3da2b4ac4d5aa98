/**
 * A list read lean (see `readStream`'s `asSent`): its pages are read without building their records.
 * Each record in an event holds only its primary key and cursor, which is all the read and the sync
 * loop's state need; its `json` is the whole record, as the API sent it. Streams whose key or cursor
 * is nested, whose paginator looks at the records' fields, and parents read for their partitions
 * are read whole.
 */
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { TEST_BASE_URL, testContext, testStream } from '../../tools/testing/engine/reader.js';
import { offsetLimit } from './pagination.js';
import { readStream, type ReadEvent } from './reader.js';
import type { StreamDefinition } from './stream.js';

const ITEMS = Array.from({ length: 5 }, (_, i) => ({
  id: `i${i}`,
  updatedAt: `2024-01-0${i + 1}T00:00:00Z`,
  meta: { lastModified: `2024-01-0${i + 1}T00:00:00Z` },
  name: `Item ${i}`,
  tags: ['a', { deep: [i] }],
}));

const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/items`, ({ request }) => {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Number(url.searchParams.get('limit') ?? 2);
    return HttpResponse.json({ data: ITEMS.slice(offset, offset + limit), meta: { totalCount: ITEMS.length } });
  }),
  http.get(`${TEST_BASE_URL}/children/:name`, ({ params }) => HttpResponse.json({ data: [{ id: `child of ${String(params.name)}` }] })),
);
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => msw.close());

const base = {
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/items' },
  records: 'data',
  paginate: offsetLimit({ size: 2, total: 'meta.totalCount' }),
};
const items = testStream({ ...base, name: 'items', incremental: { cursorField: ['updatedAt'] } });

type Records = Extract<ReadEvent, { kind: 'records' }>;

async function recordEvents(stream: StreamDefinition, cursor?: string, asSent = true): Promise<Records[]> {
  const events: Records[] = [];
  for await (const event of readStream(testContext(), stream, cursor, undefined, undefined, asSent)) if (event.kind === 'records') events.push(event);
  return events;
}

/** Each record's JSON, as its event gives it. */
const jsonOf = (event: Records) =>
  event.records.map((_, i) =>
    event.json ? JSON.parse(new TextDecoder().decode(event.json.bytes.subarray(event.json.starts[i], event.json.ends[i]))) : undefined,
  );

describe('a list read lean', () => {
  it('gives each record as its key and cursor, and its JSON whole', async () => {
    const events = await recordEvents(items);
    expect(events.every((e) => e.lean)).toBe(true);
    expect(events.flatMap((e) => e.records)).toEqual(ITEMS.map(({ id, updatedAt }) => ({ id, updatedAt })));
    expect(events.flatMap(jsonOf)).toEqual(ITEMS);
  });

  it('leaves out, by the cursor it holds, the records before the lower bound', async () => {
    const events = await recordEvents(items, '2024-01-04T00:00:00Z');
    expect(events.flatMap(jsonOf).map((r) => r.id)).toEqual(['i3', 'i4']);
  });

  it('is read whole where the cursor is nested, or the paginator looks at the records', async () => {
    const nested = testStream({ ...base, name: 'nested', incremental: { cursorField: ['meta', 'lastModified'] } });
    const looking = testStream({ ...base, name: 'looking', paginate: { ...base.paginate, readsRecords: true as const } });
    for (const stream of [nested, looking]) {
      const events = await recordEvents(stream);
      expect(events.some((e) => e.lean)).toBe(false);
      expect(events.flatMap((e) => e.records)).toEqual(ITEMS);
    }
  });

  it('gives records whole and without their bytes to a caller that does not write them as sent', async () => {
    const events = await recordEvents(items, undefined, false);
    expect(events.some((e) => e.lean || e.json)).toBe(false);
    expect(events.flatMap((e) => e.records)).toEqual(ITEMS);
  });

  it('reads a parent whole: its records give their partitions whatever fields they take', async () => {
    const children = testStream({
      name: 'children',
      schema: z.looseObject({}),
      primaryKey: [['id']],
      parent: { stream: items, fields: { name: 'name' } },
      request: { path: ({ name }) => `/children/${name}` },
      records: 'data',
    });
    const events = await recordEvents(children);
    expect(events.flatMap((e) => e.records).map((r) => r.id)).toEqual(ITEMS.map((item) => `child of ${item.name}`));
  });
});
