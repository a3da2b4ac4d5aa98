import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { offsetLimit } from './pagination.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { readAll, TEST_BASE_URL, testContext, testStream } from '../../tools/testing/engine/reader.js';

/** A server that serves at most CAP records a page, whatever `limit` asks, and says how many there are in all. */
const CAP = 2;
const ITEMS = Array.from({ length: 7 }, (_, i) => ({ id: `i${i}` }));

const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/items`, ({ request }) => {
    const url = new URL(request.url);
    const offset = Number(url.searchParams.get('offset'));
    const limit = Math.min(Number(url.searchParams.get('limit')), CAP);
    return HttpResponse.json({ data: ITEMS.slice(offset, offset + limit), meta: { totalCount: ITEMS.length } });
  }),
);
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => msw.close());

describe('offset/limit against a server that caps the page size silently', () => {
  it('reads on while meta.totalCount says records remain, instead of stopping at the first short page', async () => {
    const stream = testStream({
      name: 'items',
      schema: z.looseObject({ id: z.string() }),
      primaryKey: [['id']],
      request: { path: '/items' },
      records: 'data',
      paginate: offsetLimit({ size: 5, total: 'meta.totalCount' }),
    });
    const { records } = await readAll(testContext(), stream);
    expect(records.map((r) => r.id)).toEqual(ITEMS.map((i) => i.id));
  });

  it('still ends on the last page without an extra request when the total is reached', async () => {
    const stream = testStream({
      name: 'items',
      schema: z.looseObject({ id: z.string() }),
      primaryKey: [['id']],
      request: { path: '/items' },
      records: 'data',
      paginate: offsetLimit({ size: 2, total: 'meta.totalCount' }),
    });
    const { records } = await readAll(testContext(), stream);
    expect(records).toHaveLength(ITEMS.length);
    expect(msw.requests).toHaveLength(4);
  });
});
