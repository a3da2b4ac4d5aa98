export type { Vendor } from './registry.js';

/** Where requests go: one per API surface, each with its own auth, errors and rate limit. */
export type MountName = 'leapsome' | 'scim' | 'reflektive' | 'reports' | 'pe365' | 'leanmote';
export const MOUNT_NAMES: readonly MountName[] = ['leapsome', 'scim', 'reflektive', 'reports', 'pe365', 'leanmote'];

/** Leapsome permissions an API key can lack; the matching endpoints answer 403. */
export type LeapsomePermission = 'timesheets' | 'payroll' | 'absences' | 'access_roles';
export const LEAPSOME_PERMISSIONS: readonly LeapsomePermission[] = ['timesheets', 'payroll', 'absences', 'access_roles'];

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

export interface RateLimitOptions {
  /** Answer 429 + Retry-After when a mount's requests-per-second limit is exceeded. Default false. */
  enforce?: boolean;
  /** How the limit counts. Default 'sliding'. */
  window?: RateLimitWindow;
  /** Requests per second. Defaults: Leapsome Content 20, SCIM 30 (both documented); Reflektive and PE365 10 (undocumented). */
  leapsome?: number;
  scim?: number;
  reflektive?: number;
  pe365?: number;
}

export interface ReflektiveOptions {
  /** Emit `&page=N` links instead of the documented `?created_after=N?page=2`. Default false. */
  wellFormedLinks?: boolean;
  /** How many calibration-report cycles exist. Default 3. */
  calibrationCycles?: number;
  /** Cycle uuids whose report tasks end in `failed`. */
  failingCycles?: string[];
  /** Polls answered `pending` before a task completes. Default 2. */
  reportPendingPolls?: number;
  /** Minimum milliseconds a task stays `pending`. Default 0. */
  reportPendingMs?: number;
  /** Lifetime of a report download link. Default 900 (15 minutes, as documented). */
  reportLinkTtlSeconds?: number;
  /** Report file format. Default 'csv'. */
  reportFormat?: 'csv' | 'json';
}

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

export interface SandboxOptions {
  /** TCP port on 127.0.0.1; 0 picks a free port. Default 0. */
  port?: number;
  /** Data seed. Default 42. */
  seed?: number;
  /** Data volume factor. Default 1 (tens to hundreds of records per stream). */
  scale?: number;
  /** Lifetime of Leapsome JWTs. Default 18000. */
  tokenTtlSeconds?: number;
  faults?: FaultOptions;
  /** Delay before each vendor response: fixed milliseconds or a [min, max] range. */
  latencyMs?: number | [number, number];
  rateLimits?: RateLimitOptions;
  /** Leapsome permissions the API key lacks. */
  forbidden?: LeapsomePermission[];
  /**
   * Silent server-side cap on Leapsome `/reviews` and participants `pageSize` (no maximum is
   * documented). Default 100; 0 disables it.
   */
  leapsomeReviewsMaxPageSize?: number;
  /**
   * Silent cap on the page size of every paginated endpoint of every vendor: whatever a client asks
   * for (`limit`, `pageSize`, `count`, or Reflektive's fixed 200), a page holds at most this many
   * records, and offsets, next links and cursors follow the records actually served. Default 0 (none).
   */
  pageCap?: number;
  /** Inserts and deletes records while a client pages through a list. Default: none. */
  churn?: ChurnOptions;
  reflektive?: ReflektiveOptions;
  /**
   * Leanmote's windows (100 requests per minute, 1000 per hour) multiplied by this factor, so tests
   * need not wait for real minutes: 0.01 gives 100 per 0.6 s and 1000 per 36 s, and moves
   * `X-RateLimit-Reset` accordingly. Default 1.
   */
  leanmoteWindowScale?: number;
  /**
   * Share (0–1) of Leanmote's hourly quota another client of the same account spends: that much of
   * the window is already used when the first request arrives, and it keeps being used at a steady
   * pace, so `X-RateLimit-Remaining` is lower than a client's own count. Default 0.
   */
  leanmoteSharedQuota?: number;
  /**
   * Whether the Leanmote git repository, commit and pull-request routes exist (the overview lists
   * them, the route table does not). False: they answer 404 as for an account without them. Default true.
   */
  leanmoteGitRoutes?: boolean;
  /** Leanmote connector streams whose endpoints answer 403 FORBIDDEN. Default none. */
  leanmoteForbidden?: string[];
  /** Clock in ms; tests may freeze or advance it. Default Date.now. */
  now?: () => number;
}

