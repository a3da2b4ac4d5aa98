/**
 * Pacing by sliding windows, the way a gateway counts: "N requests per second" means no 1000 ms,
 * wherever it starts, holds more than N requests. A token bucket that hands out a whole second's
 * budget at once, right after the previous one, lets up to 2N through a second that straddles both.
 *
 * The pacer remembers when the last turns were given (as many as the largest limit). A request may go
 * when, for every window, fewer than `limit` turns fall within its length before now; otherwise it
 * waits until the oldest of those has left. Turns are given in the order they were asked for.
 */

/** At most `limit` requests in any `lengthMs` milliseconds. */
export interface RateWindow {
  limit: number;
  lengthMs: number;
}

/** Time and timers, injectable for tests. */
export interface PacerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The global clock and timers, looked up at every call (so that fake timers apply). */
export const systemClock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface PacerOptions {
  clock?: PacerClock;
  /**
   * Share of each window's length added to it: requests do not reach the server after exactly the
   * same delay, so turns exactly one window apart could land within one window there. Default 1/20
   * (50 ms of a second).
   */
  guard?: number;
  /** Told when a request has to wait for its turn: how long, and which window holds it back. */
  onWait?: (ms: number, window: RateWindow) => void;
}

/** Rejects the requests still waiting when the pacer is closed. */
export class PacerClosedError extends Error {
  constructor() {
    super('the rate limiter was closed while the request waited for its turn');
  }
}

interface Waiter {
  resolve(): void;
  reject(error: Error): void;
  /** Whether `onWait` was told about this one already. */
  told: boolean;
}

export class SlidingWindowPacer {
  private readonly windows: ReadonlyArray<RateWindow & { spanMs: number }>;
  private readonly clock: PacerClock;
  private readonly onWait: PacerOptions['onWait'];
  /** How many turns to remember: the largest limit. */
  private readonly keep: number;
  /** When the last `keep` turns were given, oldest first. */
  private turns: number[] = [];
  private readonly queue: Waiter[] = [];
  private timer: unknown;
  private lastReading = -Infinity;
  private closed = false;

  constructor(windows: readonly RateWindow[], options: PacerOptions = {}) {
    const guard = options.guard ?? 1 / 20;
    if (!(guard >= 0)) throw new Error(`guard must be >= 0, got ${guard}`);
    for (const { limit, lengthMs } of windows) {
      if (!Number.isInteger(limit) || limit < 1) throw new Error(`a window's limit must be a positive integer, got ${limit}`);
      if (!(lengthMs > 0) || !Number.isFinite(lengthMs)) throw new Error(`a window's length must be positive, got ${lengthMs}`);
    }
    this.windows = windows.map((w) => ({ ...w, spanMs: Math.ceil(w.lengthMs * (1 + guard)) }));
    this.keep = Math.max(0, ...windows.map((w) => w.limit));
    this.clock = options.clock ?? systemClock;
    this.onWait = options.onWait;
  }

  /** Requests waiting for their turn. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Resolves when the caller may send one request, which counts from that moment: send it right away.
   * `first` puts the caller ahead of those waiting (it waited its turn already and must take another).
   */
  take(options: { first?: boolean } = {}): Promise<void> {
    if (this.closed) return Promise.reject(new PacerClosedError());
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, told: false };
      if (options.first) this.queue.unshift(waiter);
      else this.queue.push(waiter);
      this.drain();
    });
  }

  /** Turns away every waiting request and forgets the timer. */
  close(): void {
    this.closed = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    for (const waiter of this.queue.splice(0)) waiter.reject(new PacerClosedError());
  }

  private drain(): void {
    while (this.queue.length > 0) {
      const now = this.now();
      const blocked = this.blockedFor(now);
      if (!blocked) {
        this.turns.push(now);
        if (this.turns.length > this.keep) this.turns.shift();
        (this.queue.shift() as Waiter).resolve();
        continue;
      }
      const head = this.queue[0] as Waiter;
      if (!head.told) {
        head.told = true;
        this.onWait?.(blocked.ms, { limit: blocked.window.limit, lengthMs: blocked.window.lengthMs });
      }
      // A timer may already be set for the same moment (it only moves when a turn is given).
      if (this.timer === undefined) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          this.drain();
        }, blocked.ms);
      }
      return;
    }
  }

  /** How long until the next turn, and the window that holds it back longest; undefined if it may go now. */
  private blockedFor(now: number): { ms: number; window: RateWindow } | undefined {
    let longest: { ms: number; window: RateWindow } | undefined;
    for (const window of this.windows) {
      if (this.turns.length < window.limit) continue;
      // The limit-th most recent turn must have left the window.
      const ms = (this.turns[this.turns.length - window.limit] as number) + window.spanMs - now;
      if (ms > 0 && (!longest || ms > longest.ms)) longest = { ms, window };
    }
    return longest;
  }

  /** The clock, kept from running backwards: if it is set back, the remembered turns move back with it. */
  private now(): number {
    const now = this.clock.now();
    if (now < this.lastReading) {
      const back = this.lastReading - now;
      this.turns = this.turns.map((t) => t - back);
    }
    this.lastReading = now;
    return now;
  }
}

/** At most `size` at a time; the others wait in order. */
export class Slots {
  private used = 0;
  private readonly queue: Array<{ resolve(): void; reject(error: Error): void }> = [];
  private closed = false;

  constructor(private readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`slots must be a positive integer, got ${size}`);
  }

  acquire(): Promise<void> {
    if (this.closed) return Promise.reject(new PacerClosedError());
    if (this.used < this.size) {
      this.used++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.queue.push({ resolve, reject }));
  }

  release(): void {
    const next = this.queue.shift();
    // The slot passes straight to the next in line.
    if (next) next.resolve();
    else this.used--;
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.queue.splice(0)) waiter.reject(new PacerClosedError());
  }
}

/**
 * The windows of a rate: below one request a second, one request per 1/rate seconds; otherwise the
 * whole number of requests per second (a gateway counts whole requests: 2.5/s allows 2 in a second),
 * plus any per-minute and per-hour budgets.
 */
export function rateWindows(limit: { requestsPerSecond: number; perMinute?: number; perHour?: number; timeScale?: number }): RateWindow[] {
  const rate = limit.requestsPerSecond;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`requests per second must be positive, got ${rate}`);
  const scale = limit.timeScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`the time scale must be positive, got ${scale}`);
  const windows: RateWindow[] = [rate < 1 ? { limit: 1, lengthMs: Math.ceil(1_000 / rate) } : { limit: Math.floor(rate), lengthMs: 1_000 }];
  if (limit.perMinute) windows.push({ limit: Math.max(1, Math.floor(limit.perMinute)), lengthMs: 60_000 });
  if (limit.perHour) windows.push({ limit: Math.max(1, Math.floor(limit.perHour)), lengthMs: 3_600_000 });
  return scale === 1 ? windows : windows.map((window) => ({ ...window, lengthMs: window.lengthMs * scale }));
}
