import { Channel } from './channel.js';
import { isAtOrAfter, lowerBoundOf } from './cursor.js';
import { ConnectorError, describe, failureTypeOf, HttpError } from './errors.js';
import type { ApiClient, HttpResponse } from './http/client.js';
import type { Logger } from './logger.js';
import { pick, singlePage, type PageToken } from './pagination.js';
import type { Partition, Row, StreamDefinition } from './stream.js';

/**
 * Where a read can resume. A list resumes at a page (skipping the records of that page already
 * emitted); a child stream resumes at a position of its parent, and re-reads the partitions from
 * there. Positions are conservative: resuming may repeat records, never skip one.
 */
export interface Position {
  page?: PageToken;
  skip?: number;
  parent?: Position;
}

export type ReadEvent =
  | { kind: 'record'; record: Row; after: Position }
  | { kind: 'checkpoint'; at: Position }
  | { kind: 'estimate'; total: number };

export interface ReaderContext {
  apis: ReadonlyMap<string, ApiClient>;
  logger: Logger;
  /** Partitions of one child stream read at the same time (all within the API's rate limit). */
  concurrency: number;
  config: unknown;
}

/**
 * Reads a stream's records, at or after `cursor` when the stream is incremental, starting at `from`.
 * Checkpoint events mark the positions from which a later read can resume without loss.
 */
export function readStream(
  context: ReaderContext,
  stream: StreamDefinition,
  cursor: string | undefined,
  from: Position | undefined,
): AsyncGenerator<ReadEvent> {
  if (stream.parent || stream.partitions) return readPartitions(context, stream, cursor, from);
  if (stream.read) return readCustom(context, stream, cursor, undefined);
  return readPages(context, stream, undefined, cursor, from);
}

export function apiOf(context: ReaderContext, stream: StreamDefinition): ApiClient {
  const api = stream.api ? context.apis.get(stream.api) : context.apis.values().next().value;
  if (!api) throw new ConnectorError(`Stream ${stream.name} needs the ${stream.api ?? 'default'} API, which is not configured.`, 'config_error');
  return api;
}

async function* readCustom(
  context: ReaderContext,
  stream: StreamDefinition,
  cursor: string | undefined,
  partition: Partition | undefined,
): AsyncGenerator<ReadEvent> {
  const read = stream.read as NonNullable<StreamDefinition['read']>;
  const api = apiOf(context, stream);
  const log = (m: string) => context.logger.info(m);
  for await (const record of read({ api, cursor, config: context.config, log, ...(partition ? { partition } : {}) })) {
    yield { kind: 'record', record: stamp(record, partition), after: {} };
  }
}

/** Partitions named in the config, as parent records; their position is how many come before. */
async function* configuredPartitions(stream: StreamDefinition, config: unknown, from: Position | undefined): AsyncGenerator<ReadEvent> {
  const list = stream.partitions?.(config) ?? [];
  for (let index = from?.skip ?? 0; index < list.length; index++) {
    yield { kind: 'record', record: list[index] as Row, after: { skip: index + 1 } };
  }
}

async function* readPages(
  context: ReaderContext,
  stream: StreamDefinition,
  partition: Partition | undefined,
  lowerBound: string | undefined,
  from: Position | undefined,
): AsyncGenerator<ReadEvent> {
  const cursor = lowerBoundOf(lowerBound, stream.incremental?.granularity);
  const api = apiOf(context, stream);
  const paginator = stream.paginate ?? singlePage();
  const path = pathOf(stream, partition);
  let token = from?.page;
  let skip = from?.skip ?? 0;
  let first = true;

  for (;;) {
    const response = await api.request({
      method: stream.request.method ?? 'GET',
      path,
      query: {
        ...paginator.params(token),
        ...stream.request.params?.({ partition, cursor }),
        ...(cursor !== undefined && stream.incremental?.requestParams ? stream.incremental.requestParams(cursor) : {}),
      },
    });
    const records = selectRecords(stream, response);
    if (first && !partition) {
      const total = paginator.total?.(response);
      if (total !== undefined) yield { kind: 'estimate', total };
    }
    first = false;
    const next = paginator.next({ response, records, token });

    for (let index = skip; index < records.length; index++) {
      const record = stamp(records[index], partition);
      if (stream.incremental && !isAtOrAfter(record, stream.incremental.cursorField, cursor)) continue;
      yield { kind: 'record', record, after: { ...(token === undefined ? {} : { page: token }), skip: index + 1 } };
    }
    skip = 0;
    if (next === undefined) return;
    if (next === token) {
      throw new ConnectorError(`The ${stream.name} pagination did not advance past page ${String(token)}.`, 'system_error');
    }
    token = next;
    yield { kind: 'checkpoint', at: { page: token } };
  }
}

