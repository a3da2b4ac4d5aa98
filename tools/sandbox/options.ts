import { share } from './flags.js';
import { RATE_LIMITED, type MountName, type RateLimitedMount, type VendorOptions } from './registry.js';

export type { MountName, Vendor } from './registry.js';

export type FaultKind = '429' | '5xx' | 'drop' | 'truncate';
export const FAULT_KINDS: readonly FaultKind[] = ['429', '5xx', 'drop', 'truncate'];

export interface FaultOptions {
  /** Share (0–1) of requests answered 429 with Retry-After. */
  rate429?: number;
  /** Retry-After seconds on injected and enforced 429s. Default 1; 0 is allowed. */
  retryAfterSeconds?: number;
  /** Share answered 500, 502 or 503. */
  error5xx?: number;
  /** Share whose connection is destroyed before any response byte. */
  drop?: number;
  /** Share whose body is cut off part-way. */
  truncate?: number;
  /** The first N eligible requests fail with `failFirstKind` (default '5xx'), whatever the shares. */
  failFirst?: number;
  failFirstKind?: FaultKind;
  /** Shares apply only after this many eligible requests. */
  after?: number;
  /** Stop injecting once this many faults were injected (failFirst included). */
  maxFaults?: number;
  /** Restrict faults to these mounts (default: all vendor mounts). */
  mounts?: MountName[];
}

/**
 * How an enforced limit counts requests. Either way every request received counts, those answered
 * 429 (and the retries of them) included, as a gateway counts them.
 * - `sliding`: at most the limit in any 1000 ms ("20 requests per second" read strictly).
 * - `fixed`: at most the limit per whole second of the clock (a counter reset every second, as
 *   simple throttles such as rack-attack keep it); up to twice the limit can pass in a 1000 ms that
 *   straddles two of them.
 */
export type RateLimitWindow = 'sliding' | 'fixed';
export const RATE_LIMIT_WINDOWS: readonly RateLimitWindow[] = ['sliding', 'fixed'];

/**
 * Limits enforced in front of the mounts. Besides `enforce` and `window`, requests per second by
 * mount name, for the mounts whose fake declares a limit (`MountSpec.requestsPerSecond`, which
 * gives the default).
 */
export type RateLimitOptions = {
  /** Answer 429 + Retry-After when a mount's requests-per-second limit (or its own gateway's) is exceeded. Default false. */
  enforce?: boolean;
  /** How the limit counts. Default 'sliding'. */
  window?: RateLimitWindow;
} & { [M in RateLimitedMount]?: number };

/**
 * Data that changes between the page requests of a read: see churn.ts. Every `everyRequests` list
 * requests of a vendor, just before the request at hand is served `delete` records placed before its
 * offset are deleted, and just after it `insert` new records are placed before that offset.
 */
export interface ChurnOptions {
  everyRequests: number;
  /** Records inserted per round. Default 1. */
  insert?: number;
  /** Records deleted per round. Default 1. */
  delete?: number;
}

export type ResolvedChurn = Required<ChurnOptions>;

/** The options every fake shares; each fake adds its own beside them (see `SandboxOptions`). */
export interface CommonOptions {
  /** TCP port on 127.0.0.1; 0 picks a free port. Default 0. */
  port?: number;
  /** Data seed. Default 42. */
  seed?: number;
  /** Data volume factor. Default 1 (tens to hundreds of records per stream). */
  scale?: number;
  faults?: FaultOptions;
  /** Delay before each vendor response: fixed milliseconds or a [min, max] range. */
  latencyMs?: number | [number, number];
  rateLimits?: RateLimitOptions;
  /**
   * Silent cap on the page size of every paginated endpoint of every vendor: whatever a client asks
   * for (`limit`, `pageSize`, `count`, or a page size the API fixes), a page holds at most this many
   * records, and offsets, next links and cursors follow the records actually served. Default 0 (none).
   */
  pageCap?: number;
  /** Inserts and deletes records while a client pages through a list. Default: none. */
  churn?: ChurnOptions;
  /** Clock in ms; tests may freeze or advance it. Default Date.now. */
  now?: () => number;
}

