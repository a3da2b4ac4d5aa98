import type { Writable } from 'node:stream';
import type { AirbyteMessage } from './generated.js';
import { Redactor } from './redact.js';

/**
 * The one writer of stdout: one JSON message per line, free text redacted, and backpressure
 * respected so a slow consumer slows the read instead of growing our memory.
 */
export class Output {
  readonly redactor: Redactor;

  constructor(
    private readonly sink: Writable = process.stdout,
    redactor?: Redactor,
  ) {
    this.redactor = redactor ?? new Redactor();
  }

  async write(message: AirbyteMessage): Promise<void> {
    const line = `${JSON.stringify(message.type === 'RECORD' ? message : this.scrub(message))}\n`;
    if (!this.sink.write(line)) await this.drained();
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
