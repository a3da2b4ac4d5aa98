/**
 * A record of a list goes out as the bytes the API sent for it, not serialised again: the same JSON
 * value, written as the vendor wrote it (numbers beyond a double's precision stay exact). Where those
 * bytes would not make a correct line (a record over several lines, bytes that are not UTF-8, a value
 * that goes out wrapped, a record stamped with its partition), it is serialised as before.
 */
import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMswServer } from '../../tools/testing/engine/msw.js';
import { TEST_BASE_URL, testApi, testStream, catalogEntry } from '../../tools/testing/engine/reader.js';
import { memoryOutput } from '../../tools/testing/harness.js';
import { silentLogger, type Logger } from './logger.js';
import { overlapping } from './overlap.js';
import { offsetLimit } from './pagination.js';
import { sync } from './sync.js';

let body: Uint8Array = new Uint8Array();
const msw = createMswServer(http.get(`${TEST_BASE_URL}/items`, () => new HttpResponse(body, { headers: { 'content-type': 'application/json' } })));
beforeAll(() => msw.listen());
afterEach(() => msw.reset());
afterAll(() => msw.close());

const items = testStream({
  name: 'items',
  schema: z.looseObject({}),
  primaryKey: [['id']],
  request: { path: '/items' },
  records: 'data',
  paginate: overlapping(offsetLimit({ size: 100, total: 'meta.totalCount' })),
});

/** The `data` of each RECORD line, as the text it is on stdout. */
async function read(text: string | Uint8Array, stream = items, logger: Logger = silentLogger): Promise<string[]> {
  body = typeof text === 'string' ? new TextEncoder().encode(text) : text;
  const memory = memoryOutput();
  const reader = { apis: testApi(), logger, concurrency: 1 };
  const failed = await sync({ reader, output: memory.output, logger, vendor: 'Test' }, [catalogEntry(stream)], new Map());
  expect(failed).toEqual([]);
  return memory
    .text()
    .split('\n')
    .filter((line) => line.startsWith('{"type":"RECORD"'))
    .map((line) => {
      expect(JSON.parse(line).record.stream).toBe('items');
      return /"data":(.*),"emitted_at":\d+\}\}$/.exec(line)?.[1] as string;
    });
}

describe('records as the API sent them', () => {
  it('go out as the bytes they came in, exact numbers and escapes included', async () => {
    const first = '{"id":1,"big":12345678901234567890,"name":"Zo\\u00eb \\"Z\\"","ratio":1.50,"tags":["a","]"]}';
    const second = '{ "id" : 2, "name": "Łukasz 😀" }';
    const data = await read(`{"data":[${first},\n ${second}],"meta":{"totalCount":2}}`);
    expect(data).toEqual([first, second]);
  });

  it('are written again where the bytes would not make one correct line', async () => {
    // A record over several lines.
    expect(await read('{"data":[{"id":1,\n"name":"a"}],"meta":{"totalCount":1}}')).toEqual(['{"id":1,"name":"a"}']);
    // Bytes that are not UTF-8 are decoded with a replacement character, as text.
    const latin1 = new Uint8Array([
      ...new TextEncoder().encode('{"data":[{"id":1,"name":"Zo'),
      0xeb,
      ...new TextEncoder().encode('"}],"meta":{"totalCount":1}}'),
    ]);
    expect(await read(latin1)).toEqual(['{"id":1,"name":"Zo\uFFFD"}']);
    // A value that is not an object goes out wrapped, next to records that go out as they came.
    expect(await read('{"data":[{"id":1}, 7],"meta":{"totalCount":2}}')).toEqual(['{"id":1}', '{"value":7}']);
    // The records' key twice: JSON.parse keeps the second list, and so does the output.
    expect(await read('{"data":[{"id":1}],"data":[{"id":2}],"meta":{"totalCount":1}}')).toEqual(['{"id":2}']);
  });

  it('are checked whole against the schema, though the read builds only their keys', async () => {
    const named = testStream({ ...items, name: 'items', schema: z.looseObject({ id: z.number(), name: z.string() }) });
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: (message) => warnings.push(message) };
    const data = await read('{"data":[{"id":1,"name":"a"},{"id":2,"name":2}],"meta":{"totalCount":2}}', named, logger);
    expect(data).toEqual(['{"id":1,"name":"a"}', '{"id":2,"name":2}']);
    expect(warnings).toEqual([expect.stringMatching(/^items: record 2 does not match the declared schema \(name: /)]);
  });
});
