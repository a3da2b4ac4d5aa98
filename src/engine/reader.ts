import { Channel, ChannelCancelled } from './channel.js';
import { isAtOrAfter, lowerBoundOf } from './cursor.js';
import { pickSlices, readJsonPage, type SlicedJson } from './formats/json-page.js';
import { ConnectorError, describe, failureTypeOf, HttpError, interruptedBy } from './errors.js';
import type { ApiClient, HttpRequest, HttpResponse, Query } from './http/client.js';
import type { Logger } from './logger.js';
import { isOverlapping, type OverlappingPaginator, type Positions } from './overlap.js';
import { PagesAhead } from './pages-ahead.js';
import { pick, singlePage, type PageToken } from './pagination.js';
import { fieldOf, type Partition, type Row, type StreamDefinition } from './stream.js';

/**
 * Where a read can resume. A list resumes at a page (skipping the records of that page already
 * emitted); a child stream resumes at a position of its parent, and re-reads the partitions from
 * there, except those listed as `done`. Positions are conservative: resuming may repeat records,
 * never skip one.
 */
export interface Position {
  page?: PageToken;
  skip?: number;
  parent?: Position;
  /** Partitions (their values) that finished after `parent`: a resumed read skips them. */
  done?: Array<Record<string, string>>;
}

/**
 * At most this many finished partitions are listed in a position. Forgetting one only means reading
 * it again, so the list is cut (oldest first) rather than let every checkpoint grow with the account.
 */
export const MAX_DONE_PARTITIONS = 500;

export type ReadEvent =
  /**
   * Records read together (a page, as far as it goes out): handed on as one event, so that the
   * request for the next page goes out before these are written, and no record pays for an await.
   */
  | {
      kind: 'records';
      records: Row[];
      /**
       * The records' JSON as the API sent it (one line of UTF-8 each), for those that are that JSON
       * unchanged: aligned with `records`, so that they go out as those bytes.
       */
      json?: SlicedJson;
      /**
       * The records hold only their primary key and cursor fields (a page read lean, see `asSent` in
       * `readStream`): the whole of each is its `json`.
       */
      lean?: true;
      /** Where a read resumes to come after `records[index]`. */
      after(index: number): Position;
      /** The partition (its key) that produced the records, when the stream is partitioned. */
      origin?: string;
    }
  | { kind: 'checkpoint'; at: Position }
  /** The records a list holds, by its first page: the stream's own, or (`of`) those of a parent it reads. */
  | { kind: 'estimate'; total: number; of?: string };

export interface ReaderContext {
  /** The vendor's set of API clients; each stream picks its own from it. */
  apis: unknown;
  logger: Logger;
  /** Partitions of one child stream read at the same time (all within the API's rate limit). */
  concurrency: number;
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
  /** Stops the read at once, between two events, with an `Interrupted` error (see `interruptedBy`). */
  signal?: AbortSignal,
  /**
   * The caller writes records that come with their `json` as those bytes, and needs nothing else of
   * them but their primary key and cursor: a list's records then come with their `json`, and its
   * pages may be read without building their records (see `leanFields`; their events say so, `lean`).
   * A parent's records, read for their partitions, need neither.
   */
  asSent = false,
): AsyncGenerator<ReadEvent> {
  if (stream.parent || stream.partitions) return readPartitions(context, stream, cursor, from, signal);
  if (stream.read) return readAhead(readCustom(context, stream, cursor, undefined), signal);
  return readAhead(readPages(context, stream, undefined, cursor, from, asSent), signal);
}

/**
 * The fields a list's records are read with when they are read lean: their primary key and cursor,
 * which the read itself needs. None (read whole) where those are not all top-level fields, where
 * the records are not at a path of the body, or where the paginator looks at the records' fields.
 */
function leanFields(stream: StreamDefinition): { path: string; fields: string[] } | undefined {
  const paths = [...stream.primaryKey, ...(stream.incremental ? [stream.incremental.cursorField] : [])];
  if (typeof stream.records !== 'string' || stream.paginate?.readsRecords || paths.some((path) => path.length !== 1)) return undefined;
  return { path: stream.records, fields: [...new Set(paths.map((path) => path[0] as string))] };
}

const interrupted = (signal: AbortSignal) => () => interruptedBy(signal);