/** What `startSandbox` takes: the common options and, flat beside them, every fake's own (`FakeOptions`). */
export type SandboxOptions = CommonOptions & VendorOptions;

export interface ResolvedOptions {
  port: number;
  seed: number;
  scale: number;
  faults: FaultOptions;
  latencyMs: [number, number];
  rateLimits: { enforce: boolean; window: RateLimitWindow; requestsPerSecond: Partial<Record<MountName, number>> };
  pageCap: number;
  churn: ResolvedChurn | undefined;
  now: () => number;
}

export function resolveFaults(faults: FaultOptions = {}): FaultOptions {
  const resolved: FaultOptions = {
    ...faults,
    rate429: share('rate429', faults.rate429),
    error5xx: share('error5xx', faults.error5xx),
    drop: share('drop', faults.drop),
    truncate: share('truncate', faults.truncate),
    retryAfterSeconds: faults.retryAfterSeconds ?? 1,
  };
  const total = (resolved.rate429 ?? 0) + (resolved.error5xx ?? 0) + (resolved.drop ?? 0) + (resolved.truncate ?? 0);
  if (total > 1 + 1e-9) throw new Error(`fault shares add up to ${total}, more than 1`);
  if ((resolved.retryAfterSeconds ?? 0) < 0) throw new Error('retryAfterSeconds must be >= 0');
  return resolved;
}

function resolvePageCap(value: number | undefined): number {
  const cap = value ?? 0;
  if (!(Number.isInteger(cap) && cap >= 0)) throw new Error(`pageCap must be an integer >= 0, got ${value}`);
  return cap;
}

function resolveChurn(churn: ChurnOptions | undefined): ResolvedChurn | undefined {
  if (!churn) return undefined;
  const resolved = { everyRequests: churn.everyRequests, insert: churn.insert ?? 1, delete: churn.delete ?? 1 };
  if (!(Number.isInteger(resolved.everyRequests) && resolved.everyRequests >= 1))
    throw new Error(`churn.everyRequests must be an integer >= 1, got ${churn.everyRequests}`);
  for (const name of ['insert', 'delete'] as const) {
    if (!(Number.isInteger(resolved[name]) && resolved[name] >= 0)) throw new Error(`churn.${name} must be an integer >= 0, got ${churn[name]}`);
  }
  return resolved;
}

/** Each mount's requests per second: the option where given, else its fake's default. */
function resolveRequestsPerSecond(options: RateLimitOptions = {}): Partial<Record<MountName, number>> {
  const limits: Partial<Record<MountName, number>> = {};
  for (const [name, limit] of RATE_LIMITED) limits[name] = options[name] ?? limit.default;
  return limits;
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const latency = options.latencyMs ?? 0;
  const latencyMs: [number, number] = Array.isArray(latency) ? [latency[0], latency[1]] : [latency, latency];
  if (latencyMs[0] < 0 || latencyMs[1] < latencyMs[0]) throw new Error(`bad latency ${JSON.stringify(latency)}`);
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new Error(`scale must be positive, got ${scale}`);
  const window = options.rateLimits?.window ?? 'sliding';
  if (!RATE_LIMIT_WINDOWS.includes(window)) throw new Error(`rate limit window must be one of ${RATE_LIMIT_WINDOWS.join(', ')}, got ${String(window)}`);
  return {
    port: options.port ?? 0,
    seed: options.seed ?? 42,
    scale,
    faults: resolveFaults(options.faults),
    latencyMs,
    rateLimits: {
      enforce: options.rateLimits?.enforce ?? false,
      window,
      requestsPerSecond: resolveRequestsPerSecond(options.rateLimits),
    },
    pageCap: resolvePageCap(options.pageCap),
    churn: resolveChurn(options.churn),
    now: options.now ?? Date.now,
  };
}
