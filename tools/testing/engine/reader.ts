/**
 * Test helper: an ApiClient on the msw transport with test-speed retries and no practical rate
 * limit, and a reader context around it.
 */
import { ApiClient, type AuthProvider } from '../../../src/engine/http/client.js';
import type { RetryPolicy } from '../../../src/engine/http/retry.js';
import { silentLogger, type Logger } from '../../../src/engine/logger.js';
import type { ConfiguredStream } from '../../../src/engine/catalog.js';
import { readStream, type Position, type ReadEvent, type ReaderContext } from '../../../src/engine/reader.js';
import { defineStream, type Row, type StreamDefinition } from '../../../src/engine/stream.js';
import type { z } from 'zod';
import { mswTransport } from './msw.js';

export const TEST_BASE_URL = 'http://api.test';

export const fastRetry: RetryPolicy = { maxRetries: 3, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2_000 };

export function testApi(options: { baseUrl?: string; retry?: Partial<RetryPolicy>; auth?: AuthProvider; logger?: Logger } = {}): ApiClient {
  return new ApiClient({
    name: 'Test API',
    baseUrl: options.baseUrl ?? TEST_BASE_URL,
    transport: mswTransport,
    retry: { ...fastRetry, ...options.retry },
    rateLimit: { requestsPerSecond: 1_000 },
    logger: options.logger ?? silentLogger,
    ...(options.auth ? { auth: options.auth } : {}),
  });
}

export function testContext(api: ApiClient = testApi(), options: { concurrency?: number; logger?: Logger } = {}): ReaderContext {
  return { apis: api, logger: options.logger ?? silentLogger, concurrency: options.concurrency ?? 4 };
}

/** A stream for engine tests, served by the one API of `testContext`. */
export function testStream<S extends z.ZodType>(definition: Omit<StreamDefinition<S, ApiClient>, 'api'>): StreamDefinition<S, ApiClient> {
  return defineStream({ ...definition, api: (api: ApiClient) => api });
}

/** A stream as a resolved catalog holds it, selected in `mode` with an append destination. */
export function catalogEntry(definition: StreamDefinition, mode: 'full_refresh' | 'incremental' = 'full_refresh'): ConfiguredStream {
  return {
    definition,
    configured: { stream: { name: definition.name, json_schema: {}, supported_sync_modes: [mode] }, sync_mode: mode, destination_sync_mode: 'append' },
  };
}

/** A read's events with each batch of records taken apart, one record an event, as tests look at them. */
export type FlatEvent = Exclude<ReadEvent, { kind: 'records' }> | { kind: 'record'; record: Row; after: Position };

export interface ReadResult {
  events: FlatEvent[];
  records: Row[];
  /** Each checkpoint with the number of records emitted before it. */
  checkpoints: Array<{ at: Position; recordsBefore: number }>;
  estimates: number[];
}

export async function readAll(context: ReaderContext, stream: StreamDefinition, options: { cursor?: string; from?: Position } = {}): Promise<ReadResult> {
  const result: ReadResult = { events: [], records: [], checkpoints: [], estimates: [] };
  for await (const event of readStream(context, stream, options.cursor, options.from)) {
    if (event.kind === 'records') {
      for (const [index, record] of event.records.entries()) {
        result.events.push({ kind: 'record', record, after: event.after(index) });
        result.records.push(record);
      }
      continue;
    }
    result.events.push(event);
    if (event.kind === 'checkpoint') result.checkpoints.push({ at: event.at, recordsBefore: result.records.length });
    else result.estimates.push(event.total);
  }
  return result;
}
