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
}

/** What the server last said of its quota. */
export interface QuotaReading {
  remaining: number;
  /** The window's size, where the server says it. */
  limit?: number;
  /** Epoch milliseconds. */
  resetAt: number;
}

/**
 * Below this share of the window left, the requests that are left are spread over the time to the
 * reset; above it, our own pace alone applies.
 */
const LOW_SHARE = 0.2;
/** "Running low" when the server does not say its window's size. */
const LOW_DEFAULT = 20;

/**
 * The server's own count of a quota, which wins over ours: the quota may be shared with other
 * clients. While plenty is left, it costs nothing; as what is left runs low, the requests left are
 * spread evenly over the time to the reset; when none is left, the next request waits for the reset.
 */
export class ServerQuota {
  private reading: QuotaReading | undefined;
  private lastSend = -Infinity;

  constructor(
    private readonly headers: QuotaHeaders,
    private readonly clock: Pick<PacerClock, 'now'> = systemClock,
  ) {}

  /** Learns from a response's headers; a response without them changes nothing. */
  observe(headers: Headers): void {
    const remaining = Number(headers.get(this.headers.remaining));
    const reset = Number(headers.get(this.headers.reset));
    if (headers.get(this.headers.remaining) === null || !Number.isFinite(remaining) || !Number.isFinite(reset) || reset <= 0) return;
    const limit = this.headers.limit === undefined ? Number.NaN : Number(headers.get(this.headers.limit));
    this.reading = { remaining: Math.max(0, Math.floor(remaining)), resetAt: reset * 1000, ...(limit > 0 ? { limit } : {}) };
  }

  get last(): QuotaReading | undefined {
    return this.reading;
  }

  /** How long the next request must wait by the server's count, and until when the quota is spent. */
  delay(): { ms: number; exhaustedUntil?: number } {
    const reading = this.reading;
    const now = this.clock.now();
    if (!reading || reading.resetAt <= now) return { ms: 0 };
    if (reading.remaining <= 0) return { ms: reading.resetAt - now, exhaustedUntil: reading.resetAt };
    const low = reading.limit ? Math.max(1, Math.floor(reading.limit * LOW_SHARE)) : LOW_DEFAULT;
    if (reading.remaining > low) return { ms: 0 };
    const spacing = (reading.resetAt - now) / reading.remaining;
    return { ms: Math.max(0, Math.ceil(this.lastSend + spacing - now)) };
  }

  /** A request goes now: it spends one of the remaining requests until the server says otherwise. */
  sent(): void {
    this.lastSend = this.clock.now();
    if (this.reading && this.reading.remaining > 0) this.reading = { ...this.reading, remaining: this.reading.remaining - 1 };
  }
}
