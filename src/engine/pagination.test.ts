import { http, HttpResponse, type RequestHandler } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cursor, offsetLimit, pageNumber, queryParamOf, scimIndex, singlePage, type Paginator } from './pagination.js';
import type { Row, StreamDefinition } from './stream.js';
import { drfLimitOffset } from '../streams/pe365/pagination.js';
import { hasNextPage } from '../streams/reflektive/streams.js';
import { createMswServer, requestsTo } from '../../tools/testing/engine/msw.js';
import { readAll, TEST_BASE_URL, testContext, testStream } from '../../tools/testing/engine/reader.js';

const SIZE = 5;
const URL_ = `${TEST_BASE_URL}/items`;

const items = (n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: `r${i}`, n: i }));
const ids = (rows: Row[]) => rows.map((r) => r.id);

/** Reads an integer query parameter, failing the request when it is missing or malformed. */
function intParam(url: URL, name: string): number {
  const value = url.searchParams.get(name);
  if (value === null || !/^\d+$/.test(value)) throw new Error(`missing or malformed ?${name}= in ${url}`);
  return Number(value);
}

/** The page size a server serves: what was asked, or less where it caps it silently. */
const served = (asked: number, cap: number | undefined) => Math.min(asked, cap ?? asked);

/**
 * Every pagination style the engine and the vendors offer, each with a fake endpoint that pages
 * exactly as its API documents it, and the number of requests a complete read of n records should
 * take. Given a cap, the endpoint serves at most that many records a page, whatever is asked for,
 * and numbers its pages, offsets and links by what it serves, as a server with a lower limit does.
 */
interface Style {
  name: string;
  paginator: Paginator;
  records: string;
  handler: (data: Row[], cap?: number) => RequestHandler;
  requests: (n: number) => number;
  /** The API reports a total, so the reader estimates the row count. */
  reportsTotal: boolean;
}

const pages = (n: number) => Math.max(1, Math.ceil(n / SIZE));

