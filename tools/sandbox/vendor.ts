import type { ChurnCounts } from './churn.js';
import type { Reply, RequestContext } from './http.js';
import type { MountName, ResolvedOptions, Vendor } from './options.js';

/** One API surface under a path prefix. */
export interface Mount {
  name: MountName;
  prefix: string;
  handle(ctx: RequestContext): Reply | Promise<Reply>;
  /** An error in this API's own shape, used for injected faults and rate limiting (429s pass their Retry-After). */
  error(status: number, message: string, retryAfterSeconds?: number): Reply;
  /** Whether the sandbox's rate limit applies here (report downloads come from a storage bucket). */
  rateLimited: boolean;
  /**
   * The API's own gateway, for limits other than the sandbox's requests per second (Leanmote's
   * hourly budget): it counts every request on arrival, and its headers go on every response.
   */
  gateway?: Gateway;
}

/** What a gateway made of one request: the headers of its response, and whether it is over a limit. */
export interface GatewayVerdict {
  headers: Record<string, string>;
  /** Set when the request is over a limit: whole seconds until one would pass (for Retry-After). */
  retryAfterSeconds?: number;
}

/** Limits kept in front of an API, counted as a gateway counts: every request received, 429s included. */
export interface Gateway {
  /** Counts a request arriving at `at` (ms since the epoch, real clock). */
  admit(at: number): GatewayVerdict;
  /** Forgets every request counted (with the sandbox's stats). */
  reset(): void;
}

export type DataRecord = Record<string, unknown>;

/** What one mutation round changed in one stream, as primary-key strings (see `primaryKeyOf`). */
export interface StreamChanges {
  updated: string[];
  inserted: string[];
}

export type VendorChanges = Record<string, StreamChanges>;

export interface MutateOptions {
  /** Records updated per incremental stream. Default 3. */
  updates?: number;
  /** Records inserted per incremental stream. Default 2. */
  inserts?: number;
  /** Limit the round to these vendors. Default: all. */
  vendors?: Vendor[];
}

/**
 * A vendor: its mounts, its connector streams with primary keys, its data and mutations. `V` is its
 * id (a fake can name itself before the registry lists it).
 */
export interface VendorModule<V extends string = Vendor> {
  vendor: V;
  mounts: Mount[];
  /** Connector stream name → primary key fields. */
  primaryKeys: Record<string, readonly string[]>;
  /** Every record the connector should emit for the stream, shaped as the connector emits it. */
  truth(stream: string): Iterable<DataRecord>;
  mutate(round: number, now: number, updates: number, inserts: number): VendorChanges;
  /** What the `churn` option changed so far. */
  churned?(): ChurnCounts;
  /** Facts a client needs that no endpoint lists (e.g. Reflektive review-cycle uuids). */
  info?(): Record<string, unknown>;
}

export function changes(): StreamChanges {
  return { updated: [], inserted: [] };
}

/** The primary key of a record as a comparable string: the JSON array of its key values. */
export function keyString(fields: readonly string[], record: DataRecord): string {
  return JSON.stringify(fields.map((f) => record[f] ?? null));
}

/**
 * How a vendor's fake registers with the sandbox: one entry in registry.ts, everything else in its
 * own folder. `V` is the id of the connector vendor it imitates.
 */
export interface FakeVendor<V extends string = string, M extends string = string, C extends object = object> {
  vendor: V;
  create(options: ResolvedOptions, selfUrl: () => string): VendorModule<V | Vendor>;
  /** Connector stream name → primary key fields. */
  primaryKeys: Record<string, readonly string[]>;
  /** The paths its APIs are served under, by name: a connector config's base URLs. */
  mountPaths: Record<M, string>;
  /** The only credentials it accepts. */
  credentials: C;
  /** The connector's `platform` config for a running sandbox, as a user would write it. */
  platform(sandbox: { mounts: Record<M, string>; info(): Record<string, unknown> }): Record<string, unknown> & { vendor: V };
}
