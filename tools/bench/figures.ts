/** The arithmetic of the benchmark's figures: pure functions of what was logged, no clock. */

/** One request as the sandbox saw it (times in ms since the epoch). */
export interface LoggedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  /** Index into the log's distinct Authorization headers. */
  auth: number;
  /** When it arrived. */
  start: number;
  /** When its response finished; undefined if it never did (a dropped connection). */
  end: number | undefined;
  /** HTTP status; 0 without a response. */
  status: number;
}

/** What a run's requests add up to, at the server. */
export interface RequestSummary {
  /** Requests received, 429s included. */
  requests: number;
  /** Answered with anything but 429 (what was actually served). */
  served: number;
  http429: number;
  /** Answered 5xx, or never answered. */
  failed: number;
  /** From the first request's arrival to the last response's end, seconds; 0 without requests. */
  activeSeconds: number;
  /** Served requests per active second. */
  servedPerSecond: number | undefined;
  /** Requests in flight at the server: the most at once, and on average over the active span. */
  inFlightMax: number;
  inFlightMean: number | undefined;
}

export function summarise(entries: readonly LoggedRequest[]): RequestSummary {
  const span = activeSpan(entries);
  const served = entries.filter(isServed).length;
  const flight = inFlight(entries);
  return {
    requests: entries.length,
    served,
    http429: entries.filter((e) => e.status === 429).length,
    failed: entries.filter((e) => e.end === undefined || e.status === 0 || e.status >= 500).length,
    activeSeconds: span / 1000,
    servedPerSecond: span > 0 ? served / (span / 1000) : undefined,
    inFlightMax: flight.max,
    inFlightMean: flight.mean,
  };
}

/** A request that got an answer other than 429. */
export const isServed = (e: LoggedRequest): boolean => e.end !== undefined && e.status !== 0 && e.status !== 429;

/** Milliseconds from the first arrival to the last response's end (or last arrival, if later); 0 without requests. */
export function activeSpan(entries: readonly LoggedRequest[]): number {
  if (entries.length === 0) return 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const e of entries) {
    first = Math.min(first, e.start);
    last = Math.max(last, e.end ?? e.start);
  }
  return last - first;
}

/**
 * Rate-bound efficiency: the share of an API's limit a client used, served requests over what the
 * limit allows in the active span (first request's arrival to last response's end).
 */
export function rateEfficiency(served: number, activeMs: number, limitPerSecond: number): number | undefined {
  if (!(activeMs > 0 && limitPerSecond > 0)) return undefined;
  return served / ((activeMs / 1000) * limitPerSecond);
}

/** The most requests in flight at once, and the time-weighted mean over the active span. Unanswered ones count until their arrival only. */
export function inFlight(entries: readonly LoggedRequest[]): { max: number; mean: number | undefined } {
  const events: Array<[number, number]> = [];
  for (const e of entries) {
    const end = Math.max(e.start, e.end ?? e.start);
    events.push([e.start, 1], [end, -1]);
  }
  // Ends before starts at the same instant: a request that ends as another starts does not overlap it.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  let area = 0;
  for (let i = 0; i < events.length; i++) {
    const [at, delta] = events[i] as [number, number];
    current += delta;
    max = Math.max(max, current);
    const next = events[i + 1];
    if (next) area += current * (next[0] - at);
  }
  const span = activeSpan(entries);
  return { max, mean: span > 0 ? area / span : undefined };
}

/** a / b, undefined when either is missing or b is not positive. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || !(b > 0) ? undefined : a / b;
}

/** How much larger `large` is than `small`, as a share (0.2 = 20% more). */
export function growth(small: number | undefined, large: number | undefined): number | undefined {
  const r = ratio(large, small);
  return r === undefined ? undefined : r - 1;
}

/** The requests to replay: those answered other than 429 (a retry after a 429 is the same page again). */
export function replayable(entries: readonly LoggedRequest[]): LoggedRequest[] {
  return entries.filter(isServed);
}

/** The requests whose path lies under one API's mount (e.g. `/leapsome/v1`). */
export function underMount(entries: readonly LoggedRequest[], pathPrefix: string): LoggedRequest[] {
  return entries.filter((e) => e.url === pathPrefix || e.url.startsWith(`${pathPrefix}/`) || e.url.startsWith(`${pathPrefix}?`));
}