/** Records a list may have read ahead of those written: a page of 1000 records and the next one. */
const READ_AHEAD = 2048;

/**
 * How much of a read-ahead an event takes: its records, and one for a checkpoint or an estimate (a
 * list whose pages bring only records the cursor leaves out still queues a checkpoint per page, and
 * must wait for a consumer held up by stdout like any other).
 */
const sizeOf = (event: ReadEvent) => (event.kind === 'records' ? event.records.length : 1);

/**
 * The events of `source`, read up to READ_AHEAD ahead of the consumer: the request for a list's next
 * page goes out as soon as this page is queued, not once its records are written, so the wait for a
 * page and the writing of the one before overlap.
 */
function readAhead(source: AsyncGenerator<ReadEvent>, signal: AbortSignal | undefined): AsyncGenerator<ReadEvent> {
  const channel = new Channel<ReadEvent>(READ_AHEAD, sizeOf);
  if (signal) channel.interruptOn(signal, interrupted(signal));
  void (async () => {
    try {
      for await (const event of source) await channel.push(event);
      channel.close();
    } catch (error) {
      // The consumer stopped: the source has been returned, nothing is left to report.
      if (!(error instanceof ChannelCancelled)) channel.fail(error);
    }
  })();
  return channel[Symbol.asyncIterator]() as AsyncGenerator<ReadEvent>;
}

export function apiOf(context: ReaderContext, stream: StreamDefinition): ApiClient {
  const api = stream.api(context.apis);
  if (!api) throw new ConnectorError(`Stream ${stream.name} needs an API that this configuration does not set up.`, 'config_error');
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
  for await (const record of read({ api, cursor, log, ...(partition ? { partition } : {}) })) {
    yield { kind: 'records', records: [stamp(record, partition)], after: () => ({}) };
  }
}

/** Partitions named in the config, as parent records; their position is how many come before. */
async function* configuredPartitions(stream: StreamDefinition, from: Position | undefined): AsyncGenerator<ReadEvent> {
  const list = stream.partitions?.() ?? [];
  const start = from?.skip ?? 0;
  if (start < list.length) yield { kind: 'records', records: list.slice(start) as Row[], after: (index) => ({ skip: start + index + 1 }) };
}

async function* readPages(
  context: ReaderContext,
  stream: StreamDefinition,
  partition: Partition | undefined,
  lowerBound: string | undefined,
  from: Position | undefined,
  /** See `readStream`. */
  asSent = false,
): AsyncGenerator<ReadEvent> {
  const cursor = lowerBoundOf(lowerBound, stream.incremental?.granularity);
  const api = apiOf(context, stream);
  const paginator = stream.paginate ?? singlePage();
  if (isOverlapping(paginator)) return yield* readOverlapping(context, stream, partition, cursor, from, paginator, asSent);
  const lean = asSent ? leanFields(stream) : undefined;
  const path = pathOf(stream, partition);
  let token = from?.page;
  let skip = from?.skip ?? 0;
  let first = true;
  /** Keys of the page before: a record it held that comes again on this one is left out. */
  let recent = new Set<string>();

  for (;;) {
    const response = await api.request(pageRequest(stream, path, partition, cursor, paginator.params(token), lean));
    const records = selectRecords(stream, response);
    if (first && !partition) {
      const total = paginator.total?.(response);
      if (total !== undefined) yield { kind: 'estimate', total };
    }
    first = false;
    const next = paginator.next({ response, records, token });
    const discarded = paginator.discard?.({ response, records, token }) ?? false;

    const keys = new Set<string>();
    const rows: Row[] = [];
    /** The index in the page of each of `rows`. */
    const indices: number[] = [];
    for (let index = discarded ? records.length : skip; index < records.length; index++) {
      const record = stamp(records[index], partition);
      // A record without its whole primary key cannot be told from another: it is never taken for one.
      const key = stream.primaryKey.every((field) => fieldOf(record, field) != null) && stream.primaryKey.length > 0 ? keyOf(stream, record) : undefined;
      if (key !== undefined) {
        keys.add(key);
        if (recent.has(key)) continue;
      }
      if (stream.incremental && !isAtOrAfter(record, stream.incremental.cursorField, cursor)) continue;
      rows.push(record);
      indices.push(index);
    }
    if (rows.length > 0) {
      const page = token === undefined ? {} : { page: token };
      const json = asSent ? jsonOf(stream, response, records, partition) : undefined;
      yield {
        kind: 'records',
        records: rows,
        ...(json ? { json: pickSlices(json, indices) } : {}),
        ...(response.listed ? { lean: true as const } : {}),
        after: (i) => ({ ...page, skip: (indices[i] as number) + 1 }),
      };
    }
    if (!discarded) recent = keys;
    skip = 0;
    if (next === undefined) return;
    if (next === token) {
      throw new ConnectorError(`The ${stream.name} pagination did not advance past page ${String(token)}.`, 'system_error');
    }
    token = next;
    // A page that brought no record (left out, or an empty time window) moved nothing a resumed read would spare.
    if (!discarded && records.length > 0) yield { kind: 'checkpoint', at: { page: token } };
  }
}

