import type { z } from 'zod';
import type { ApiClient, HttpResponse, Query } from './http/client.js';
import type { Paginator } from './pagination.js';

export type Row = Record<string, unknown>;

/**
 * The value at a field's path in a record: its names, outermost first, as Airbyte gives primary keys
 * and cursors (a name may hold a dot).
 */
export function fieldOf(record: Row, path: readonly string[]): unknown {
  let value: unknown = record;
  for (const name of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** One unit of a child stream's work: the values taken from one parent record. */
export interface Partition {
  /** Raw values, stamped onto every child record. */
  values: Record<string, string>;
  parent: Row;
}

export interface RequestContext {
  partition: Partition | undefined;
  /** The lower bound of an incremental read (the state's cursor, else the start date). */
  cursor: string | undefined;
}

export interface ParentLink {
  stream: StreamDefinition;
  /** Child field name -> parent field path; the values name the partition and are stamped on records. */
  fields: Record<string, string>;
  /**
   * The parent is read incrementally with the child's own cursor: true where a parent's cursor moves
   * whenever one of its children changes (review cycles and their participants).
   */
  incremental?: boolean;
}

export interface Incremental {
  /** Path of the cursor in a record, e.g. ['updatedAt'] or ['meta', 'lastModified']. */
  cursorField: string[];
  /** Server-side filter: the query parameters that ask for records at or after the cursor. */
  requestParams?: (cursor: string) => Query;
  /**
   * 'day' where the cursor or the API's filter only knows calendar days: the lower bound is floored
   * to the start of its UTC day, for the request and the client-side filter alike, so the boundary
   * day is read again whole instead of partly. 'second' likewise where the filter takes UNIX seconds.
   */
  granularity?: 'day' | 'second';
}

/** Context handed to a hand-written read for the endpoints no declarative shape fits. */
export interface CustomReadContext {
  api: ApiClient;
  cursor: string | undefined;
  log: (message: string) => void;
  /** The partition being read, for a partitioned stream (`parent` or `partitions`). */
  partition?: Partition;
}

/**
 * A stream, declared as data over the engine: where the records come from, how to page through
 * them, what identifies them and how to read only what changed. `A` is the vendor's set of API
 * clients; a vendor's definitions are built for one config, so whatever they need of it they close over.
 */
// biome-ignore lint/suspicious/noExplicitAny: a stream list mixes vendors' API sets only behind the registry
export interface StreamDefinition<S extends z.ZodType = z.ZodType, A = any> {
  name: string;
  schema: S;
  primaryKey: string[][];
  /** The API that serves it, picked from the vendor's typed set of clients: `(apis) => apis.scim`. */
  api(apis: A): ApiClient | undefined;
  request: {
    method?: 'GET' | 'POST';
    /** Partition values arrive percent-encoded. */
    path: string | ((values: Record<string, string>) => string);
    params?: (context: RequestContext) => Query;
  };
  /** Where the records sit in the body: a dotted path, '' for a bare array, or a function. */
  records?: string | ((body: unknown, response: HttpResponse) => unknown[]);
  paginate?: Paginator;
  parent?: ParentLink;
  /**
   * Partitions named in the config rather than read from a parent stream (ids the API cannot list,
   * e.g. one per configured review cycle). Read like a parent's, in this order, checkpointed after
   * each; the values are stamped on every record.
   */
  partitions?: () => Array<Record<string, string>>;
  /**
   * Partitions are independent: one failing does not stop the others. The stream still fails, after
   * every partition ran, naming each failure; the checkpoint never moves past a failed partition.
   */
  isolatePartitionFailures?: boolean;
  incremental?: Incremental;
  /** What a 403 means for this stream, e.g. "the permission to manage payroll policies". */
  permission?: string;
  /** Escape hatch for endpoints that fit no shape (an asynchronous report job); called once per partition if partitioned. */
  read?: (context: CustomReadContext) => AsyncIterable<Row>;
}

export function defineStream<S extends z.ZodType, A>(definition: StreamDefinition<S, A>): StreamDefinition<S, A> {
  return definition;
}
