import type {
  AirbyteCatalog,
  AirbyteConnectionStatus,
  AirbyteErrorTraceMessage,
  AirbyteMessage,
  AirbyteStateBlob,
  AirbyteStreamStatusTraceMessage,
  ConnectorSpecification,
} from './generated.js';

export type FailureType = NonNullable<AirbyteErrorTraceMessage['failure_type']>;
export type StreamStatus = AirbyteStreamStatusTraceMessage['status'];
export type LogLevel = 'FATAL' | 'ERROR' | 'WARN' | 'INFO' | 'DEBUG' | 'TRACE';

/** Builders for every message the connector prints; the only place message shapes are spelled out. */
export const messages = {
  spec: (spec: ConnectorSpecification): AirbyteMessage => ({ type: 'SPEC', spec }),

  connectionStatus: (status: AirbyteConnectionStatus): AirbyteMessage => ({
    type: 'CONNECTION_STATUS',
    connectionStatus: status,
  }),

  catalog: (catalog: AirbyteCatalog): AirbyteMessage => ({ type: 'CATALOG', catalog }),

  record: (stream: string, data: Record<string, unknown>): AirbyteMessage => ({
    type: 'RECORD',
    record: { stream, data, emitted_at: Date.now() },
  }),

  state: (stream: string, state: AirbyteStateBlob, recordCount: number): AirbyteMessage => ({
    type: 'STATE',
    state: {
      type: 'STREAM',
      stream: { stream_descriptor: { name: stream }, stream_state: state },
      sourceStats: { recordCount },
    },
  }),

  log: (level: LogLevel, message: string, stackTrace?: string): AirbyteMessage => ({
    type: 'LOG',
    log: stackTrace ? { level, message, stack_trace: stackTrace } : { level, message },
  }),

  streamStatus: (stream: string, status: StreamStatus): AirbyteMessage => ({
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: Date.now(),
      stream_status: { stream_descriptor: { name: stream }, status },
    },
  }),

  /** RUNNING, paused by the API's quota until `quotaReset` (epoch ms), as the platform shows it. */
  rateLimited: (stream: string, quotaReset: number): AirbyteMessage => ({
    type: 'TRACE',
    trace: {
      type: 'STREAM_STATUS',
      emitted_at: Date.now(),
      stream_status: {
        stream_descriptor: { name: stream },
        status: 'RUNNING',
        reasons: [{ type: 'RATE_LIMITED', rate_limited: { quota_reset: quotaReset } }],
      },
    },
  }),

  estimate: (stream: string, rowEstimate: number): AirbyteMessage => ({
    type: 'TRACE',
    trace: {
      type: 'ESTIMATE',
      emitted_at: Date.now(),
      estimate: { name: stream, type: 'STREAM', row_estimate: rowEstimate },
    },
  }),

  error: (error: { message: string; internalMessage?: string; stackTrace?: string; failureType: FailureType; stream?: string }): AirbyteMessage => ({
    type: 'TRACE',
    trace: {
      type: 'ERROR',
      emitted_at: Date.now(),
      error: {
        message: error.message,
        ...(error.internalMessage ? { internal_message: error.internalMessage } : {}),
        ...(error.stackTrace ? { stack_trace: error.stackTrace } : {}),
        failure_type: error.failureType,
        ...(error.stream ? { stream_descriptor: { name: error.stream } } : {}),
      },
    },
  }),
};
