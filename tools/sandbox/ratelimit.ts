import type { RateLimitWindow } from './options.js';

const SECOND = 1000;

/**
 * Enforced limits, one counter per key (per mount), counted as a gateway in front of an API counts:
 * every request it receives, the ones it turns away (and the client's retries of them) included.
 * See `RateLimitWindow` for the two ways of counting.
 */
export class RateLimiter {
  /** Arrival times within the last second (sliding), or of the current second (fixed), oldest first. */
  private readonly windows = new Map<string, number[]>();

  constructor(private readonly mode: RateLimitWindow = 'sliding') {}

  /**
   * Counts a request arriving at `now`. Undefined when it may pass, else the whole seconds until
   * the window would let one through again (at least 1), for Retry-After.
   */
  check(key: string, limit: number, now: number): number | undefined {
    let window = this.windows.get(key);
    if (!window) {
      window = [];
      this.windows.set(key, window);
    }
    if (this.mode === 'fixed') {
      const start = Math.floor(now / SECOND) * SECOND;
      if (window.length > 0 && (window[0] as number) < start) window.length = 0;
      window.push(now);
      return window.length > limit ? Math.max(1, Math.ceil((start + SECOND - now) / SECOND)) : undefined;
    }
    while (window.length > 0 && (window[0] as number) <= now - SECOND) window.shift();
    window.push(now);
    if (window.length <= limit) return undefined;
    // Room again once all but limit - 1 of the requests now in the window have left it.
    const leaving = window[window.length - limit] as number;
    return Math.max(1, Math.ceil((leaving + SECOND - now) / SECOND));
  }

  reset(): void {
    this.windows.clear();
  }
}

/** The most timestamps (ms, in any order) that fall within one window of `windowMs`, i.e. in some [t, t + windowMs). */
export function maxInWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
