import { type PacerClock, systemClock } from './rate-window.js';

/**
 * Where an API reports what is left of its quota, and in which unit. Which headers a vendor sends is
 * a fact of the vendor's folder, not a branch in the client.
 */
export interface QuotaHeaders {
  /** The window's size, e.g. `x-ratelimit-limit`: what "running low" is measured against. */
  limit?: string;
  /** Requests left in the current window, e.g. `x-ratelimit-remaining`. */
  remaining: string;
  /** When the window frees up again, e.g. `x-ratelimit-reset`. */
  reset: string;
  resetUnit: 'epoch-seconds';
  /**
   * The length of the window the quota slides over, where the vendor documents one (Leanmote: an
   * hour). Reset then only says when the oldest request counted leaves it, which on a shared account
   * may be another client's, whose next request takes its place.
   */
  slidingWindowMs?: number;
}

/** What the server last said of its quota. */
export interface QuotaReading {
  remaining: number;
  /** The window's size, where the server says it. */
  limit?: number;
  /** Epoch milliseconds. */
  resetAt: number;
  /** When it was read (epoch ms). */
  at: number;
  /** Set by a 429: the wait is the server's Retry-After, however many of ours are in the window. */
  refused?: boolean;
}

/**
 * Below this share of the window left, the requests that are left are spread over the time to the
 * reset; above it, our own pace alone applies.
 */
const LOW_SHARE = 0.2;
/** "Running low" when the server does not say its window's size. */
const LOW_DEFAULT = 20;
/**
 * Share of the window (at least one request) never spent: the quota may be shared, and another client
 * can take a request between the server's answer and our next request reaching it.
 */
const RESERVE_SHARE = 0.01;
/** How often a request waiting for a probe after a reset looks whether the probe's answer came. */
const PROBE_POLL_MS = 50;

/**
 * The server's own count of a quota, which wins over ours: the quota may be shared with other
 * clients. While plenty is left, it costs nothing; as what is left runs low, the requests left are
 * spread evenly over the time to the reset; when only the reserve is left, requests wait until room
 * is expected, then a single request goes first to learn what was freed, the others waiting for its
 * answer.
 *
 * What is left is the last reading's Remaining less the requests in flight: each may be counted
 * already, and the next answer will say. When is room expected? Not before Reset. On a sliding
 * window, also not before enough of our own requests have left it: another client's requests that
 * leave are replaced by its new ones (a steady client's share stays the same), while ours that leave
 * free room for us. A 429's Retry-After holds every request back, since a gateway counts the requests
 * it turns away too.
 */
export class ServerQuota {
  private reading: QuotaReading | undefined;
  private lastSend = -Infinity;
  private inFlight = 0;
  /** When our requests went, oldest first, from `head` on, over the last sliding window. */
  private sends: number[] = [];
  private head = 0;
  private readonly windowMs: number | undefined;

  constructor(
    private readonly headers: QuotaHeaders,
    private readonly clock: Pick<PacerClock, 'now'> = systemClock,
    /** Multiplies the sliding window and the poll interval, as the client's time scale does its windows. */
    private readonly timeScale = 1,
  ) {
    this.windowMs = headers.slidingWindowMs === undefined ? undefined : headers.slidingWindowMs * timeScale;
  }

  /** Learns from a response's headers; a response without them changes nothing. */
  observe(headers: Headers): void {
    const remaining = Number(headers.get(this.headers.remaining));
    const reset = Number(headers.get(this.headers.reset));
    if (headers.get(this.headers.remaining) === null || !Number.isFinite(remaining) || !Number.isFinite(reset) || reset <= 0) return;
    const limit = this.headers.limit === undefined ? Number.NaN : Number(headers.get(this.headers.limit));
    this.reading = { remaining: Math.max(0, Math.floor(remaining)), resetAt: reset * 1000, at: this.clock.now(), ...(limit > 0 ? { limit } : {}) };
  }

  get last(): QuotaReading | undefined {
    return this.reading;
  }

  /** How long the next request must wait by the server's count, and until when the quota is spent. */
  delay(): { ms: number; exhaustedUntil?: number } {
    const reading = this.reading;
    const now = this.clock.now();
    if (!reading) return { ms: 0 };
    const reserve = Math.max(1, Math.floor((reading.limit ?? 0) * RESERVE_SHARE));
    const left = reading.remaining - this.inFlight - reserve;
    const roomAt = left > 0 || reading.refused ? reading.resetAt : Math.max(reading.resetAt, this.ownFreedAt(reading.at, 1 - left));
    if (roomAt <= now) {
      // Room is expected by now: one request finds out how much.
      return left <= 0 && this.inFlight > 0 ? { ms: PROBE_POLL_MS * this.timeScale } : { ms: 0 };
    }
    if (left <= 0) return { ms: roomAt - now, exhaustedUntil: roomAt };
    const low = reading.limit ? Math.max(1, Math.floor(reading.limit * LOW_SHARE)) : LOW_DEFAULT;
    if (left > low) return { ms: 0 };
    const spacing = (reading.resetAt - now) / left;
    return { ms: Math.max(0, Math.ceil(this.lastSend + spacing - now)) };
  }

  /**
   * When `count` of our requests counted at `readAt` have left the sliding window since: the earliest
   * the room they take is ours again. 0 without a sliding window, or when fewer of ours are in it.
   */
  private ownFreedAt(readAt: number, count: number): number {
    if (this.windowMs === undefined) return 0;
    let first = this.head;
    while (first < this.sends.length && (this.sends[first] as number) + this.windowMs <= readAt) first++;
    const freeing = this.sends[first + count - 1];
    return freeing !== undefined && freeing <= readAt ? freeing + this.windowMs : 0;
  }

  /**
   * The server turned a request away for `waitMs` (its Retry-After): nothing is left until then. A
   * gateway counts the requests it turns away, so sending more before then only digs deeper.
   */
  refused(waitMs: number): void {
    const now = this.clock.now();
    const { limit, resetAt } = this.reading ?? {};
    this.reading = { remaining: 0, resetAt: Math.max(resetAt ?? 0, now + waitMs), at: now, refused: true, ...(limit ? { limit } : {}) };
  }

  /** A request goes now: it counts against what is left until its answer comes (see `answered`). */
  sent(): void {
    const now = this.clock.now();
    this.lastSend = now;
    this.inFlight++;
    if (this.windowMs === undefined) return;
    this.sends.push(now);
    while (this.head < this.sends.length && (this.sends[this.head] as number) + this.windowMs <= now - this.windowMs) this.head++;
    if (this.head > 1024 && this.head * 2 > this.sends.length) {
      this.sends = this.sends.slice(this.head);
      this.head = 0;
    }
  }

  /** The answer (or the failure) of a request `sent` came. */
  answered(): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
  }
}
