import { Writable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { messages } from './messages.js';
import { Output } from './output.js';
import { Redactor } from './redact.js';

describe('Output', () => {
  it('writes one JSON message per line', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write: (chunk, _e, cb) => {
        chunks.push(chunk.toString());
        cb();
      },
    });
    const output = new Output(sink);
    await output.write(messages.log('INFO', 'multi\nline'));
    await output.write(messages.record('goals', { id: 'g1', note: 'a\nb' }));
    const text = chunks.join('');
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.map((l) => JSON.parse(l).type)).toEqual(['LOG', 'RECORD']);
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
    const pending = output.write(messages.record('goals', { id: 'x'.repeat(100) })).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).toBe(false);
    release?.();
    await pending;
    expect(done).toBe(true);
  });

  it('redacts secrets in every non-record message, and leaves records untouched', async () => {
    const chunks: string[] = [];
    const sink = new Writable({
      write: (chunk, _e, cb) => {
        chunks.push(chunk.toString());
        cb();
      },
    });
    const output = new Output(sink);
    output.redactor.add('tok-123456');
    await output.write(messages.log('ERROR', 'failed with tok-123456', 'stack tok-123456'));
    await output.write(messages.error({ message: 'x tok-123456', internalMessage: 'tok-123456', failureType: 'system_error', stream: 'goals' }));
    await output.write(messages.connectionStatus({ status: 'FAILED', message: 'bad tok-123456' }));
    await output.write(messages.record('goals', { comment: 'the vendor data says tok-123456' }));
    const [log, error, status, record] = chunks;
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
