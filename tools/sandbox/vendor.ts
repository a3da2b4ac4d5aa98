import type { ChurnCounts } from './churn.js';
import type { Reply, RequestContext } from './http.js';
import type { FlagDefinition } from './flags.js';
import type { MountName, ResolvedOptions, Vendor } from './options.js';

/** One API surface under a path prefix; `N` its name, one its fake declares (`FakeDefinition.mounts`). */
export interface Mount<N extends string = MountName> {
  name: N;
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
 * id and `N` the names of its mounts (a fake can name them before the registry lists it).
 */
export interface VendorModule<V extends string = Vendor, N extends string = MountName> {
  vendor: V;
  mounts: Mount<N>[];
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

/** What the sandbox keeps on one of a fake's mounts, by the mount's name (stats, `faults.mounts`, `rateLimits`). */
export interface MountSpec {
  /**
   * Its requests-per-second limit when limits are enforced: the default of `rateLimits.<name>` and
   * `--rate-limit-<name>`, the API it limits and whether the vendor documents the figure (for
   * --help). Absent where the sandbox counts none: a storage bucket, or an API whose own gateway
   * limits it (`gatewayLimits`).
   */
  requestsPerSecond?: { default: number; api: string; documented: boolean };
  /** The limits the API's own gateway keeps when limits are enforced (see `Mount.gateway`), for --help. */
  gatewayLimits?: string;
}

/**
 * A fake's own options: fields of `SandboxOptions` (`O`, flat beside the shared ones), their
 * defaults and checks, and the flags of `npm run sandbox` that set them.
 */
export interface FakeOptions<O extends object, R> {
  /** Defaults applied and values checked (throws on a bad one): what the fake's `create` gets. */
  resolve(options: O): R;
  flags: readonly FlagDefinition<O>[];
}

/**
 * What a check of a read needs to know about one of a fake's streams beyond its truth: how the
 * connector's records differ from it, and what an incremental read reads again (tools/demo/verify.ts).
 */
export interface StreamFacts {
  /**
   * Fields the connector copies into the stream's records from another stream's (a parent's cursor,
   * where the stream's own API has none): absent from the truth, and changed whenever those are.
   */
  copiedFrom?: { stream: string; fields: readonly string[] };
  /**
   * The API filters by whole days or seconds, so every record of the committed cursor's day or
   * second comes back (default: its exact instant).
   */
  cursorGranularity?: 'day' | 'second';
  /** The API's filter leaves out records without a cursor value, so none of them may come back (default: they are always read). */
  unsetCursorExcluded?: boolean;
  /**
   * Why the API serves some of its records without a cursor value, where it does: an incremental
   * read re-emits those whatever the state, so the acceptance catalogs read the stream in full
   * (scripts/generate-catalogs.mjs).
   */
  unsetCursorValues?: string;
}

/** What a running sandbox shows a fake: its mount URLs by `mountPaths` name, and `Sandbox.info()`. */
export interface FakeSandboxView<P extends string> {
  mounts: Record<P, string>;
  info(): Record<string, unknown>;
}

/**
 * How a vendor's fake registers with the sandbox: one entry in registry.ts, everything else in its
 * own folder. `V` is the id of the connector vendor it imitates, `P` the names of its base URLs, `M`
 * its mounts by name, `O` its own options and `R` what they resolve to.
 */
export interface FakeDefinition<V extends string, P extends string, C extends object, M extends Record<string, MountSpec>, O extends object, R> {
  vendor: V;
  /** What it imitates, as people name it, for --help ("Leapsome Content + SCIM"). */
  title: string;
  create(options: ResolvedOptions, own: R, selfUrl: () => string): VendorModule<V, Extract<keyof M, string>>;
  /** Connector stream name → primary key fields. */
  primaryKeys: Record<string, readonly string[]>;
  /** The paths its APIs are served under, by name: a connector config's base URLs. */
  mountPaths: Record<P, string>;
  /** Its mounts (`Mount.name`): what the sandbox's faults and rate limits apply to. */
  mounts: M;
  /** The only credentials it accepts. */
  credentials: C;
  options: FakeOptions<O, R>;
  /** Facts about its streams that checks of a read need, where there are any (connector stream name → facts). */
  streamFacts?: Record<string, StreamFacts>;
  /** The demo's data volume, where the demo's usual scale does not suit the vendor, and why. */
  demo?: { scale: number; why: string };
  /** The connector's `platform` config for a running sandbox, as a user would write it. */
  platform(sandbox: FakeSandboxView<P>): Record<string, unknown> & { vendor: V };
  /** How to connect, for `npm run sandbox`'s banner: [label, text] lines. */
  banner(sandbox: FakeSandboxView<P>): Array<[label: string, text: string]>;
}

/** A registered fake: its definition, and `start`, which resolves its own options and creates it. */
export interface FakeVendor<V extends string, P extends string, C extends object, M extends Record<string, MountSpec>, O extends object>
  extends Omit<FakeDefinition<V, P, C, M, O, unknown>, 'create' | 'options'> {
  options: FakeOptions<O, unknown>;
  start(options: ResolvedOptions, own: O, selfUrl: () => string): VendorModule<V, Extract<keyof M, string>>;
}

/** A fake, its type worked out from its definition (literal vendor id, mount and URL names, options). */
export function defineFake<const V extends string, P extends string, C extends object, const M extends Record<string, MountSpec>, O extends object, R>(
  fake: FakeDefinition<V, P, C, M, O, R>,
): FakeVendor<V, P, C, M, O> {
  return { ...fake, start: (options, own, selfUrl) => fake.create(options, fake.options.resolve(own), selfUrl) };
}
