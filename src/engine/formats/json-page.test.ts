import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readJsonPage } from './json-page.js';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** The page as text: its body, and each record's bytes decoded; undefined where the reader is unsure. */
function read(text: string, path: string, fields: string[] = ['id']) {
  const bytes = encode(text);
  const page = readJsonPage(bytes, path, fields);
  return page && { body: page.body, records: page.starts.map((start, i) => decode(bytes.subarray(start, page.ends[i]))) };
}

describe('a page of records read from its bytes', () => {
  it('gives each record as the bytes it came in, and the body with each record cut to the fields asked for', () => {
    const records = [
      { id: 'a', note: 'brackets ] } [ { and "quotes" and \\ backslashes', tags: ['x', { id: 'nested, not picked' }] },
      { id: 7, name: 'Zoë Łukasz 日本 😀', empty: {}, none: [], n: -1.5e3, t: true, f: false, z: null },
      { name: 'no id' },
      { id: 'caf\u00e9 \\"quoted\\"', at: '2024-01-01T00:00:00Z' },
      { id: { composite: [1, 2] }, at: null },
    ];
    const text = JSON.stringify({ meta: { data: 'not this', totalCount: 5 }, data: records, next: 'x' });
    const page = read(text, 'data', ['id', 'at']);
    expect(page?.records).toEqual(records.map((r) => JSON.stringify(r)));
    expect(page?.body).toEqual({
      meta: { data: 'not this', totalCount: 5 },
      data: [{ id: 'a' }, { id: 7 }, {}, { id: 'caf\u00e9 \\"quoted\\"', at: '2024-01-01T00:00:00Z' }, { id: { composite: [1, 2] }, at: null }],
      next: 'x',
    });
  });

  it('follows a dotted path, takes the body itself for an empty one, and drops a byte order mark as TextDecoder does', () => {
    expect(read('{"result":{"items":[{"id":1},{"id":2}],"next":null}}', 'result.items')).toEqual({
      body: { result: { items: [{ id: 1 }, { id: 2 }], next: null } },
      records: ['{"id":1}', '{"id":2}'],
    });
    expect(read('[{"id":1}, {"id":2}]', '')).toEqual({ body: [{ id: 1 }, { id: 2 }], records: ['{"id":1}', '{"id":2}'] });
    expect(read('\uFEFF[{"id":1}]', '')?.records).toEqual(['{"id":1}']);
    expect(read(' { "data" : [ ] } ', 'data')).toEqual({ body: { data: [] }, records: [] });
  });

  it('keeps a record as it is written on its line, and takes line breaks between records', () => {
    expect(read('{"data": [ { "id" : 1 } ,\n  {"id":2}\n]}\n', 'data')?.records).toEqual(['{ "id" : 1 }', '{"id":2}']);
  });

  it('takes line breaks inside a value off the list, and nesting as deep as 1024 inside a record', () => {
    expect(read('{\n  "meta": {\n    "pages": [\n      1,\r\n      2\n    ]\n  },\n  "data": [{"id":1}]\n}', 'data')?.body).toEqual({
      meta: { pages: [1, 2] },
      data: [{ id: 1 }],
    });
    const deep = (n: number) => `{"data":[{"id":1,"x":${'['.repeat(n - 1)}${']'.repeat(n - 1)}}]}`;
    expect(read(deep(1024), 'data')?.records).toEqual([deep(1024).slice(9, -2)]);
    // Deeper, JSON.parse still takes it: the caller parses the body whole.
    expect(() => JSON.parse(deep(1025))).not.toThrow();
    expect(read(deep(1025), 'data')).toBeUndefined();
  });

  it('takes the last of a field that comes twice in a record, as JSON.parse does', () => {
    expect(read('{"data":[{"id":1,"id":2}]}', 'data')?.body).toEqual({ data: [{ id: 2 }] });
  });

  it('reads numbers as JSON.parse does', () => {
    const numbers = ['0', '-0', '12', '-3.25', '1e3', '1E+2', '2.5e-3', '123456789012345678901234567890', '0.1'];
    for (const n of numbers) expect(read(`[{"id":${n}}]`, '')?.body).toEqual(JSON.parse(`[{"id":${n}}]`));
  });

  it('is unsure of what it cannot give exactly: records on several lines, records that are not objects, escaped names that may be a field or the path', () => {
    expect(read('{"data":[{\n"id":1}]}', 'data')).toBeUndefined();
    expect(read('{"data":[{"id":"a"},"b"]}', 'data')).toBeUndefined();
    expect(read('{"data":[[1]]}', 'data')).toBeUndefined();
    expect(read('{"data":[{"i\\u0064":1}]}', 'data')).toBeUndefined();
    expect(read('{"d\\u0061ta":[{"id":1}]}', 'data')).toBeUndefined();
    expect(read('{"data":[{"id":1}],"data":[{"id":2}]}', 'data')).toBeUndefined();
    expect(read('{"data":{"id":1}}', 'data')).toBeUndefined();
    expect(read('{"other":[{"id":1}]}', 'data')).toBeUndefined();
    expect(read('[{"id":1}]', 'data')).toBeUndefined();
    expect(read(`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 'data')).toBeUndefined();
  });

  it('takes escapes in strings, and in names inside a record or off the path', () => {
    expect(read('{"meta":{"a\\"b":1},"data":[{"x":{"y\\nz":"\\u00e9\\t"},"id":"\\ud83d\\ude00"}]}', 'data')?.body).toEqual({
      meta: { 'a"b': 1 },
      data: [{ id: '😀' }],
    });
  });

  it('never takes what JSON.parse rejects', () => {
    const invalid = [
      '',
      ' ',
      '{"data":[{"id":1}]',
      '{"data":[{"id":1}]}}',
      '{"data":[{"id":1}]} x',
      '{"data":[{"id":1},]}',
      '{"data":[{"id":1,}]}',
      '{"data":[{"id" 1}]}',
      '{"data":[{"id":1} {"id":2}]}',
      '{"data":[{"id":01}]}',
      '{"data":[{"id":1.}]}',
      '{"data":[{"id":.5}]}',
      '{"data":[{"id":-}]}',
      '{"data":[{"id":+1}]}',
      '{"data":[{"id":1e}]}',
      '{"data":[{"id":0x1}]}',
      '{"data":[{"id":NaN}]}',
      '{"data":[{"id":tru}]}',
      '{"data":[{"id":nul}]}',
      '{"data":[{"id":True}]}',
      "{'data':[{'id':1}]}",
      '{"data":[{"id":"a\tb"}]}',
      '{"data":[{"id":"a\\xb"}]}',
      '{"data":[{"id":"\\u12G4"}]}',
      '{"data":[{"id":"open}]}',
      '{"data":[{"id":1}],"x":[1,]}',
      '{"data":[{"id":1}],"x":{"a":1,}}',
      '{"data":[{"id":1}],"x":undefined}',
      '{"data":[{"id":1}]}\u00a0',
    ];
    for (const text of invalid) {
      expect(() => JSON.parse(text), text).toThrow();
      expect(read(text, 'data'), text).toBeUndefined();
    }
  });

  it('agrees with JSON.parse on many pages, and on every page they turn into with a byte changed', () => {
    const random = seeded(20261203);
    let plain = 0;
    for (let n = 0; n < 3000; n++) {
      const { text, records } = page(random);
      expect(agreesWithJsonParse(text), text).toBe(true);
      // Every page is read, but for those with a field name the reader would have to unescape.
      if (records.every((r) => Object.keys(r).every((name) => !JSON.stringify(name).includes('\\')))) {
        expect(readJsonPage(encode(text), 'data', ['id', 'at']), text).toBeDefined();
        plain++;
      }
      for (let m = 0; m < 5; m++) {
        const changed = mutate(text, random);
        if (!agreesWithJsonParse(changed)) expect.fail(`disagrees with JSON.parse on ${JSON.stringify(changed)}`);
      }
    }
    expect(plain).toBeGreaterThan(1000);
  });
});

/**
 * Whether the reader is right about `text`: where it gives a page, JSON.parse accepts the text, the
 * page's body is the parsed body with each record cut to its fields, and each record's bytes parse
 * to that record, on one line.
 */
function agreesWithJsonParse(text: string): boolean {
  const bytes = encode(text);
  const page = readJsonPage(bytes, 'data', ['id', 'at']);
  if (!page) return true;
  let parsed: { data: Array<Record<string, unknown>> };
  try {
    // The bytes' own text: a character cut in two by a change is encoded as U+FFFD.
    parsed = JSON.parse(decode(bytes));
  } catch {
    return false;
  }
  const records = parsed.data;
  const cut = records.map((r) => Object.fromEntries(['id', 'at'].filter((f) => Object.hasOwn(r, f)).map((f) => [f, r[f]])));
  if (!isDeepStrictEqual(page.body, { ...parsed, data: cut })) return false;
  return records.every((record, i) => {
    const own = decode(bytes.subarray(page.starts[i], page.ends[i]));
    return !/[\r\n]/.test(own) && JSON.stringify(JSON.parse(own)) === JSON.stringify(record);
  });
}

type Random = () => number;

function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pickOne = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const STRINGS = ['', 'a', 'id', 'at', 'data', 'Zoë', '日本', '😀', 'quote " here', 'back \\ slash', 'tab\there', 'line\nbreak', '\u0001', '}]{["'];
const NUMBERS = [0, -0, 1, -1, 3.5, -2.25e-7, 1e21, 123456789, Number.MAX_SAFE_INTEGER];

function value(random: Random, depth: number): unknown {
  const kind = Math.floor(random() * (depth > 2 ? 4 : 6));
  if (kind === 0) return pickOne(random, STRINGS);
  if (kind === 1) return pickOne(random, NUMBERS);
  if (kind === 2) return pickOne(random, [true, false, null]);
  if (kind === 3) return pickOne(random, STRINGS) + String(Math.floor(random() * 100));
  if (kind === 4) return Array.from({ length: Math.floor(random() * 4) }, () => value(random, depth + 1));
  return object(random, depth + 1);
}

function object(random: Random, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let k = Math.floor(random() * 4); k > 0; k--) out[pickOne(random, STRINGS)] = value(random, depth);
  if (random() < 0.8) out.id = value(random, depth + 1);
  if (random() < 0.5) out.at = value(random, depth + 1);
  return out;
}

/** A page of records, written with spaces here and there (and line breaks between records). */
function page(random: Random): { text: string; records: Array<Record<string, unknown>> } {
  const records = Array.from({ length: Math.floor(random() * 5) }, () => object(random, 1));
  const body: Record<string, unknown> = { data: records };
  if (random() < 0.5) body.meta = { total: records.length, data: value(random, 2) };
  const lines = records.map((r) => spaced(JSON.stringify(r), random));
  const list = `[${lines.join(random() < 0.3 ? ',\n' : ', ')}]`;
  const rest = Object.entries(body)
    .filter(([k]) => k !== 'data')
    .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return { text: `{${[`"data": ${list}`, ...rest].join(', ')}}`, records };
}

/** The JSON text with spaces or tabs added after some of its structural characters (outside strings). */
function spaced(json: string, random: Random): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i] as string;
    out += c;
    if (inString) {
      if (c === '\\') out += json[++i];
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (',:[{'.includes(c) && random() < 0.2) out += pickOne(random, [' ', '\t', '  ']);
  }
  return out;
}

const NOISE = ['{', '}', '[', ']', '"', '\\', ',', ':', '0', '1', '-', '.', 'e', '+', 't', 'n', 'u', ' ', '\n', '\t', 'x', 'é', '\u0000'];

function mutate(text: string, random: Random): string {
  const at = Math.floor(random() * (text.length + 1));
  const how = random();
  if (how < 0.34) return text.slice(0, at) + text.slice(at + 1);
  if (how < 0.67) return text.slice(0, at) + pickOne(random, NOISE) + text.slice(at);
  return text.slice(0, at) + pickOne(random, NOISE) + text.slice(at + 1);
}
