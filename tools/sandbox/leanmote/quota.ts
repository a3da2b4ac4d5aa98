import type { Gateway, GatewayVerdict } from '../vendor.js';

/** A limit of `limit` requests in any `lengthMs`. */
export interface QuotaWindow {
  limit: number;
  lengthMs: number;
}

export interface QuotaOptions {
  /** The budget the headers describe (documented: 1000 requests per hour). */
  hourly: QuotaWindow;
  /** The burst limit (documented: 100 requests per minute). Shorter than `hourly`. */
  burst: QuotaWindow;
  /** Share (0–1) of the hourly limit another client of the account spends, at a steady pace. */
  sharedQuota: number;
  /**
   * What `X-RateLimit-Reset` is rounded up to: a second, as documented, times the windows' scale, so
   * that a shortened hour keeps the header as precise, relative to it, as the real one is. It has
   * decimals when the windows are shortened.
   */
  resetGranularityMs: number;
}

/** Leanmote's documented limits. */
export const HOURLY_LIMIT = 1000;
export const BURST_LIMIT = 100;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

export function leanmoteQuotaOptions(windowScale: number, sharedQuota: number): QuotaOptions {
  return {
    hourly: { limit: HOURLY_LIMIT, lengthMs: HOUR_MS * windowScale },
    burst: { limit: BURST_LIMIT, lengthMs: MINUTE_MS * windowScale },
    sharedQuota,
    resetGranularityMs: 1000 * windowScale,
  };
}

/**
 * Leanmote's gateway: two sliding windows over one account, counted as a gateway counts, every
 * request received (those it turns away, and the retries of them, included). The other client of
 * `sharedQuota` is a stream of requests `hourly.lengthMs / (sharedQuota × hourly.limit)` apart, as
 * if it had been running for a while when the first request arrives: its requests fill both windows
 * as the client's own do.
 *
 * Every response carries `X-RateLimit-Limit` (the hourly limit), `X-RateLimit-Remaining` (what is
 * left of it once this request is counted, never below 0) and `X-RateLimit-Reset` (epoch seconds,
 * rounded up (see `resetGranularityMs`), when the oldest request counted in the hourly window leaves
 * it: the next slot to free).
 * A request over either limit gets `retryAfterSeconds`: whole seconds (at least 1) until both windows
 * would let a request through, if nothing else arrived meanwhile. Whether it is turned away (429 with
 * that `Retry-After`) is the sandbox's `--enforce-rate-limits`; either way it is counted.
 */
export class LeanmoteQuota implements Gateway {
  /** Arrival times (ms) within the hourly window, oldest first, from `head` on. */
  private times: number[] = [];
  private head = 0;
  /** Where the other client's stream of requests is anchored, and the next of them not yet counted. */
  private anchor: number | undefined;
  private nextShared = 0;
  private readonly sharedPeriod: number;

  constructor(private readonly options: QuotaOptions) {
    if (!(options.burst.lengthMs < options.hourly.lengthMs)) throw new Error('the burst window must be shorter than the hourly one');
    const perHour = options.sharedQuota * options.hourly.limit;
    this.sharedPeriod = perHour > 0 ? options.hourly.lengthMs / perHour : Number.POSITIVE_INFINITY;
  }

  /** The other client's request number `j`: the first `sharedQuota × limit` of them lie in the hour before the anchor. */
  private sharedAt(j: number): number {
    return (this.anchor as number) - this.options.hourly.lengthMs + (j + 0.5) * this.sharedPeriod;
  }

  admit(at: number): GatewayVerdict {
    const { hourly, burst } = this.options;
    this.anchor ??= at;
    if (Number.isFinite(this.sharedPeriod)) {
      // After a long pause, skip what has left the window already.
      const first = Math.ceil((at - (this.anchor as number)) / this.sharedPeriod - 0.5);
      if (first > this.nextShared) this.nextShared = first;
      for (let t = this.sharedAt(this.nextShared); t <= at; t = this.sharedAt(++this.nextShared)) this.times.push(t);
    }
    while (this.head < this.times.length && (this.times[this.head] as number) <= at - hourly.lengthMs) this.head++;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    this.times.push(at);

    const inHour = this.times.length - this.head;
    const inBurst = this.times.length - this.firstAfter(at - burst.lengthMs);
    const headers = {
      'x-ratelimit-limit': String(hourly.limit),
      'x-ratelimit-remaining': String(Math.max(0, hourly.limit - inHour)),
      'x-ratelimit-reset': String(this.resetHeader((this.times[this.head] as number) + hourly.lengthMs)),
    };
    let waitMs = 0;
    // Room again once all but limit − 1 of the requests now in a window have left it.
    if (inHour > hourly.limit) waitMs = Math.max(waitMs, (this.times[this.times.length - hourly.limit] as number) + hourly.lengthMs - at);
    if (inBurst > burst.limit) waitMs = Math.max(waitMs, (this.times[this.times.length - burst.limit] as number) + burst.lengthMs - at);
    if (waitMs <= 0) return { headers };
    return { headers, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Epoch seconds, rounded up to the granularity (whole seconds unless the windows are shortened). */
  private resetHeader(ms: number): number {
    const granularity = this.options.resetGranularityMs;
    return Number(((Math.ceil(ms / granularity) * granularity) / 1000).toFixed(6));
  }

  /** Requests counted in the hourly window, the other client's included, as of the last arrival. */
  get counted(): number {
    return this.times.length - this.head;
  }

  reset(): void {
    this.times = [];
    this.head = 0;
    this.anchor = undefined;
    this.nextShared = 0;
  }

  /** The first position from `head` whose time is after `t`. */
  private firstAfter(t: number): number {
    let lo = this.head;
    let hi = this.times.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.times[mid] as number) <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
