/**
 * SIGTERM stops a read at once: between two pages (the read-ahead queue is interrupted), and also in
 * the middle of a page, as soon as stdout has taken what was already written.
 */
import { Writable } from 'node:stream';
import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Output } from '../protocol/output.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { TEST_BASE_URL, testApi, testContext, testStream, catalogEntry } from '../../tools/testing/engine/reader.js';
import { ConnectorOutput } from '../../tools/testing/harness.js';
import { silentLogger } from './logger.js';
import { offsetLimit } from './pagination.js';
import { parseStateFile } from './state.js';
import { sync } from './sync.js';

const PAGE = 5_000;
const ITEMS = Array.from({ length: 2 * PAGE }, (_, i) => ({ id: `item-${i}` }));
const stream = testStream({
  name: 'items',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/items' },
  records: 'data',
  paginate: offsetLimit({ size: PAGE }),
});

const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/items`, ({ request }) => {
    const offset = Number(new URL(request.url).searchParams.get('offset'));
    return HttpResponse.json({ data: ITEMS.slice(offset, offset + PAGE) });
  }),
);
beforeAll(() => msw.listen());
afterAll(() => msw.close());

describe('a stop signal', () => {
  it('stops the read in the middle of a page once stdout has taken the first batch: INCOMPLETE, not the rest of the page', async () => {
    const stop = new AbortController();
    let text = '';
    // A consumer that takes one write at a time, slowly: every write fills it, and it drains later.
    const stdout = new Writable({
      highWaterMark: 1,
      write(chunk: Buffer | string, _encoding, callback) {
        text += chunk.toString();
        if (text.includes('"type":"RECORD"')) stop.abort('SIGTERM');
        setImmediate(callback);
      },
    });
    const failed = await sync(
      { reader: testContext(testApi()), output: new Output(stdout), logger: silentLogger, vendor: 'Test', signal: stop.signal },
      [catalogEntry(stream)],
      parseStateFile([]),
    );
    expect(failed).toEqual(['items']);
    const out = ConnectorOutput.parse(text, 0);
    expect(out.statuses('items')).toEqual(['STARTED', 'RUNNING', 'INCOMPLETE']);
    // One batch of the output buffer went out, not the whole first page.
    expect(out.records('items').length).toBeGreaterThan(0);
    expect(out.records('items').length).toBeLessThan(PAGE);
    expect(out.states('items')).toEqual([]);
  });
});