async function* readPartitions(
  context: ReaderContext,
  stream: StreamDefinition,
  cursor: string | undefined,
  from: Position | undefined,
): AsyncGenerator<ReadEvent> {
  const link = stream.parent;
  const channel = new Channel<ReadEvent>(1024);

  // Partitions finish out of order; the checkpoint only moves past a partition once every partition
  // before it has finished too.
  let safe: Position = from ?? {};
  const pending: Array<{ after: Position; done: boolean }> = [];
  let failure: { error: unknown } | undefined;
  const isolated: Array<{ partition: Partition; error: unknown }> = [];

  const readPartition = async (partition: Partition, entry: { after: Position; done: boolean }) => {
    try {
      const events = stream.read ? readCustom(context, stream, cursor, partition) : readPages(context, stream, partition, cursor, undefined);
      for await (const event of events) {
        if (event.kind === 'record') await channel.push({ kind: 'record', record: event.record, after: safe });
      }
    } catch (error) {
      if (!(error instanceof HttpError && error.status === 404)) {
        // A failed partition is never done: the checkpoint stays before it, so a resumed read redoes it.
        if (stream.isolatePartitionFailures) isolated.push({ partition, error });
        else failure ??= { error };
        return;
      }
      context.logger.warn(`${stream.name}: skipped ${describePartition(partition)}: its parent no longer exists (HTTP 404).`);
    }
    entry.done = true;
    let advanced = false;
    while (pending[0]?.done) {
      safe = { parent: (pending.shift() as { after: Position }).after };
      advanced = true;
    }
    if (advanced) await channel.push({ kind: 'checkpoint', at: safe }).catch(() => undefined);
  };

  const produce = async () => {
    const running = new Set<Promise<void>>();
    const parents = link
      ? readStream(context, link.stream, link.incremental ? cursor : undefined, from?.parent)
      : configuredPartitions(stream, context.config, from?.parent);
    try {
      for await (const event of parents) {
        if (failure) break;
        if (event.kind !== 'record') continue;
        const entry = { after: event.after, done: false };
        pending.push(entry);
        const partition = link ? partitionOf(link.fields, event.record) : { values: event.record as Record<string, string>, parent: event.record };
        const task = readPartition(partition, entry);
        running.add(task);
        void task.then(() => running.delete(task));
        while (running.size >= context.concurrency) await Promise.race(running);
      }
    } finally {
      // Also when the parent read fails: partitions left running would go on sending requests (and
      // keep the process alive in their retry waits) after the stream has been reported failed.
      await Promise.all(running);
    }
    if (failure) throw failure.error;
    if (isolated.length > 0) throw partitionFailures(stream, isolated);
  };

  produce().then(
    () => channel.close(),
    (error) => channel.fail(error),
  );
  yield* channel;
}

function partitionOf(fields: Record<string, string>, parent: Row): Partition {
  const values: Record<string, string> = {};
  for (const [name, path] of Object.entries(fields)) {
    const value = pick(parent, path);
    if (value !== undefined && value !== null) values[name] = String(value);
  }
  return { values, parent };
}

/** One partition's error as it is; several as one error that names each partition. */
function partitionFailures(stream: StreamDefinition, failures: Array<{ partition: Partition; error: unknown }>): unknown {
  if (failures.length === 1) return (failures[0] as { error: unknown }).error;
  const each = failures.map(({ partition, error }) => `${describePartition(partition)}: ${describe(error)}`);
  return new ConnectorError(`${failures.length} partitions of ${stream.name} failed: ${each.join('; ')}`, failureTypeOf(failures[0]?.error), {
    cause: failures[0]?.error,
  });
}

function describePartition(partition: Partition): string {
  return Object.entries(partition.values)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

function pathOf(stream: StreamDefinition, partition: Partition | undefined): string {
  const { path } = stream.request;
  if (typeof path === 'string') return path;
  const encoded = Object.fromEntries(
    Object.entries(partition?.values ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]),
  );
  return path(encoded);
}

function selectRecords(stream: StreamDefinition, response: HttpResponse): unknown[] {
  // A 200 that is not JSON (a proxy's HTML page) or has no body at all is not "no records": reading it
  // as an empty list would complete the stream and move its cursor past records never read.
  if (typeof response.body === 'string' || response.body === null) {
    const seen = typeof response.body === 'string' ? `text starting ${JSON.stringify(response.body.slice(0, 60))}` : 'an empty body';
    throw new ConnectorError(`The ${stream.name} response is not JSON (${seen}).`, 'system_error');
  }
  const selector = stream.records ?? '';
  const selected = typeof selector === 'function' ? selector(response.body, response) : pick(response.body, selector);
  // A body without the records' key at all (`{"message": …}`) is not an empty list either.
  if (selected === undefined && typeof selector === 'string' && selector !== '') {
    throw new ConnectorError(`The ${stream.name} response has no "${selector}" (${JSON.stringify(response.body).slice(0, 80)}).`, 'system_error');
  }
  if (selected === null || selected === undefined) return [];
  if (Array.isArray(selected)) return selected;
  // A detail endpoint returns one object: that object is the record.
  if (typeof selected === 'object') return [selected];
  throw new ConnectorError(
    `The ${stream.name} response has no list of records${typeof selector === 'string' && selector ? ` at "${selector}"` : ''}.`,
    'system_error',
  );
}

function stamp(record: unknown, partition: Partition | undefined): Row {
  const row = (record && typeof record === 'object' ? record : { value: record }) as Row;
  return partition ? { ...row, ...partition.values } : row;
}
