import { describe, expect, it } from 'vitest';
import { arraySlices } from './json-slices.js';

const bytes = (text: string) => new TextEncoder().encode(text);
/** Each element as its own JSON text, or undefined where the scanner is unsure. */
const elements = (text: string, path: string) => {
  const body = bytes(text);
  const slices = arraySlices(body, path);
  return slices?.starts.map((start, i) => new TextDecoder().decode(body.subarray(start, slices.ends[i])));
};

describe('the elements of a JSON array, as the bytes they came in', () => {
  it('finds each element of the array at a path, whatever the elements hold', () => {
    const records = [
      { id: 'a', note: 'brackets ] } [ { and "quotes" and \\ backslashes', tags: ['x', { y: [1, 2] }] },
      { id: 'b', name: 'Zoë Łukasz 日本 😀', empty: {}, none: [], n: -1.5e3, t: true, f: false, z: null },
      'a string',
      42,
      null,
    ];
    const text = JSON.stringify({ meta: { data: 'not this', totalCount: 5 }, data: records });
    const found = elements(text, 'data');
    expect(found?.map((e) => JSON.parse(e))).toEqual(records);
    expect(found?.[0]).toBe(JSON.stringify(records[0]));
  });

  it('follows a dotted path, and takes the body itself for an empty one', () => {
    expect(elements('{"result":{"items":[{"id":1},{"id":2}],"next":null}}', 'result.items')).toEqual(['{"id":1}', '{"id":2}']);
    expect(elements('[{"id":1}, {"id":2}]', '')).toEqual(['{"id":1}', '{"id":2}']);
    expect(elements('\uFEFF[{"id":1}]', '')).toEqual(['{"id":1}']);
    expect(elements(' { "data" : [ ] } ', 'data')).toEqual([]);
  });

  it('takes spaces between tokens as they are, on one line', () => {
    expect(elements('{"data": [ { "id" : 1 } ,\n  {"id":2}\n]}', 'data')).toEqual(['{ "id" : 1 }', '{"id":2}']);
  });

  it('is unsure where an element spans lines, a key is escaped, or there is no array', () => {
    expect(elements('{"data":[{\n"id":1}]}', 'data')).toBeUndefined();
    expect(elements('{"d\\u0061ta":[1]}', 'data')).toBeUndefined();
    expect(elements('{"data":{"id":1}}', 'data')).toBeUndefined();
    expect(elements('{"other":[1]}', 'data')).toBeUndefined();
    expect(elements('{}', 'data')).toBeUndefined();
    expect(elements('[1,2]', 'data')).toBeUndefined();
    expect(elements('{"data":[{"id":1}', 'data')).toBeUndefined();
  });

  it('takes the first of two equal keys (JSON.parse keeps the last: callers compare)', () => {
    expect(elements('{"data":[1],"data":[2]}', 'data')).toEqual(['1']);
  });

  it('tells an escaped key that is not the one looked for from one that might be', () => {
    // Same length, and different before the escape: not the key.
    expect(elements('{"x\\"y":[0],"data":[1]}', 'data')).toEqual(['1']);
    // Another length, with an escape: it could decode to the key.
    expect(elements('{"q\\n":[0],"data":[1]}', 'data')).toBeUndefined();
    expect(elements('{"d\\u0061ta":[0],"data":[1]}', 'data')).toBeUndefined();
    expect(elements('{"meta":{"a\\"b":1},"data":[1]}', 'data')).toEqual(['1']);
  });
});
