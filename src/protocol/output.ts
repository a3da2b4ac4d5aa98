import type { Writable } from 'node:stream';
import type { AirbyteMessage } from './generated.js';
import { Redactor } from './redact.js';

/** Buffered output goes out once it holds this much... */
const FLUSH_BYTES = 64 * 1024;
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
 */
export class Output {
  readonly redactor: Redactor;
  private buffer = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Set while the sink is full: writers wait for it to drain. */
  private blocked: Promise<void> | undefined;
  private failure: unknown;
  /** `{"type":"RECORD","record":{"stream":"goals","data":` by stream. */
  private readonly recordPrefixes = new Map<string, string>();

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
    let prefix = this.recordPrefixes.get(stream);
    if (prefix === undefined) {
      prefix = `{"type":"RECORD","record":{"stream":${JSON.stringify(stream)},"data":`;
      this.recordPrefixes.set(stream, prefix);
    }
    return this.push(`${prefix}${JSON.stringify(data)},"emitted_at":${emittedAt}}}`, false);
  }

  /** Writes out what the buffer holds, once the sink has room for it. */
  async flush(): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    while (this.blocked) await this.blocked;
    if (this.timer !== undefined) {
      wallClock.clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.buffer === '') return;
    const chunk = this.buffer;
    this.buffer = '';
    if (!this.sink.write(chunk)) {
      this.blocked = this.drained().finally(() => {
        this.blocked = undefined;
      });
      await this.blocked;
    }
  }

  private push(line: string, now: boolean): Promise<void> | undefined {
    this.buffer += `${line}\n`;
    if (now || this.buffer.length >= FLUSH_BYTES) return this.flush();
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
