import { describe, expect, it } from 'vitest';
import { CountingSink } from './counting-sink.js';

const lines = [
  JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', stream_status: { status: 'STARTED' } } }),
  JSON.stringify({ type: 'TRACE', trace: { type: 'ESTIMATE', estimate: { name: 'goals', row_estimate: 3 } } }),
  JSON.stringify({ type: 'RECORD', record: { stream: 'goals', data: { name: 'Zoë {"type":"RECORD"', note: 'x\n{"type":"RECORD"' } } }),
  JSON.stringify({ type: 'RECORD', record: { stream: 'goals', data: { id: 2 } } }),
  JSON.stringify({ type: 'STATE', state: { type: 'STREAM' } }),
  JSON.stringify({ type: 'RECORD', record: { stream: 'goals', data: { id: 3 } } }),
  JSON.stringify({ type: 'TRACE', trace: { type: 'STREAM_STATUS', stream_status: { status: 'COMPLETE' } } }),
];
const text = Buffer.from(lines.map((l) => `${l}\n`).join(''));

async function feed(chunks: Buffer[]): Promise<CountingSink> {
  const sink = new CountingSink();
  for (const chunk of chunks) await new Promise<void>((resolve, reject) => sink.write(chunk, (error) => (error ? reject(error) : resolve())));
  return sink;
}

describe('CountingSink', () => {
  it('counts records and collects traces wherever the chunks split the lines', async () => {
    for (let size = 1; size <= text.length; size += size < 40 ? 1 : 17) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < text.length; at += size) chunks.push(text.subarray(at, at + size));
      const sink = await feed(chunks);
      expect(sink.records, `chunks of ${size}`).toBe(3);
      expect(sink.lines).toBe(lines.length);
      expect(sink.bytes).toBe(text.length);
      expect(sink.traces, `chunks of ${size}`).toEqual(lines.filter((l) => l.startsWith('{"type":"TRACE"')).map((l) => JSON.parse(l)));
    }
  });
});
