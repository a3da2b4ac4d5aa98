import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import { overlapping, resizablePages } from './overlap.js';
import { offsetLimit } from './pagination.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { readAll, TEST_BASE_URL, testContext, testStream } from '../../tools/testing/engine/reader.js';

/**
 * A list served with offsets, `withTotal` or not. Each answer waits a few turns of the event loop, so
 * that requests sent together are in flight together; `inFlight` counts them. Before serving request n
 * (from 1), `change(n, list)` may alter the list; `refuse(offset, n)` answers 400 instead.
 */
let list: string[] = [];
let withTotal = true;
let change: (request: number, items: string[]) => void = () => undefined;
let refuse: (offset: number, request: number) => boolean = () => false;
let inFlight = 0;
let mostInFlight = 0;
/** Requests that arrived while another was in flight. */
let cameAlong = 0;
let count = 0;
const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${String(i).padStart(3, '0')}`);
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/items`, async ({ request }) => {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('offset'));
    const n = ++count;
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    await turns(5);
    inFlight--;
    if (refuse(offset, n)) return HttpResponse.json({ message: 'refused' }, { status: 400 });
    change(n, list);
    const data = list.slice(offset, offset + SIZE).map((id) => ({ id }));
    return HttpResponse.json({ data, meta: withTotal ? { totalCount: list.length } : {} });
  }),
  // Page numbers from 1 and a page size the client picks, with a total (Leapsome's employees).
  http.get(`${TEST_BASE_URL}/pages`, async ({ request }) => {
    const url = new URL(request.url);
    const size = Number(url.searchParams.get('pageSize'));
    const from = (Number(url.searchParams.get('page')) - 1) * size;
    if (inFlight > 0) cameAlong++;
    mostInFlight = Math.max(mostInFlight, ++inFlight);
    await turns(5);
    inFlight--;
    return HttpResponse.json({ data: list.slice(from, from + size).map((id) => ({ id })), meta: { totalCount: list.length } });
  }),
);
beforeAll(() => msw.listen());
afterEach(() => {
  msw.reset();
  withTotal = true;
  change = () => undefined;
  refuse = () => false;
  inFlight = 0;
  mostInFlight = 0;
  cameAlong = 0;
  count = 0;
});
afterAll(() => msw.close());

const SIZE = 10;
const items = () =>
  testStream({
    name: 'items',
    schema: z.looseObject({ id: z.string() }),
    primaryKey: [['id']],
    request: { path: '/items' },
    records: 'data',
    paginate: overlapping(offsetLimit({ size: SIZE, total: 'meta.totalCount' })),
  });
const offsets = () => msw.requests.map((r) => Number(r.url.searchParams.get('offset')));
const read = async () => (await readAll(testContext(), items())).records.map((r) => r['id']);

describe('pages of a list asked for ahead', () => {
  it('asks for the next pages while one is handled when the list reports its total, and for none it will not need', async () => {
    list = ids(45);
    expect(await read()).toEqual(list);
    expect(mostInFlight).toBe(2);
    // Each page from the last record of the one before, and nothing past the end.
    expect(offsets()).toEqual([0, 9, 18, 27, 36]);
  });

  it('asks ahead on page numbers whose size it picks, each page sized to start on the last record read', async () => {
    list = ids(45);
    const pages = testStream({
      name: 'pages',
      schema: z.looseObject({ id: z.string() }),
      primaryKey: [['id']],
      request: { path: '/pages' },
      records: 'data',
      paginate: resizablePages({ param: 'page', sizeParam: 'pageSize', size: SIZE, first: 1, total: 'meta.totalCount' }),
    });
    expect((await readAll(testContext(), pages)).records.map((r) => r['id'])).toEqual(list);
    expect(mostInFlight).toBe(2);
    // Every page but the first two was asked for while the one before was on its way.
    expect(cameAlong).toBe(5);
    // The pages a read one page at a time asks for, each sized to hold the last record read and the most after it.
    const asked = msw.requests.map((r) => `${r.url.searchParams.get('page')}:${r.url.searchParams.get('pageSize')}`);
    expect(asked).toEqual(['1:10', '2:9', '3:8', '3:10', '4:9', '6:7', '5:10']);
  });

  it('asks for one page at a time when the list reports no total: none past its end', async () => {
    list = ids(45);
    withTotal = false;
    expect(await read()).toEqual(list);
    expect(mostInFlight).toBe(1);
    expect(offsets()).toEqual([0, 9, 18, 27, 36, 44]);
  });

  it('drops the pages asked for ahead when the list moves, and its failure with them: nothing lost, nothing twice', async () => {
    list = ids(45);
    // The second request finds the list moved back by one; the third (asked for ahead, from where the list was) fails.
    change = (n, items) => {
      if (n === 2) items.splice(0, 1);
    };
    refuse = (offset, n) => n === 3 && offset === 18;
    expect(await read()).toEqual(ids(45));
    expect(offsets().slice(0, 3)).toEqual([0, 9, 18]);
  });

  it('fails the read when a page asked for ahead fails and the read needs it', async () => {
    list = ids(45);
    refuse = (offset) => offset === 18;
    await expect(read()).rejects.toSatisfy((error) => error instanceof HttpError && error.status === 400);
  });
});