/**
 * The request for one page: the stream's own parameters, then the cursor's, then the paginator's
 * (last, so that a paginator that narrows the stream's window from the second page on, as Reflektive's
 * time windows do, wins).
 */
function pageRequest(
  stream: StreamDefinition,
  path: string,
  partition: Partition | undefined,
  cursor: string | undefined,
  paging: Query,
  lean: HttpRequest['page'] | undefined,
): HttpRequest {
  return {
    method: stream.request.method ?? 'GET',
    path,
    query: {
      ...stream.request.params?.({ partition, cursor }),
      ...(cursor !== undefined && stream.incremental?.requestParams ? stream.incremental.requestParams(cursor) : {}),
      ...paging,
    },
    ...(lean ? { page: lean } : {}),
  };
}

/** At most this many requests in a row may bring nothing new before an overlapping read gives up. */
const MAX_REQUESTS_WITHOUT_PROGRESS = 100;
/** Pages an overlapping read steps back, looking for the last record it read, before it looks at the top of the list. */
const MAX_STEPS_BACK = 20;

/**
 * Reads a list whose pages can start at any record (see overlap.ts). Each page is asked for from one
 * record early: `anchor` is the key of the last record of the page before, which must come first.
 * If it does not, the list moved between the two requests: the read looks for the latest record of
 * that page it can find (in this page, else in pages stepping back, one at a time, towards the start)
 * and goes on after it, skipping the records of that page that come again. The list ends where a page
 * brings nothing after an anchor found in its place, or where the paginator says so.
 *
 * While pages are found in their place and the list reports its total, the next PAGES_AHEAD pages are
 * asked for as soon as a page arrives (see pages-ahead.ts): a list is read at the pace of its server,
 * not one round trip and one page's handling per page.
 */
