/**
 * The floor loop's pace: the simplest one that keeps a sliding-window limit. Turn `i` is due
 * `i × windowMs / limit` after the first, and never before the turn `limit` places earlier has left
 * the window (a late timer must not let the turns after it bunch up).
 */
export function nextTurnAt(given: readonly number[], limit: number, windowMs: number): number {
  const index = given.length;
  if (index === 0) return Number.NEGATIVE_INFINITY;
  const first = given[0] as number;
  const even = first + (index * windowMs) / limit;
  const windowFree = index >= limit ? (given[index - limit] as number) + windowMs : Number.NEGATIVE_INFINITY;
  return Math.max(even, windowFree);
}

/** Seconds a 429 asks to wait (`Retry-After`, whole seconds; an HTTP date is not expected), 1 if it says nothing usable. */
export function retryAfterSeconds(header: string | string[] | undefined): number {
  const value = Number(Array.isArray(header) ? header[0] : header);
  return Number.isFinite(value) && value >= 0 ? value : 1;
}

/**
 * A requests-per-second setting as a window for `nextTurnAt`, counted as the connector counts it:
 * whole requests per second, or below one a second, one request per 1/rate seconds.
 */
export function paceOf(requestsPerSecond: number): { limit: number; windowMs: number } {
  if (!(requestsPerSecond > 0 && Number.isFinite(requestsPerSecond))) throw new Error(`requests per second must be positive, got ${requestsPerSecond}`);
  return requestsPerSecond < 1 ? { limit: 1, windowMs: Math.ceil(1000 / requestsPerSecond) } : { limit: Math.floor(requestsPerSecond), windowMs: 1000 };
}
