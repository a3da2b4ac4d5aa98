import { Writable } from 'node:stream';
import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Output } from '../protocol/output.js';
import { silentLogger } from './logger.js';
import { offsetLimit } from './pagination.js';
import { parseStateFile } from './state.js';
import { sync } from './sync.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { TEST_BASE_URL, testApi, testContext, testStream, catalogEntry } from '../../tools/testing/engine/reader.js';

const PAGE = 500;
const ITEMS = Array.from({ length: 20 * PAGE }, (_, i) => ({ id: `i${i}` }));
const LAST_PAGE = ITEMS.length - PAGE;
const stream = testStream({
  name: 'items',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/items' },
  records: 'data',
  paginate: offsetLimit({ size: PAGE, total: 'meta.totalCount' }),
});

/** RECORD lines on stdout so far, and how many there were when the last page was asked for. */
let recordsOnStdout = 0;
let recordsOnStdoutWhenLastPageAsked: number | undefined;
let recordsOnStdoutWhenSecondPageAsked: number | undefined;

const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/items`, ({ request }) => {
    const offset = Number(new URL(request.url).searchParams.get('offset'));
    // A connector that buffers the stream before writing has written nothing yet at this point.
    if (offset === LAST_PAGE) recordsOnStdoutWhenLastPageAsked = recordsOnStdout;
    if (offset === PAGE) recordsOnStdoutWhenSecondPageAsked = recordsOnStdout;
    return HttpResponse.json({ data: ITEMS.slice(offset, offset + PAGE), meta: { totalCount: ITEMS.length } });
  }),
);
beforeAll(() => msw.listen());
afterAll(() => msw.close());

describe('streaming', () => {
  // The read runs ahead of stdout by a page or two (the next page is fetched while this one is
  // written), never by the whole stream.
  it('writes records to stdout as their pages arrive, long before the last page is fetched', async () => {
    let lines = '';
    const stdout = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        lines += chunk.toString();
        recordsOnStdout = lines.split('\n').filter((line) => line.includes('"type":"RECORD"')).length;
        callback();
      },
    });
    const failed = await sync(
      { reader: testContext(testApi({ retry: { maxRetries: 0 } })), output: new Output(stdout), logger: silentLogger, vendor: 'Test' },
      [catalogEntry(stream)],
      parseStateFile([]),
    );
    expect(failed).toEqual([]);
    expect(recordsOnStdoutWhenLastPageAsked, 'records on stdout when the last page was requested').toBeGreaterThan(LAST_PAGE / 2);
    expect(recordsOnStdout).toBe(ITEMS.length);
    // The wait for a page and the writing of the one before overlap.
    expect(recordsOnStdoutWhenSecondPageAsked, 'records on stdout when the second page was requested').toBeLessThan(PAGE);
  });
});
