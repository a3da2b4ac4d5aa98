import { Writable } from 'node:stream';

const RECORD = Buffer.from('\n{"type":"RECORD"');
const TRACE = Buffer.from('\n{"type":"TRACE"');

/**
 * Counts the connector's messages as they stream by, without parsing records: a record is a line
 * that starts with {"type":"RECORD". TRACE lines (few) are kept whole and parsed, for estimates and
 * errors. Memory stays constant whatever the volume.
 */
export class CountingSink extends Writable {
  records = 0;
  lines = 0;
  bytes = 0;
  firstRecordAt: number | undefined;
  lastRecordAt: number | undefined;
  readonly traces: unknown[] = [];
  /** The tail of the previous chunk, so a marker split across two chunks is still seen. Starts as a line start. */
  private carry = Buffer.from('\n');
  private traceLine: Buffer[] | undefined;

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.bytes += chunk.length;
    const view = Buffer.concat([this.carry, chunk]);
    const fresh = this.carry.length;
    const before = this.records;
    for (let at = view.indexOf(RECORD); at !== -1; at = view.indexOf(RECORD, at + 1)) if (at + RECORD.length > fresh) this.records++;
    if (this.records > before) {
      this.lastRecordAt = Date.now();
      this.firstRecordAt ??= this.lastRecordAt;
    }
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) this.lines++;
    this.collectTraces(view, fresh);
    // Long enough to hold all but the last byte of either marker, too short to hold a whole one twice.
    this.carry = Buffer.from(view.subarray(Math.max(0, view.length - (RECORD.length - 1))));
    done();
  }

  /** `fresh`: where this chunk's own bytes start in `view` (before it: the previous chunk's tail). */
  private collectTraces(view: Buffer, fresh: number): void {
    let from = 0;
    if (this.traceLine) {
      const end = view.indexOf(10, fresh);
      this.traceLine.push(Buffer.from(view.subarray(fresh, end === -1 ? view.length : end)));
      if (end === -1) return;
      this.finishTrace();
      from = end;
    }
    for (let at = view.indexOf(TRACE, from); at !== -1; at = view.indexOf(TRACE, at + 1)) {
      if (at + TRACE.length <= fresh) continue;
      const end = view.indexOf(10, at + 1);
      this.traceLine = [Buffer.from(view.subarray(at + 1, end === -1 ? view.length : end))];
      if (end === -1) return;
      this.finishTrace();
    }
  }

  private finishTrace(): void {
    const text = Buffer.concat(this.traceLine ?? []).toString('utf8');
    this.traceLine = undefined;
    try {
      this.traces.push(JSON.parse(text));
    } catch {
      // A malformed line: not ours to judge here.
    }
  }
}
