/**
 * Sliding one-second windows, one per key. "20 requests per second in parallel" is read as: at most
 * 20 accepted requests in any 1000 ms. Rejected requests do not count against the window.
 */
export class RateLimiter {
  private readonly windows = new Map<string, number[]>();

  /** Undefined when the request may pass, else the seconds until a slot frees up (at least 1). */
  check(key: string, limit: number, now: number): number | undefined {
    const window = this.windows.get(key) ?? [];
    while (window.length > 0 && (window[0] as number) <= now - 1000) window.shift();
    if (window.length >= limit) {
      return Math.max(1, Math.ceil(((window[0] as number) + 1000 - now) / 1000));
    }
    window.push(now);
    this.windows.set(key, window);
    return undefined;
  }

  reset(): void {
    this.windows.clear();
  }
}
