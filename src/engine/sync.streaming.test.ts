import { Writable } from 'node:stream';
import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Output } from '../protocol/output.js';
import { silentLogger } from './logger.js';
import { offsetLimit } from './pagination.js';
import { parseStateFile } from './state.js';
import { sync } from './sync.js';
import { createMswServer } from './testing/msw.js';
import { TEST_BASE_URL, testApi, testContext, testStream } from './testing/reader.js';

const ITEMS = Array.from({ length: 9 }, (_, i) => ({ id: `i${i}` }));
const stream = testStream({
  name: 'items',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/items' },
  records: 'data',
  paginate: offsetLimit({ size: 3, total: 'meta.totalCount' }),
});

let recordOnStdout: () => void = () => undefined;
const firstRecordOnStdout = new Promise<'seen'>((resolve) => (recordOnStdout = () => resolve('seen')));

const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/items`, async ({ request }) => {
    const offset = Number(new URL(request.url).searchParams.get('offset'));
    if (offset === 6) {
      // The last page is answered only once a record of the first pages has reached stdout: a
      // connector that buffers the stream before writing never gets it.
      const outcome = await Promise.race([firstRecordOnStdout, new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 1_500))]);
      if (outcome === 'timeout') return HttpResponse.json({ message: 'no record was written while the read went on' }, { status: 400 });
    }
    return HttpResponse.json({ data: ITEMS.slice(offset, offset + 3), meta: { totalCount: ITEMS.length } });
  }),
);
beforeAll(() => msw.listen());
afterAll(() => msw.close());

describe('streaming', () => {
  it('writes records to stdout as their page arrives, before the last page is fetched', async () => {
    let lines = '';
    const stdout = new Writable({
      write(chunk: Buffer | string, _encoding, callback) {
        lines += chunk.toString();
        if (lines.includes('"type":"RECORD"')) recordOnStdout();
        callback();
      },
    });
    const failed = await sync(
      { reader: testContext(testApi({ retry: { maxRetries: 0 } })), output: new Output(stdout), logger: silentLogger, vendor: 'Test' },
      [{ definition: stream, configured: { stream: { name: 'items', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'append' } }],
      parseStateFile([]),
    );
    expect(failed).toEqual([]);
    expect(lines.split('\n').filter((line) => line.includes('"type":"RECORD"'))).toHaveLength(ITEMS.length);
  }, 5_000);
});