async function* readOverlapping(
  context: ReaderContext,
  stream: StreamDefinition,
  partition: Partition | undefined,
  cursor: string | undefined,
  from: Position | undefined,
  paginator: OverlappingPaginator,
  asSent: boolean,
): AsyncGenerator<ReadEvent> {
  const api = apiOf(context, stream);
  const lean = asSent ? leanFields(stream) : undefined;
  const path = pathOf(stream, partition);
  const { positions } = paginator;
  const where = partition ? `${stream.name} (${describePartition(partition)})` : stream.name;
  /** Position of the first record not read yet. */
  let position = positions.of(from?.page);
  /** Records of the page at `position` already emitted before a resumed read. */
  let skip = from?.skip ?? 0;
  let anchor: string | undefined;
  /** Keys of the last page read (and, while its place is being looked for, of the pages stepped back through). */
  let recent = new Set<string>();
  /** How far before the anchor's expected place the page asked for holds, while looking for it, and by how much that grew last. */
  let back = 0;
  let step = 0;
  let steps = 0;
  /** Ask for the next page without starting one record early (a server that serves one record a page). */
  let plain = false;
  let served: number | undefined;
  let first = true;
  let idle = 0;
  let moves = 0;
  let repeats = 0;
  const ahead = new PagesAhead((token) => api.request(pageRequest(stream, path, partition, cursor, paginator.params(token), lean)));

  for (;;) {
    const at = anchor === undefined || plain ? position : Math.max(0, position - 1 - back);
    const page = positions.page(at, served);
    const response = await ahead.take(page.token);
    const selected = selectRecords(stream, response);
    const records = selected.map((record) => stamp(record, partition));
    served = Math.max(served ?? 0, records.length);
    const total = paginator.total?.(response);
    if (first && !partition && total !== undefined) yield { kind: 'estimate', total };
    first = false;
    const next = paginator.next({ response, records, token: page.token });
    const keys = records.map((record) => keyOf(stream, record));

    // Where the records not read yet begin in this page.
    // Without a record to check the place by (the first page, a resumed read), the page is taken to
    // be where it says: it starts at the position asked for, less what a resumed read already emitted.
    let start = anchor === undefined || plain ? Math.max(0, position - page.start) + skip : 0;
    let held = anchor === undefined || plain;
    const expected = position - 1 - page.start;
    const inPlace = held || (back === 0 && keys[expected] === anchor);
    // Asked for before this page is handled, and only while the list stays put (a list that keeps
    // moving would waste them): the pages that follow if it goes on staying put.
    if (inPlace && total !== undefined) ahead.ask(pagesAfter(positions, page, records.length, served, total));
    if (!held) {
      if (inPlace) {
        start = expected + 1;
        held = true;
      } else {
        let found = -1;
        for (let index = keys.length - 1; index >= 0 && found < 0; index--) if (recent.has(keys[index] as string)) found = index;
        if (found < 0 && page.start > 0) {
          // The list moved back past this page: look one record further back, then two, four, up to
          // half a page at a time, each page holding the place looked at and as much after it as it
          // can, so that where the record is found, records not read yet follow it on the same page.
          // (This page's records are not remembered: those not read yet are among them.)
          // Past MAX_STEPS_BACK pages, it looks at the top of the list at once.
          steps++;
          step = back === 0 ? 1 : Math.min(step * 2, Math.max(1, Math.ceil(served / 2)));
          back = steps > MAX_STEPS_BACK ? position - 1 : Math.min(position - 1, back + step);
          if (++idle > MAX_REQUESTS_WITHOUT_PROGRESS)
            throw new ConnectorError(`The ${where} list kept moving: its pages could not be joined up.`, 'system_error');
          continue;
        }
        moves++;
        if (found < 0) {
          context.logger.warn(
            `${where}: none of the ${recent.size} records read last is in the list any more, so where to go on is unknown: the list is read again from its start, and records delivered before may come again.`,
          );
        }
        start = found + 1;
      }
    }
    plain = false;
    back = 0;
    step = 0;
    steps = 0;

    let emitted = 0;
    const rows: Row[] = [];
    const indices: number[] = [];
    for (let index = start; index < records.length; index++) {
      if (recent.has(keys[index] as string)) {
        repeats++;
        continue;
      }
      emitted++;
      const record = records[index] as Row;
      if (stream.incremental && !isAtOrAfter(record, stream.incremental.cursorField, cursor)) continue;
      rows.push(record);
      indices.push(index);
    }
    if (rows.length > 0) {
      const json = asSent ? jsonOf(stream, response, selected, partition) : undefined;
      yield {
        kind: 'records',
        records: rows,
        ...(json ? { json: pickSlices(json, indices) } : {}),
        ...(response.listed ? { lean: true as const } : {}),
        after: (i) => ({ page: positions.token(page.start + (indices[i] as number) + 1) }),
      };
    }
    skip = 0;
    idle = emitted > 0 ? 0 : idle + 1;
    if (idle > MAX_REQUESTS_WITHOUT_PROGRESS) throw new ConnectorError(`The ${where} pagination did not advance past position ${position}.`, 'system_error');

    if (next === undefined && records.length > 0) break;
    if (records.length === 0 && anchor === undefined) break;
    if (start < records.length || anchor === undefined) {
      position = page.start + records.length;
      anchor = keys[keys.length - 1];
      recent = new Set(keys);
    } else if (next === undefined || records.length < Math.min(page.size, served)) {
      // Nothing after the last record read, on a page that had room for more: the list ends there.
      break;
    } else if (held) {
      // A page of one record (a server that serves one a page) shows nothing after it: ask on from
      // right after it.
      plain = true;
    } else {
      // Found, but at the end of this page: go on right after it.
      position = page.start + start;
      anchor = keys[start - 1];
      for (const key of keys) recent.add(key);
    }
    yield { kind: 'checkpoint', at: { page: positions.token(position) } };
  }
  if (moves > 0 || repeats > 0) {
    context.logger.info(
      `${where}: records were added or deleted before the page being read ${moves} time${moves === 1 ? '' : 's'} while the list was read; each time the read went on after the last record it had delivered, so none was skipped${repeats > 0 ? `, and ${repeats} that came again were left out` : ''}.`,
    );
  }
}

