import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from './logger.js';
import { overlapping, resizablePages } from './overlap.js';
import { offsetLimit, scimIndex } from './pagination.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { readAll, TEST_BASE_URL, testContext, testStream } from '../../tools/testing/engine/reader.js';

/**
 * A list that changes between two page requests: before serving request n (from 1), `change(n, list,
 * offset)` may insert or delete records anywhere. Records that stay keep their order, as in a list
 * ordered by creation. Offsets (`/items`) or SCIM start indexes (`/Users`), a total, at most `cap`
 * records a page.
 */
let list: string[] = [];
let change: (request: number, items: string[], offset: number) => void = () => undefined;
let cap = Infinity;
let served = 0;
const ids = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `r${String(from + i).padStart(3, '0')}`);

const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/items`, ({ request }) => {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('offset'));
    change(++served, list, offset);
    const limit = Math.min(Number(url.searchParams.get('limit')), cap);
    return HttpResponse.json({ data: list.slice(offset, offset + limit).map((id) => ({ id })), meta: { totalCount: list.length } });
  }),
  // Page numbers from 1 with a page size, a bare array and no total, like Leapsome's /absences.
  http.get(`${TEST_BASE_URL}/pages`, ({ request }) => {
    const url = new URL(request.url);
    const page = Number(url.searchParams.get('page'));
    if (page < 1 || page > MAX_PAGE) return HttpResponse.json({ message: 'page out of range' }, { status: 400 });
    const size = Math.min(Number(url.searchParams.get('pageSize')), cap);
    change(++served, list, (page - 1) * size);
    return HttpResponse.json(list.slice((page - 1) * size, page * size).map((id) => ({ id })));
  }),
  http.get(`${TEST_BASE_URL}/Users`, ({ request }) => {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('startIndex')) - 1;
    change(++served, list, offset);
    const count = Math.min(Number(url.searchParams.get('count')), cap);
    return HttpResponse.json({ totalResults: list.length, Resources: list.slice(offset, offset + count).map((id) => ({ id })) });
  }),
);
beforeAll(() => msw.listen());
afterEach(() => {
  msw.reset();
  change = () => undefined;
  cap = Infinity;
  served = 0;
});
afterAll(() => msw.close());

const SIZE = 10;
const MAX_PAGE = 1000;
const items = (size = SIZE) =>
  testStream({
    name: 'items',
    schema: z.looseObject({ id: z.string() }),
    primaryKey: [['id']],
    request: { path: '/items' },
    records: 'data',
    paginate: overlapping(offsetLimit({ size, total: 'meta.totalCount' })),
  });

function logged(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, info: (m) => lines.push(`INFO ${m}`), warn: (m) => lines.push(`WARN ${m}`), error: (m) => lines.push(`ERROR ${m}`) };
}

/** Reads the list under `change`; returns what was read and what stayed in the list all along. */
async function readUnderChange(stream = items(), logger: Logger = logged()) {
  const before = new Set(list);
  const result = await readAll(testContext(undefined, { logger }), stream);
  const read = result.records.map((r) => r['id'] as string);
  const throughout = list.filter((id) => before.has(id));
  return { result, read, missing: throughout.filter((id) => !read.includes(id)), twice: read.filter((id, i) => read.indexOf(id) !== i) };
}

const offsets = () => msw.requests.map((r) => r.url.searchParams.get('offset'));

/**
 * The worst rhythm: before every request past the top of the list, the record just before its offset
 * goes; right after it, a new record comes in before that offset. A page that finds the last record
 * read at its very end would be followed by a page shifted again, for ever: the read must still move on.
 */
function everyRequestChurn(): (n: number, items: string[], offset: number) => void {
  let pending: number | undefined;
  let made = 0;
  return (_n, items, offset) => {
    if (pending !== undefined) items.splice(Math.floor(pending / 2), 0, `new${made++}`);
    pending = undefined;
    if (offset > 0 && made < 200) {
      items.splice(offset - 1, 1);
      pending = offset;
    }
  };
}

describe('overlapping offset pages: each page starts on the last record read', () => {
  it('reads an unchanging list once, in order, asking each page from one record early', async () => {
    list = ids(0, 25);
    const { read, twice } = await readUnderChange();
    expect(read).toEqual(list);
    expect(twice).toEqual([]);
    expect(offsets()).toEqual(['0', '9', '18']);
  });

  it('skips nothing when records before the page are deleted between two requests', async () => {
    list = ids(0, 60);
    change = (n, items, offset) => {
      if (n > 1) items.splice(Math.floor(offset / 2), 1);
    };
    const logger = logged();
    const { read, missing, twice } = await readUnderChange(items(), logger);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    expect(read.length).toBeGreaterThan(50);
    expect(logger.lines.filter((l) => l.startsWith('INFO')).join()).toMatch(/added or deleted before the page being read \d+ times.*none was skipped/);
  });

  it('repeats nothing when records are inserted before the page between two requests', async () => {
    list = ids(0, 60);
    let made = 0;
    change = (n, items, offset) => {
      if (n > 1) items.splice(Math.floor(offset / 2), 0, `new${made++}`);
    };
    const { missing, twice } = await readUnderChange();
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('moves on when every request sees the list moved, one record back before it and one forward after it', async () => {
    list = ids(0, 60);
    change = everyRequestChurn();
    const { missing, twice } = await readUnderChange();
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('finds its place when the last record read is itself deleted, and when more than a page moves back at once', async () => {
    list = ids(0, 80);
    change = (n, items, offset) => {
      // Request 2 starts on the last record read (offset 9): delete it. Request 3: delete 25 before the page.
      if (n === 2) items.splice(offset, 1);
      if (n === 3) items.splice(0, 25);
    };
    const { missing, twice } = await readUnderChange();
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('goes on after records inserted in numbers larger than a page, reading again from the top at worst', async () => {
    list = ids(0, 40);
    change = (n, items) => {
      if (n === 2) items.splice(0, 0, ...Array.from({ length: 35 }, (_, i) => `new${i}`));
    };
    const logger = logged();
    const { missing } = await readUnderChange(items(), logger);
    expect(missing).toEqual([]);
    expect(logger.lines.some((l) => l.startsWith('WARN') && /read again from its start/.test(l))).toBe(true);
  });

  it('steps back a bounded number of pages, then reads again from the top: nothing lost when thousands of records before the page went at once', async () => {
    list = ids(0, 3000);
    change = (n, items) => {
      if (n === 150) items.splice(0, 1200);
    };
    const logger = logged();
    const { missing } = await readUnderChange(items(), logger);
    expect(missing).toEqual([]);
    expect(logger.lines.some((l) => l.startsWith('WARN') && /read again from its start/.test(l))).toBe(true);
    expect(msw.requests.length).toBeLessThan(150 + 30 + 1800 / (SIZE - 1) + 10);
  });

  it('ends on an empty list and on a list that shrank below the last page read', async () => {
    list = [];
    expect((await readUnderChange()).read).toEqual([]);
    msw.reset();
    served = 0;
    list = ids(0, 30);
    change = (n, items) => {
      if (n === 3) items.splice(0, 15);
    };
    const { missing, twice } = await readUnderChange();
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('loses nothing against a server that serves fewer records than asked, down to one a page', async () => {
    for (const limit of [3, 1]) {
      msw.reset();
      served = 0;
      cap = limit;
      list = ids(0, 11);
      const { read } = await readUnderChange();
      expect(read, `at most ${limit} a page`).toEqual(list);
    }
  });

  it('resumes from any checkpoint at the position it names, and asks that page from the position itself', async () => {
    list = ids(0, 25);
    const full = await readAll(testContext(), items());
    expect(full.checkpoints.map((c) => c.at)).toEqual([{ page: 10 }, { page: 19 }]);
    for (const { at, recordsBefore } of full.checkpoints) {
      msw.reset();
      const resumed = await readAll(testContext(), items(), { from: at });
      expect(resumed.records.map((r) => r['id'])).toEqual(list.slice(recordsBefore));
      expect(offsets()[0]).toBe(String(at.page));
    }
    // A record's position is the place after it: a read stopped there resumes with the next record.
    const third = full.events.find((e) => e.kind === 'record' && e.record['id'] === 'r012');
    expect(third?.kind === 'record' ? third.after : undefined).toEqual({ page: 13 });
  });

  it('counts SCIM start indexes from 1', async () => {
    list = ids(0, 25);
    change = (n, items, offset) => {
      if (n > 1) items.splice(offset - 3, 1);
    };
    const users = testStream({
      name: 'users',
      schema: z.looseObject({ id: z.string() }),
      primaryKey: [['id']],
      request: { path: '/Users' },
      records: 'Resources',
      paginate: overlapping(scimIndex({ size: SIZE }), 1),
    });
    const { missing, twice } = await readUnderChange(users);
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
    expect(msw.requests.map((r) => r.url.searchParams.get('startIndex')).slice(0, 2)).toEqual(['1', '10']);
  });
});

describe('resizable pages: page numbers whose size the client picks per request', () => {
  const pages = (size = SIZE) =>
    testStream({
      name: 'pages',
      schema: z.looseObject({ id: z.string() }),
      primaryKey: [['id']],
      request: { path: '/pages' },
      records: '',
      paginate: resizablePages({ param: 'page', sizeParam: 'pageSize', size, first: 1, maxPage: MAX_PAGE }),
    });
  const asked = () => msw.requests.map((r) => `${r.url.searchParams.get('page')}×${r.url.searchParams.get('pageSize')}`);

  it('starts every page but the first on the last record read, with the size that brings the most after it', async () => {
    list = ids(0, 35);
    const { read, twice } = await readUnderChange(pages());
    expect(read).toEqual(list);
    expect(twice).toEqual([]);
    // [0,10); [9,18); [16,24); [20,30); [27,36); [30,40), which holds nothing after the last record read.
    expect(asked()).toEqual(['1×10', '2×9', '3×8', '3×10', '4×9', '4×10']);
  });

  it('skips nothing and repeats nothing when records are deleted and inserted before the page', async () => {
    list = ids(0, 120);
    let made = 0;
    change = (n, items, offset) => {
      if (n > 30) return;
      if (n > 1 && n % 2 === 0) items.splice(Math.floor(offset / 3), 2);
      if (n > 1 && n % 2 === 1) items.splice(Math.floor(offset / 2), 0, `new${made++}`);
    };
    const { missing, twice } = await readUnderChange(pages());
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('moves on when every request sees the list moved, one record back before it and one forward after it', async () => {
    list = ids(0, 60);
    change = everyRequestChurn();
    const { missing, twice } = await readUnderChange(pages());
    expect(missing).toEqual([]);
    expect(twice).toEqual([]);
  });

  it('loses nothing against a server that serves fewer records a page than asked, however it numbers them', async () => {
    for (const limit of [7, 3, 1]) {
      msw.reset();
      served = 0;
      cap = limit;
      list = ids(0, 40);
      const { read } = await readUnderChange(pages(100));
      expect(read, `at most ${limit} a page`).toEqual(list);
      // After the first page no request asks for more than the server served.
      expect(msw.requests.slice(1).every((r) => Number(r.url.searchParams.get('pageSize')) <= limit)).toBe(true);
    }
  });

  it('resumes from a position, and from a page number a state holds from before (earlier: records come again)', async () => {
    list = ids(0, 35);
    const resumed = await readAll(testContext(), pages(), { from: { page: 18 } });
    expect(resumed.records.map((r) => r['id'])).toEqual(list.slice(18));
    msw.reset();
    const legacy = await readAll(testContext(), pages(), { from: { page: 3, skip: 2 } });
    expect(legacy.records.map((r) => r['id'])).toEqual(list.slice(5));
  });
});
