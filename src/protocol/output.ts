import type { Writable } from 'node:stream';
import type { AirbyteMessage } from './generated.js';
import { Redactor } from './redact.js';

/** Buffered output goes out once it holds this much... */
const FLUSH_BYTES = 64 * 1024;
/** Lines are encoded into slabs of this size, each write a view of the part filled since the last. */
const SLAB_BYTES = 1024 * 1024;
/** ...or after this long, whichever comes first. Any other message than a record goes out at once. */
const FLUSH_AFTER_MS = 50;

// Taken when this module loads: output must reach stdout on the wall clock, even where a test fakes
// the timers of the code it drives.
const wallClock = { setTimeout: globalThis.setTimeout, clearTimeout: globalThis.clearTimeout };
const DONE: Promise<void> = Promise.resolve();

/**
 * The one writer of stdout: one JSON message per line, free text redacted, and backpressure
 * respected so a slow consumer slows the read instead of growing our memory.
 *
 * Records are collected into one write of up to FLUSH_BYTES (a write per line costs more than the
 * rest of a record's way through the connector); any other message (a STATE, a status, a log) writes
 * them out first, at once, so no STATE ever reaches stdout before the records it counts. A record
 * line is built around the record's own JSON rather than by serialising a wrapper object.
 *
 * Each line is encoded to UTF-8 as it comes, into a slab of bytes the writes are views of: a string
 * of many lines costs far more to encode at once (it is joined first, and wide if one line is) than
 * its lines cost one by one.
 */
export class Output {
  readonly redactor: Redactor;
  private slab = Buffer.allocUnsafe(SLAB_BYTES);
  /** The slab's bytes before `start` are written out; those from `start` to `end` wait to be. */
  private start = 0;
  private end = 0;
  /** Filled slabs' bytes that wait to be written out, when a line did not fit in the slab. */
  private readonly waiting: Buffer[] = [];
  private waitingBytes = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set while the sink is full: writers wait for it to drain. */
  private blocked: Promise<void> | undefined;
  private failure: unknown;
  /** `{"type":"RECORD","record":{"stream":"goals","data":` by stream. */
  private readonly recordPrefixes = new Map<string, Buffer>();
  private suffixAt = Number.NaN;
  private suffix = Buffer.alloc(0);

  constructor(
    private readonly sink: Writable = process.stdout,
    redactor?: Redactor,
    private readonly flushAfterMs = FLUSH_AFTER_MS,
  ) {
    this.redactor = redactor ?? new Redactor();
  }

  /** Writes a message; records may wait in the buffer (see `flush`), anything else goes out at once. */
  write(message: AirbyteMessage): Promise<void> {
    if (message.type === 'RECORD' && message.record) return this.record(message.record.stream, message.record.data, message.record.emitted_at) ?? DONE;
    return this.push(JSON.stringify(this.scrub(message)), true) ?? DONE;
  }

  /**
   * A RECORD message of `stream`: the same line as `write(messages.record(stream, data))`, built for
   * speed. Returns a promise to wait for when the buffer goes out (every FLUSH_BYTES) or stdout is
   * full, else nothing: most records return at once.
   */
  record(stream: string, data: Record<string, unknown>, emittedAt: number = Date.now()): Promise<void> | undefined {
    return this.recordJson(stream, JSON.stringify(data), emittedAt);
  }

  /**
   * Like `record`, for a record at hand as its JSON text: a string, or UTF-8 bytes (as the API sent
   * them), which go out as they are. Either must be one line.
   */
  recordJson(stream: string, json: string | Uint8Array, emittedAt: number = Date.now()): Promise<void> | undefined {
    const prefix = this.prefixOf(stream);
    const suffix = this.suffixOf(emittedAt);
    this.reserve(prefix.length + (typeof json === 'string' ? json.length * 3 : json.length) + suffix.length + 1);
    this.slab.set(prefix, this.end);
    this.end += prefix.length;
    if (typeof json === 'string') {
      this.end += this.slab.write(json, this.end);
    } else {
      this.slab.set(json, this.end);
      this.end += json.length;
    }
    this.slab.set(suffix, this.end);
    this.end += suffix.length;
    this.slab[this.end++] = 0x0a;
    return this.pushed(false);
  }

  /** `,"emitted_at":1700000000000}}`, as bytes: the same for every record of the same millisecond. */
  private suffixOf(emittedAt: number): Buffer {
    if (emittedAt !== this.suffixAt) {
      this.suffixAt = emittedAt;
      this.suffix = Buffer.from(`,"emitted_at":${emittedAt}}}`, 'latin1');
    }
    return this.suffix;
  }

  /** `{"type":"RECORD","record":{"stream":"goals","data":`, as bytes. */
  private prefixOf(stream: string): Buffer {
    let prefix = this.recordPrefixes.get(stream);
    if (prefix === undefined) {
      prefix = Buffer.from(`{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`);
      this.recordPrefixes.set(stream, prefix);
    }
    return prefix;
  }

  /** Writes out what the buffer holds, once the sink has room for it. */
  async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    while (this.blocked) await this.blocked;
    if (this.timer !== undefined) {
      wallClock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    const chunk = this.take();
    if (chunk === undefined) return;
    if (!this.sink.write(chunk)) {
      this.blocked = this.drained().finally(() => {
        this.blocked = undefined;
      });
      await this.blocked;
    }
  }

  /** The bytes waiting to go out, as one buffer; undefined when there are none. */
  private take(): Buffer | undefined {
    const current = this.slab.subarray(this.start, this.end);
    this.start = this.end;
    if (this.waiting.length === 0) return current.length > 0 ? current : undefined;
    const chunk = Buffer.concat([...this.waiting, current], this.waitingBytes + current.length);
    this.waiting.length = 0;
    this.waitingBytes = 0;
    return chunk;
  }

  private push(line: string, now: boolean): Promise<void> | undefined {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    this.reserve((line.length + 1) * 3);
    this.end += this.slab.write(line, this.end);
    this.slab[this.end++] = 0x0a;
    return this.pushed(now);
  }

  /** Makes room for `most` more bytes in the slab. */
  private reserve(most: number): void {
    if (this.end + most > this.slab.length) {
      // The slab stays with the writes that are views of it; what waits in it moves on with the next write.
      if (this.end > this.start) {
        this.waiting.push(this.slab.subarray(this.start, this.end));
        this.waitingBytes += this.end - this.start;
      }
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, most));
      this.start = 0;
      this.end = 0;
    }
  }

  /** After a line: writes out what waits when it is time to (see `record`). */
  private pushed(now: boolean): Promise<void> | undefined {
    if (now || this.waitingBytes + this.end - this.start >= FLUSH_BYTES) return this.flush();
    if (this.timer === undefined) {
      this.timer = wallClock.setTimeout(() => {
        this.timer = undefined;
        this.flush().catch((error: unknown) => {
          this.failure ??= error;
        });
      }, this.flushAfterMs);
      this.timer.unref?.();
    }
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return this.blocked;
  }

  private drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        this.sink.off('error', onError);
        resolve();
      };
      const onError = (error: Error) => {
        this.sink.off('drain', onDrain);
        reject(error);
      };
      this.sink.once('drain', onDrain);
      this.sink.once('error', onError);
    });
  }

  /** Redacts every string inside a non-record message (records are vendor data, never our secrets). */
  private scrub(message: AirbyteMessage): AirbyteMessage {
    const walk = (value: unknown): unknown => {
      if (typeof value === 'string') return this.redactor.redact(value);
      if (Array.isArray(value)) return value.map(walk);
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
      }
      return value;
    };
    return walk(message) as AirbyteMessage;
  }
}
