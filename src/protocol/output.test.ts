import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { messages } from './messages.js';
import { Output } from './output.js';
import { Redactor } from './redact.js';

/** A sink that keeps its chunks, each a write. */
function recordingSink() {
  const chunks: string[] = [];
  const sink = new Writable({
    write: (chunk, _e, cb) => {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { sink, chunks, lines: () => chunks.join('').trimEnd().split('\n') };
}

describe('Output', () => {
  it('writes one JSON message per line', async () => {
    const { sink, chunks, lines } = recordingSink();
    const output = new Output(sink);
    await output.write(messages.log('INFO', 'multi\nline'));
    await output.write(messages.record('goals', { id: 'g1', note: 'a\nb' }));
    await output.flush();
    expect(chunks.join('').endsWith('\n')).toBe(true);
    expect(lines()).toHaveLength(2);
    expect(lines().map((l) => JSON.parse(l).type)).toEqual(['LOG', 'RECORD']);
  });

  it('writes a record line exactly as JSON.stringify writes the message', async () => {
    const { sink, lines } = recordingSink();
    const output = new Output(sink);
    const message = messages.record('goal "tags"', { id: 'g1', nested: { a: [1, null, 'x\u2028'] }, empty: '' });
    await output.write(message);
    await output.record('goal "tags"', { id: 'g1', nested: { a: [1, null, 'x\u2028'] }, empty: '' }, message.record?.emitted_at);
    await output.flush();
    expect(lines()).toEqual([JSON.stringify(message), JSON.stringify(message)]);
  });

  it('stamps each record with its own emitted_at, records of the same millisecond and of the next alike', async () => {
    const { sink, lines } = recordingSink();
    const output = new Output(sink);
    for (const at of [1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_000]) output.recordJson('goals', '{"id":1}', at);
    await output.flush();
    expect(lines().map((l) => JSON.parse(l).record.emitted_at)).toEqual([1_700_000_000_000, 1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_000]);
  });

  it('collects records into one write, and writes them out before any other message', async () => {
    const { sink, chunks } = recordingSink();
    const output = new Output(sink);
    // Nothing to wait for while stdout has room.
    for (let i = 0; i < 100; i++) expect(output.record('goals', { id: i })).toBeUndefined();
    expect(chunks, 'records wait in the buffer').toEqual([]);
    await output.write(messages.state('goals', {}, 100));
    expect(chunks).toHaveLength(1);
    const lines = (chunks[0] as string).trimEnd().split('\n');
    expect(lines).toHaveLength(101);
    expect(JSON.parse(lines[100] as string).type).toBe('STATE');
  });

  it('writes out buffered records on its own shortly after, so a record never waits for the next message', async () => {
    const { sink, chunks } = recordingSink();
    const output = new Output(sink, undefined, 1);
    await output.record('goals', { id: 1 });
    // Timers fire in the order they fall due: the 1 ms flush before this 5 ms wait.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(chunks).toHaveLength(1);
  });

  it('waits for drain when the consumer is slow, instead of buffering without bound', async () => {
    let release: (() => void) | undefined;
    const sink = new Writable({
      highWaterMark: 16,
      write: (_chunk, _e, cb) => {
        release = cb;
      },
    });
    const output = new Output(sink);
    let done = false;
    const pending = output.write(messages.log('INFO', 'x'.repeat(100))).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    // Records written meanwhile wait for the same drain.
    let recorded = false;
    const wait = output.record('goals', { id: 1 });
    expect(wait, 'a promise to wait for while stdout is full').toBeDefined();
    const record = wait?.then(() => (recorded = true));
    await new Promise((r) => setImmediate(r));
    expect(recorded).toBe(false);
    release?.();
    await pending;
    await record;
    expect(done).toBe(true);
  });

  it('keeps every line whole and in order across its byte slabs: lines far larger than a slab, wide characters, records as bytes', async () => {
    // The sink keeps what it was handed until the end: a write must never change after it is made.
    const received: Buffer[] = [];
    const sink = new Writable({
      highWaterMark: 1,
      write: (chunk: Buffer, _e, cb) => {
        received.push(chunk);
        setImmediate(cb);
      },
    });
    const output = new Output(sink);
    const expected: string[] = [];
    for (let i = 0; i < 400; i++) {
      // About 9 KB a line, two bytes or more a character in UTF-8: 400 of them fill several slabs.
      const data = { id: i, text: `Zoë Łukasz 日本 ${i} `.repeat(i === 200 ? 60_000 : 300) };
      expected.push(JSON.stringify(messages.record('goals', data).record?.data));
      const wait = i % 3 === 0 ? output.recordJson('goals', new TextEncoder().encode(JSON.stringify(data))) : output.record('goals', data);
      if (wait) await wait;
    }
    await output.write(messages.log('INFO', 'done'));
    const lines = Buffer.concat(received).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(401);
    expect(lines.slice(0, 400).map((line) => JSON.stringify(JSON.parse(line).record.data))).toEqual(expected);
    expect(received.length).toBeGreaterThan(20);
  });

  it('redacts secrets in every non-record message, and leaves records untouched', async () => {
    const { sink, lines } = recordingSink();
    const output = new Output(sink);
    output.redactor.add('tok-123456');
    await output.write(messages.log('ERROR', 'failed with tok-123456', 'stack tok-123456'));
    await output.write(messages.error({ message: 'x tok-123456', internalMessage: 'tok-123456', failureType: 'system_error', stream: 'goals' }));
    await output.write(messages.connectionStatus({ status: 'FAILED', message: 'bad tok-123456' }));
    await output.write(messages.record('goals', { comment: 'the vendor data says tok-123456' }));
    await output.flush();
    const [log, error, status, record] = lines();
    for (const line of [log, error, status]) expect(line).not.toContain('tok-123456');
    expect(record).toContain('tok-123456');
  });
});

describe('Redactor', () => {
  const redactor = new Redactor();
  redactor.add('p@ss word/+=');
  redactor.add('abc'); // too short to mask safely: ignored

  it('masks a secret as is, URL-encoded and base64-encoded', () => {
    for (const form of ['p@ss word/+=', encodeURIComponent('p@ss word/+='), Buffer.from('p@ss word/+=').toString('base64')]) {
      expect(redactor.redact(`before ${form} after`)).toBe('before **** after');
    }
  });

  it('masks credentials in URLs and authorization headers it was never told about', () => {
    expect(redactor.redact('GET https://x.test/token?secret=zzz&limit=1')).toBe('GET https://x.test/token?secret=****&limit=1');
    expect(redactor.redact('GET https://x.test/a?api_key=zzz')).toBe('GET https://x.test/a?api_key=****');
    expect(redactor.redact('{"authorization":"Bearer eyJhbGciOi.x.y"}')).toBe('{"authorization":"Bearer ****"}');
    expect(redactor.redact('Authorization: Token token=abcdef')).toBe('Authorization: Token token=****');
  });

  it('leaves short strings alone rather than masking half of every message', () => {
    expect(redactor.redact('abc is fine')).toBe('abc is fine');
  });
});

describe('messages', () => {
  it('stamps emitted_at when the record is built', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(1_700_000_000_000);
    expect(messages.record('goals', {}).record?.emitted_at).toBe(1_700_000_000_000);
    vi.setSystemTime(1_700_000_000_500);
    expect(messages.record('goals', {}).record?.emitted_at).toBe(1_700_000_000_500);
    vi.useRealTimers();
  });

  it('builds STREAM states with a descriptor and the record count', () => {
    expect(messages.state('goals', { updatedAt: 'x' }, 3)).toEqual({
      type: 'STATE',
      state: { type: 'STREAM', stream: { stream_descriptor: { name: 'goals' }, stream_state: { updatedAt: 'x' } }, sourceStats: { recordCount: 3 } },
    });
  });
});
