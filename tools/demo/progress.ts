import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';

export type StreamStatus = 'waiting' | 'running' | 'complete' | 'incomplete';

export interface StreamProgress {
  name: string;
  mode: 'full_refresh' | 'incremental';
  records: number;
  /** Row estimate from a TRACE ESTIMATE, when the API told the connector a total. */
  estimate?: number;
  states: number;
  status: StreamStatus;
  startedAt?: number;
  endedAt?: number;
  errors: string[];
  /** The stream_state of its last STATE message. */
  lastState?: Record<string, unknown>;
}

/** What one `read` has emitted so far, per stream, from its messages as they arrive. */
export class ReadProgress {
  readonly streams = new Map<string, StreamProgress>();
  /** Errors not tied to a stream (bad config, crash). */
  readonly errors: string[] = [];
  readonly startedAt = Date.now();
  endedAt: number | undefined;
  warnings = 0;

  constructor(catalog: ConfiguredAirbyteCatalog) {
    for (const { stream, sync_mode } of catalog.streams) {
      this.streams.set(stream.name, { name: stream.name, mode: sync_mode, records: 0, states: 0, status: 'waiting', errors: [] });
    }
  }

  observe(message: AirbyteMessage): void {
    switch (message.type) {
      case 'RECORD':
        this.of(message.record?.stream).records++;
        return;
      case 'STATE': {
        const stream = this.of(message.state?.stream?.stream_descriptor.name);
        stream.states++;
        stream.lastState = (message.state?.stream?.stream_state ?? {}) as Record<string, unknown>;
        return;
      }
      case 'LOG':
        if (message.log?.level === 'WARN' || message.log?.level === 'ERROR') this.warnings++;
        return;
      case 'TRACE':
        this.trace(message);
        return;
      default:
        return;
    }
  }

  finish(): void {
    this.endedAt = Date.now();
  }

  get records(): number {
    let total = 0;
    for (const stream of this.streams.values()) total += stream.records;
    return total;
  }

  get failed(): StreamProgress[] {
    return [...this.streams.values()].filter((s) => s.status !== 'complete');
  }

  private trace(message: AirbyteMessage): void {
    const trace = message.trace;
    if (trace?.type === 'ESTIMATE' && trace.estimate) {
      this.of(trace.estimate.name).estimate = trace.estimate.row_estimate ?? undefined;
    } else if (trace?.type === 'STREAM_STATUS' && trace.stream_status) {
      const stream = this.of(trace.stream_status.stream_descriptor.name);
      const status = trace.stream_status.status;
      if (status === 'STARTED') {
        stream.status = 'running';
        stream.startedAt = Date.now();
      } else if (status === 'COMPLETE' || status === 'INCOMPLETE') {
        stream.status = status === 'COMPLETE' ? 'complete' : 'incomplete';
        stream.endedAt = Date.now();
      }
    } else if (trace?.type === 'ERROR' && trace.error) {
      const name = trace.error.stream_descriptor?.name;
      if (name) this.of(name).errors.push(trace.error.message);
      else this.errors.push(trace.error.message);
    }
  }

  private of(name: string | undefined): StreamProgress {
    const key = name ?? '(unnamed)';
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { name: key, mode: 'full_refresh', records: 0, states: 0, status: 'waiting', errors: [] };
      this.streams.set(key, stream);
    }
    return stream;
  }
}
