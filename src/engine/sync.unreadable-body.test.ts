import { http, HttpResponse } from 'msw';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from './logger.js';
import { offsetLimit } from './pagination.js';
import { parseStateFile } from './state.js';
import { sync } from './sync.js';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { memoryOutput, type ConnectorOutput } from '../../tools/testing/harness.js';
import { TEST_BASE_URL, testApi, testContext, testStream, catalogEntry } from '../../tools/testing/engine/reader.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const CURSOR = '2024-01-01T00:00:00.000Z';

const things = testStream({
  name: 'things',
  schema: z.looseObject({ id: z.string(), updatedAt: z.string() }),
  primaryKey: [['id']],
  request: { path: '/things' },
  records: 'data',
  paginate: offsetLimit({ size: 3, total: 'meta.totalCount' }),
  incremental: { cursorField: ['updatedAt'] },
});

const msw = createMswServer();
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => msw.close());

async function incrementalSync(): Promise<{ out: ConnectorOutput; failed: string[] }> {
  const memory = memoryOutput();
  const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'things' }, stream_state: { updatedAt: CURSOR } } }];
  const failed = await sync(
    { reader: testContext(testApi()), output: memory.output, logger: silentLogger, vendor: 'Test', now: () => NOW },
    [catalogEntry(things, 'incremental')],
    parseStateFile(state),
  );
  return { out: memory.result(failed.length === 0 ? 0 : 1), failed };
}

describe('a 200 answer that is not the JSON the stream expects', () => {
  // A proxy's sign-in or maintenance page, or a wrong base URL, answered 200 with HTML: reading it as
  // "no records" would end the stream COMPLETE and move the cursor to the start of the read, so every
  // record changed between the saved cursor and now would never be read.
  it('an HTML page fails the stream and keeps the saved cursor', async () => {
    msw.server.use(
      http.get(
        `${TEST_BASE_URL}/things`,
        () => new HttpResponse('<!doctype html><html><body>Please sign in</body></html>', { headers: { 'content-type': 'text/html' } }),
      ),
    );
    const { out, failed } = await incrementalSync();
    expect(out.records('things')).toEqual([]);
    expect(failed).toEqual(['things']);
    expect(out.statuses('things')).toEqual(['STARTED', 'INCOMPLETE']);
    expect(out.finalStates().map((s) => s.stream?.stream_state)).not.toContainEqual({ updatedAt: NOW.toISOString() });
  });

  it('an empty body fails the stream and keeps the saved cursor', async () => {
    msw.server.use(http.get(`${TEST_BASE_URL}/things`, () => new HttpResponse('', { status: 200 })));
    const { out, failed } = await incrementalSync();
    expect(failed).toEqual(['things']);
    expect(out.finalStates().map((s) => s.stream?.stream_state)).not.toContainEqual({ updatedAt: NOW.toISOString() });
  });

  it('a JSON object without the records key fails the stream and keeps the saved cursor', async () => {
    msw.server.use(http.get(`${TEST_BASE_URL}/things`, () => HttpResponse.json({ message: 'maintenance in progress' })));
    const { out, failed } = await incrementalSync();
    expect(failed).toEqual(['things']);
    expect(out.finalStates().map((s) => s.stream?.stream_state)).not.toContainEqual({ updatedAt: NOW.toISOString() });
  });

  it('an empty list still completes and keeps the saved cursor valid', async () => {
    msw.server.use(http.get(`${TEST_BASE_URL}/things`, () => HttpResponse.json({ data: [], meta: { totalCount: 0 } })));
    const { out, failed } = await incrementalSync();
    expect(failed).toEqual([]);
    expect(out.statuses('things')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
  });
});
