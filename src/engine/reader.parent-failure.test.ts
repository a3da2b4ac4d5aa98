import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from './errors.js';
import { offsetLimit } from './pagination.js';
import { createMswServer, requestsTo } from './testing/msw.js';
import { readAll, TEST_BASE_URL, testContext, testStream } from './testing/reader.js';

const parents = testStream({
  name: 'parents',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/parents' },
  records: 'data',
  paginate: offsetLimit({ size: 1 }),
});

const children = testStream({
  name: 'children',
  schema: z.looseObject({ id: z.string(), parentId: z.string() }),
  primaryKey: [['parentId'], ['id']],
  parent: { stream: parents, fields: { parentId: 'id' } },
  request: { path: ({ parentId }) => `/parents/${parentId}/children` },
  records: 'data',
});

const msw = createMswServer(
  // The first page of parents arrives; the second is refused for good.
  http.get(`${TEST_BASE_URL}/parents`, ({ request }) =>
    new URL(request.url).searchParams.get('offset') === '0'
      ? HttpResponse.json({ data: [{ id: 'p0' }] })
      : HttpResponse.json({ message: 'forbidden' }, { status: 403 }),
  ),
  // p0's children are rate-limited for a while: its read is waiting on Retry-After when the parent fails.
  http.get(`${TEST_BASE_URL}/parents/p0/children`, () => HttpResponse.json({ message: 'slow down' }, { status: 429, headers: { 'retry-after': '0.2' } })),
);
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => msw.close());

describe('a parent stream that fails while child partitions are still running', () => {
  it('stops the partitions before the read ends: no request goes out after the stream has failed', async () => {
    await expect(readAll(testContext(), children)).rejects.toBeInstanceOf(HttpError);
    const atFailure = requestsTo(msw, '/parents/p0/children').length;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(requestsTo(msw, '/parents/p0/children').length).toBe(atFailure);
  });
});