export interface ResolvedOptions {
  port: number;
  seed: number;
  scale: number;
  tokenTtlSeconds: number;
  faults: FaultOptions;
  latencyMs: [number, number];
  rateLimits: Required<RateLimitOptions>;
  forbidden: Set<LeapsomePermission>;
  leapsomeReviewsMaxPageSize: number;
  pageCap: number;
  churn: ResolvedChurn | undefined;
  reflektive: Required<ReflektiveOptions>;
  leanmote: ResolvedLeanmote;
  now: () => number;
}

function share(name: string, value: number | undefined): number {
  const v = value ?? 0;
  if (!(v >= 0 && v <= 1)) throw new Error(`${name} must be between 0 and 1, got ${value}`);
  return v;
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

export interface ResolvedLeanmote {
  windowScale: number;
  sharedQuota: number;
  gitRoutes: boolean;
  forbidden: Set<string>;
}

function resolveLeanmote(options: SandboxOptions): ResolvedLeanmote {
  const windowScale = options.leanmoteWindowScale ?? 1;
  if (!(windowScale > 0 && Number.isFinite(windowScale))) throw new Error(`leanmoteWindowScale must be a positive number, got ${windowScale}`);
  return {
    windowScale,
    sharedQuota: share('leanmoteSharedQuota', options.leanmoteSharedQuota),
    gitRoutes: options.leanmoteGitRoutes ?? true,
    forbidden: new Set(options.leanmoteForbidden ?? []),
  };
}

export function resolveOptions(options: SandboxOptions = {}): ResolvedOptions {
  const latency = options.latencyMs ?? 0;
  const latencyMs: [number, number] = Array.isArray(latency) ? [latency[0], latency[1]] : [latency, latency];
  if (latencyMs[0] < 0 || latencyMs[1] < latencyMs[0]) throw new Error(`bad latency ${JSON.stringify(latency)}`);
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new Error(`scale must be positive, got ${scale}`);
  const r = options.reflektive ?? {};
  const window = options.rateLimits?.window ?? 'sliding';
  if (!RATE_LIMIT_WINDOWS.includes(window)) throw new Error(`rate limit window must be one of ${RATE_LIMIT_WINDOWS.join(', ')}, got ${String(window)}`);
  return {
    port: options.port ?? 0,
    seed: options.seed ?? 42,
    scale,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 18000,
    faults: resolveFaults(options.faults),
    latencyMs,
    rateLimits: {
      enforce: options.rateLimits?.enforce ?? false,
      window,
      leapsome: options.rateLimits?.leapsome ?? 20,
      scim: options.rateLimits?.scim ?? 30,
      reflektive: options.rateLimits?.reflektive ?? 10,
      pe365: options.rateLimits?.pe365 ?? 10,
    },
    forbidden: new Set(options.forbidden ?? []),
    leapsomeReviewsMaxPageSize: options.leapsomeReviewsMaxPageSize ?? 100,
    pageCap: resolvePageCap(options.pageCap),
    churn: resolveChurn(options.churn),
    reflektive: {
      wellFormedLinks: r.wellFormedLinks ?? false,
      calibrationCycles: r.calibrationCycles ?? 3,
      failingCycles: r.failingCycles ?? [],
      reportPendingPolls: r.reportPendingPolls ?? 2,
      reportPendingMs: r.reportPendingMs ?? 0,
      reportLinkTtlSeconds: r.reportLinkTtlSeconds ?? 900,
      reportFormat: r.reportFormat ?? 'csv',
    },
    leanmote: resolveLeanmote(options),
    now: options.now ?? Date.now,
  };
}