/** Pages of a list asked for ahead of the one being handled. */
const PAGES_AHEAD = 2;

/**
 * The pages that follow `page`, which brought `length` records, as the read asks for them if
 * the list stays put and every page is full: each from the last record of the page before. None past
 * the list's `total`, and none after a page shorter than the server serves (the list ends, or moved).
 */
function pagesAfter(positions: Positions, page: { start: number; size: number }, length: number, served: number, total: number): PageToken[] {
  const tokens: PageToken[] = [];
  if (length < Math.min(page.size, served, total - page.start)) return tokens;
  let at = { start: page.start, length };
  while (tokens.length < PAGES_AHEAD && at.length > 0 && at.start + at.length < total) {
    const next = positions.page(at.start + at.length - 1, served);
    tokens.push(next.token);
    at = { start: next.start, length: Math.min(next.size, served, total - next.start) };
  }
  return tokens;
}

async function* readPartitions(
  context: ReaderContext,
  stream: StreamDefinition,
  cursor: string | undefined,
  from: Position | undefined,
  signal: AbortSignal | undefined,
): AsyncGenerator<ReadEvent> {
  const link = stream.parent;
  const channel = new Channel<ReadEvent>(1024, sizeOf);
  if (signal) channel.interruptOn(signal, interrupted(signal));
  const checkpoints = new PartitionCheckpoints(from);
  let failure: { error: unknown } | undefined;
  const isolated: Array<{ partition: Partition; error: unknown }> = [];

  const finish = async (entry: PartitionEntry) => {
    checkpoints.finish(entry);
    // A partition without records spares a resumed read nothing: its checkpoint waits for the next.
    if (entry.records > 0) await channel.push({ kind: 'checkpoint', at: checkpoints.position }).catch(() => undefined);
  };

  const readPartition = async (partition: Partition, entry: PartitionEntry) => {
    try {
      const events = stream.read ? readCustom(context, stream, cursor, partition) : readPages(context, stream, partition, cursor, undefined);
      for await (const event of events) {
        if (event.kind !== 'records') continue;
        entry.records += event.records.length;
        const after = checkpoints.position;
        await channel.push({ kind: 'records', records: event.records, after: () => after, origin: entry.key });
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
    await finish(entry);
  };

  const produce = async () => {
    const running = new Set<Promise<void>>();
    const parents = link ? readStream(context, link.stream, link.incremental ? cursor : undefined, from?.parent) : configuredPartitions(stream, from?.parent);
    try {
      for await (const event of parents) {
        if (failure) break;
        if (event.kind === 'estimate') await channel.push({ kind: 'estimate', total: event.total, of: event.of ?? link?.stream.name ?? stream.name });
        if (event.kind !== 'records') continue;
        for (const [index, record] of event.records.entries()) {
          if (failure) break;
          const partition = link ? partitionOf(link.fields, record) : { values: record as Record<string, string>, parent: record };
          const entry = checkpoints.start({ after: event.after(index), ...(event.origin === undefined ? {} : { origin: event.origin }) }, partition.values);
          if (entry.done) {
            // Finished before the read was interrupted: its records were emitted then.
            await finish(entry);
            continue;
          }
          const task = readPartition(partition, entry);
          running.add(task);
          void task.then(() => running.delete(task));
          while (running.size >= context.concurrency) await Promise.race(running);
        }
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

interface PartitionEntry {
  /** The parent's position after the record this partition came from. */
  after: Position;
  values: Record<string, string>;
  key: string;
  /** The parent's own partition that produced the parent record (a nested read). */
  origin: string | undefined;
  /** Order of arrival of the parent record. */
  seq: number;
  records: number;
  done: boolean;
  /** The checkpoint's parent position has reached this entry. */
  passed: boolean;
}

/**
 * The checkpoint of a partitioned read. Partitions finish out of order: the parent position only
 * moves past a partition once every partition before it has finished too, and the partitions that
 * finished beyond it are listed as `done`, so every finished partition moves the checkpoint forward.
 */
class PartitionCheckpoints {
  /** The position to resume from; every record is stamped with the one current when it was read. */
  position: Position;
  private parentAt: Position | undefined;
  private parentSeq = -1;
  private readonly pending: PartitionEntry[] = [];
  private finished: PartitionEntry[] = [];
  private readonly doneBefore: Set<string>;
  private arrivals = 0;
  /** A nested read's parent partitions, by key, with the arrival at which the parent first listed them done. */
  private readonly doneAtParent = new Map<string, number>();

  constructor(from: Position | undefined) {
    this.position = from ?? {};
    this.parentAt = from?.parent;
    this.doneBefore = new Set((from?.done ?? []).map(partitionKey));
  }

  start(parent: { after: Position; origin?: string }, values: Record<string, string>): PartitionEntry {
    const key = partitionKey(values);
    const seq = this.arrivals++;
    for (const finished of parent.after.done ?? []) {
      const id = partitionKey(finished);
      if (!this.doneAtParent.has(id)) this.doneAtParent.set(id, seq);
    }
    const entry: PartitionEntry = { after: parent.after, values, key, origin: parent.origin, seq, records: 0, done: this.doneBefore.has(key), passed: false };
    this.pending.push(entry);
    return entry;
  }

  /** Marks a partition finished and moves the checkpoint. */
  finish(entry: PartitionEntry): void {
    entry.done = true;
    this.finished.push(entry);
    let moved = false;
    while (this.pending[0]?.done) {
      const passed = this.pending.shift() as PartitionEntry;
      passed.passed = true;
      this.parentAt = passed.after;
      this.parentSeq = passed.seq;
      moved = true;
    }
    // A finished partition behind the parent position stays listed while resuming from that position
    // would produce its parent record again: in a nested read, until the parent's own partition that
    // produced it is finished as of that position. Forgetting one only means reading it again.
    if (moved) this.finished = this.finished.filter((e) => !e.passed || (e.origin !== undefined && !this.finishedAtParent(e.origin)));
    if (this.finished.length > MAX_DONE_PARTITIONS) this.finished = this.finished.slice(-MAX_DONE_PARTITIONS);
    const done = this.finished.map((e) => e.values);
    this.position = { ...(this.parentAt ? { parent: this.parentAt } : {}), ...(done.length > 0 ? { done } : {}) };
  }

  private finishedAtParent(origin: string): boolean {
    const listed = this.doneAtParent.get(origin);
    return listed !== undefined && listed <= this.parentSeq;
  }
}

function partitionKey(values: Record<string, string>): string {
  return JSON.stringify(Object.entries(values).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
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
  const encoded = Object.fromEntries(Object.entries(partition?.values ?? {}).map(([k, v]) => [k, encodeURIComponent(v)]));
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

/**
 * Each record's JSON as the API sent it, where the record goes out as that JSON unchanged: an object
 * taken from a list at a path of the body, not stamped with a partition's values. Found when the body
 * was read lean; otherwise asked for only when a page has records to write (a page the cursor
 * empties is not read again).
 */
function jsonOf(stream: StreamDefinition, response: HttpResponse, records: unknown[], partition: Partition | undefined): SlicedJson | undefined {
  const { bytes, listed } = response;
  if (partition || !bytes || typeof stream.records !== 'string' || records.length === 0) return undefined;
  if (listed) return { bytes, ...listed };
  const page = readJsonPage(bytes, stream.records, []);
  return page && page.starts.length === records.length ? { bytes, starts: page.starts, ends: page.ends } : undefined;
}

/** A record's primary key, as one comparable string. */
function keyOf(stream: StreamDefinition, record: Row): string {
  const { primaryKey } = stream;
  if (primaryKey.length === 1) {
    const value = fieldOf(record, primaryKey[0] as string[]);
    // Most keys are one string: the string itself, where it cannot be taken for the JSON of another
    // key (which starts with a bracket).
    if (typeof value === 'string') return value[0] === '[' ? `\u0000${value}` : value;
  }
  return JSON.stringify(primaryKey.map((field) => fieldOf(record, field) ?? null));
}

function stamp(record: unknown, partition: Partition | undefined): Row {
  const row = (record && typeof record === 'object' ? record : { value: record }) as Row;
  return partition ? { ...row, ...partition.values } : row;
}
