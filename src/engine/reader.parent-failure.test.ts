import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HttpError } from './errors.js';
import { offsetLimit } from './pagination.js';
import { createMswServer, requestsTo } from '../../tools/testing/engine/msw.js';
import { readAll, TEST_BASE_URL, testContext, testStream } from '../../tools/testing/engine/reader.js';
import { settle } from '../../tools/testing/fake-time.js';

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

// Retry waits run on a fake clock: the test moves it on, and sees what is still scheduled.
beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

const HOUR = 60 * 60_000;

describe('a parent stream that fails while child partitions are still running', () => {
  it('stops the partitions before the read ends: no request goes out after the stream has failed', async () => {
    const error = await settle(
      readAll(testContext(), children).then(
        () => 'read',
        (e: unknown) => e,
      ),
    );
    expect(error).toBeInstanceOf(HttpError);
    const atFailure = requestsTo(msw, '/parents/p0/children').length;
    // The partition was running (and waiting on Retry-After) when the parent failed.
    expect(atFailure).toBeGreaterThan(0);
    // Nothing is left waiting to send another request, or to keep the process alive...
    expect(vi.getTimerCount()).toBe(0);
    // ...and however long one waits, no request follows.
    await vi.advanceTimersByTimeAsync(HOUR);
    expect(requestsTo(msw, '/parents/p0/children').length).toBe(atFailure);
  });
});