const styles: Style[] = [
  {
    name: 'cursor in meta.cursor (goals)',
    paginator: cursor({ param: 'cursor', sizeParam: 'limit', size: SIZE, nextCursor: (r) => (r.body as { meta: { cursor: string | null } }).meta.cursor }),
    records: 'data',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const token = url.searchParams.get('cursor');
        const start = token === null ? 0 : Number(Buffer.from(token, 'base64url').toString().replace('offset:', ''));
        const limit = served(intParam(url, 'limit'), cap);
        const end = start + limit;
        const next = end < data.length ? Buffer.from(`offset:${end}`).toString('base64url') : null;
        return HttpResponse.json({
          data: data.slice(start, end),
          meta: { count: data.slice(start, end).length, cursor: next, nextPage: next && `${URL_}?cursor=${next}&limit=${limit}` },
        });
      }),
    requests: pages,
    reportsTotal: false,
  },
  {
    name: 'cursor in the X-Next header',
    paginator: cursor({ param: 'cursor', sizeParam: 'limit', size: SIZE, nextCursor: (r) => queryParamOf(r.headers.get('x-next'), 'cursor') }),
    records: 'data',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const start = Number(url.searchParams.get('cursor') ?? 0);
        const end = start + served(intParam(url, 'limit'), cap);
        const headers: Record<string, string> = end < data.length ? { 'X-Next': `${URL_}?cursor=${end}&limit=${SIZE}` } : {};
        return HttpResponse.json({ data: data.slice(start, end) }, { headers });
      }),
    requests: pages,
    reportsTotal: false,
  },
  {
    name: 'page numbers from 0 without a total (reviews)',
    paginator: pageNumber({ param: 'page', sizeParam: 'pageSize', size: SIZE, first: 0 }),
    records: 'data',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const size = served(intParam(url, 'pageSize'), cap);
        const page = intParam(url, 'page');
        return HttpResponse.json({ data: data.slice(page * size, (page + 1) * size) });
      }),
    // No total and no next signal: only an empty page proves the end.
    requests: (n) => (n === 0 ? 1 : Math.ceil(n / SIZE) + 1),
    reportsTotal: false,
  },
  {
    name: 'page numbers from 1 with meta.totalCount (employees)',
    paginator: pageNumber({ param: 'page', sizeParam: 'pageSize', size: SIZE, first: 1, total: 'meta.totalCount' }),
    records: 'data',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const size = served(intParam(url, 'pageSize'), cap);
        const page = intParam(url, 'page');
        if (page < 1) return HttpResponse.json({ message: 'page must be >= 1' }, { status: 400 });
        return HttpResponse.json({ data: data.slice((page - 1) * size, page * size), meta: { page, pageSize: size, totalCount: data.length } });
      }),
    // The total ends the list after a full last page; a short last page could be a capped one, and
    // after more than one page only the empty page that follows proves the end.
    requests: (n) => (n <= SIZE || n % SIZE === 0 ? pages(n) : pages(n) + 1),
    reportsTotal: true,
  },
  {
    name: 'page numbers from 1 returning a bare array (absences)',
    paginator: pageNumber({ param: 'page', sizeParam: 'pageSize', size: SIZE, first: 1 }),
    records: '',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const size = served(intParam(url, 'pageSize'), cap);
        const page = intParam(url, 'page');
        if (page < 1) return HttpResponse.json({ message: 'page must be >= 1' }, { status: 400 });
        return HttpResponse.json(data.slice((page - 1) * size, page * size));
      }),
    // No total and no next signal: only an empty page proves the end.
    requests: (n) => (n === 0 ? 1 : Math.ceil(n / SIZE) + 1),
    reportsTotal: false,
  },
  {
    name: 'offset/limit with meta.totalCount (timesheets, payroll, feedback)',
    paginator: offsetLimit({ size: SIZE, total: 'meta.totalCount' }),
    records: 'data',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const offset = intParam(url, 'offset');
        const limit = served(intParam(url, 'limit'), cap);
        return HttpResponse.json({ data: data.slice(offset, offset + limit), meta: { offset, limit, totalCount: data.length } });
      }),
    requests: pages,
    reportsTotal: true,
  },
  {
    name: 'SCIM startIndex/count',
    paginator: scimIndex({ size: SIZE }),
    records: 'Resources',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const startIndex = intParam(url, 'startIndex');
        const count = served(intParam(url, 'count'), cap);
        if (startIndex < 1) return HttpResponse.json({ detail: 'startIndex is 1-based' }, { status: 400 });
        const page = data.slice(startIndex - 1, startIndex - 1 + count);
        return HttpResponse.json({
          schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
          totalResults: data.length,
          itemsPerPage: page.length,
          startIndex,
          Resources: page,
        });
      }),
    requests: pages,
    reportsTotal: true,
  },
  {
    name: 'offset/limit without a total',
    paginator: offsetLimit({ size: SIZE }),
    records: 'data',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const offset = intParam(url, 'offset');
        return HttpResponse.json({ data: data.slice(offset, offset + served(intParam(url, 'limit'), cap)) });
      }),
    // No total and no next signal: only an empty page proves the end.
    requests: (n) => (n === 0 ? 1 : Math.ceil(n / SIZE) + 1),
    reportsTotal: false,
  },
  {
    name: 'SCIM startIndex/count without totalResults',
    paginator: scimIndex({ size: SIZE }),
    records: 'Resources',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const startIndex = intParam(url, 'startIndex');
        return HttpResponse.json({ Resources: data.slice(startIndex - 1, startIndex - 1 + served(intParam(url, 'count'), cap)) });
      }),
    requests: (n) => (n === 0 ? 1 : Math.ceil(n / SIZE) + 1),
    reportsTotal: false,
  },
  {
    name: 'page numbers from 1 with links.next and no page size parameter (Reflektive feedback)',
    paginator: pageNumber({ param: 'page', size: SIZE, first: 1, hasNext: hasNextPage }),
    records: 'data',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const size = served(SIZE, cap);
        const page = Number(url.searchParams.get('page') ?? 1);
        const rows = data.slice((page - 1) * size, page * size);
        // Links only when there is more than one page, the next one as documented: malformed.
        if (data.length <= size) return HttpResponse.json({ data: rows });
        const last = Math.ceil(data.length / size);
        const link = (n: number) => `/items?created_after=0?page=${n}`;
        return HttpResponse.json({ links: { ...(page < last ? { next: link(page + 1) } : {}), last: link(last) }, data: rows });
      }),
    requests: pages,
    reportsTotal: false,
  },
  {
    name: 'DRF limit/offset with count and next (PE365)',
    paginator: drfLimitOffset(SIZE),
    records: 'results',
    handler: (data, cap) =>
      http.get(URL_, ({ request }) => {
        const url = new URL(request.url);
        const offset = Number(url.searchParams.get('offset') ?? 0);
        const limit = served(intParam(url, 'limit'), cap);
        const next = offset + limit < data.length ? `${URL_}?limit=${limit}&offset=${offset + limit}` : null;
        return HttpResponse.json({ count: data.length, next, previous: null, results: data.slice(offset, offset + limit) });
      }),
    requests: pages,
    reportsTotal: true,
  },
  {
    name: 'a single unpaginated list',
    paginator: singlePage(),
    records: '',
    handler: (data) => http.get(URL_, () => HttpResponse.json(data)),
    requests: () => 1,
    reportsTotal: false,
  },
];

function streamOf(style: Style): StreamDefinition {
  return testStream({
    name: 'items',
    schema: z.looseObject({ id: z.string() }),
    primaryKey: [['id']],
    request: { path: '/items' },
    records: style.records,
    paginate: style.paginator,
  });
}

const msw = createMswServer();
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => msw.close());

describe.each(styles)('pagination: $name', (style) => {
  // Empty, one record, a short last page, an exact multiple of the page size, several pages.
  it.each([0, 1, 7, 10, 23])('reads all %i records once, in order', async (n) => {
    const data = items(n);
    msw.server.use(style.handler(data));
    const result = await readAll(testContext(), streamOf(style));
    expect(ids(result.records)).toEqual(ids(data));
    expect(requestsTo(msw, '/items')).toHaveLength(style.requests(n));
    expect(result.estimates).toEqual(style.reportsTotal ? [n] : []);
  });

  it('resumes from any checkpoint or record position without losing or repeating a record', async () => {
    const data = items(12);
    msw.server.use(style.handler(data));
    const context = testContext();
    const full = await readAll(context, streamOf(style));
    expect(ids(full.records)).toEqual(ids(data));

    for (const { at, recordsBefore } of full.checkpoints) {
      const resumed = await readAll(context, streamOf(style), { from: at });
      expect(ids(resumed.records), `from checkpoint ${JSON.stringify(at)}`).toEqual(ids(data.slice(recordsBefore)));
    }
    let emitted = 0;
    for (const event of full.events) {
      if (event.kind !== 'record') continue;
      emitted++;
      const resumed = await readAll(context, streamOf(style), { from: event.after });
      expect(ids(resumed.records), `after record ${emitted}`).toEqual(ids(data.slice(emitted)));
    }
  });
});

/** Below the page size asked for (SIZE), and odd, so pages split the data where SIZE does not. */
const CAP = 3;

describe.each(styles.filter((style) => !style.paginator.single))(`pagination against a server that serves at most ${CAP} records a page: $name`, (style) => {
  // Several short pages that are not the last, a short last page, a full last one, many pages.
  it.each([4, 7, 9, 23])('reads all %i records once, in order, with at most one request past the last page', async (n) => {
    const data = items(n);
    msw.server.use(style.handler(data, CAP));
    const result = await readAll(testContext(), streamOf(style));
    expect(ids(result.records)).toEqual(ids(data));
    expect(requestsTo(msw, '/items').length).toBeLessThanOrEqual(Math.ceil(n / CAP) + 1);
  });

  it('resumes from any checkpoint without losing or repeating a record', async () => {
    const data = items(11);
    msw.server.use(style.handler(data, CAP));
    const context = testContext();
    const full = await readAll(context, streamOf(style));
    expect(ids(full.records)).toEqual(ids(data));
    expect(full.checkpoints.length).toBeGreaterThanOrEqual(3);
    for (const { at, recordsBefore } of full.checkpoints) {
      const resumed = await readAll(context, streamOf(style), { from: at });
      expect(ids(resumed.records), `from checkpoint ${JSON.stringify(at)}`).toEqual(ids(data.slice(recordsBefore)));
    }
  });
});

describe('pagination edge cases', () => {
  it('a cursor API that hands back the same cursor again fails instead of looping', async () => {
    msw.server.use(http.get(URL_, () => HttpResponse.json({ data: items(SIZE), meta: { cursor: 'same' } })));
    const style = styles[0] as Style;
    await expect(readAll(testContext(), streamOf(style))).rejects.toThrow(/did not advance/);
    expect(requestsTo(msw, '/items').length).toBeLessThanOrEqual(3);
  });

  it('an empty body or a null list reads as no records', async () => {
    msw.server.use(http.get(URL_, () => HttpResponse.json({ data: null, meta: { totalCount: 0 } })));
    const result = await readAll(testContext(), streamOf(styles[5] as Style));
    expect(result.records).toEqual([]);
  });
});
