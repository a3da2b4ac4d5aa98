/**
 * Pacing by sliding windows, the way a gateway counts: "N requests per second" means no 1000 ms,
 * wherever it starts, holds more than N requests. A token bucket that hands out a whole second's
 * budget at once, right after the previous one, lets up to 2N through a second that straddles both.
 *
 * The pacer remembers the last turns (as many as the largest limit). A request may go when, for every
 * window, fewer than `limit` turns fall within its length before now; otherwise it waits until the
 * oldest of those has left. Turns are given in the order they were asked for.
 *
 * A turn counts from when its request was written to the socket, once the transport says so
 * (`Turn.sent`), and from when it was given until then. Requests given their turns at once do not go
 * out at once: those that open a connection first (a TLS handshake) are written up to a few hundred
 * milliseconds later. Counted from their turns, they would reach the server within one window of the
 * turns given a window later.
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
   * Share of each window's length added to it: requests written exactly one window apart do not
   * reach the server's count exactly one window apart (the network, the server's own queue). Turns
   * count from when their requests were written (`Turn.sent`), so the guard need not cover the time
   * it takes to open a connection, only how much that delay varies: default 1/30 (34 ms of a
   * second), which keeps the pace at 96.7% of the limit. (A server that is busy when requests arrive
   * counts them late by tens of milliseconds: 1/50 and 1/40 let a sliding window at the limit turn
   * some away.)
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

/** One request's turn under the pacer. */
export interface Turn {
  /**
   * Tells the pacer that the request was written at `at` (now by default): the turn counts from then
   * on, never from before it was given. A request never written (it failed before) keeps counting
   * from when its turn was given. A turn counts one request: only the first call moves it.
   */
  sent(at?: number): void;
}

/** When a turn counts from. */
interface Remembered {
  at: number;
}

interface Waiter {
  resolve(turn: Turn): void;
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
  /** The last `keep` turns, oldest first (a turn moved later may move past others). */
  private turns: Remembered[] = [];
  private readonly queue: Waiter[] = [];
  private timer: unknown;
  private lastReading = -Infinity;
  private closed = false;

  constructor(windows: readonly RateWindow[], options: PacerOptions = {}) {
    const guard = options.guard ?? 1 / 30;
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
   * Resolves when the caller may send one request: send it right away, and say when it was written
   * (`Turn.sent`), so that it counts from then rather than from now. `first` puts the caller ahead of
   * those waiting (it waited its turn already and must take another).
   */
  take(options: { first?: boolean } = {}): Promise<Turn> {
    if (this.closed) return Promise.reject(new PacerClosedError());
    return new Promise<Turn>((resolve, reject) => {
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
        const turn: Remembered = { at: now };
        this.remember(turn);
        (this.queue.shift() as Waiter).resolve(this.handle(turn));
        continue;
      }
      const head = this.queue[0] as Waiter;
      if (!head.told) {
        head.told = true;
        this.onWait?.(blocked.ms, { limit: blocked.window.limit, lengthMs: blocked.window.lengthMs });
      }
      // A timer may be set already: for this moment, or for an earlier one if a turn has moved later
      // since (which never brings the next turn sooner). Then it fires early, and this checks again.
      if (this.timer === undefined) {
        this.timer = this.clock.setTimeout(() => {
          this.timer = undefined;
          this.drain();
        }, blocked.ms);
      }
      return;
    }
  }

  /** The turn's handle: its first `sent` moves it to when its request was written. */
  private handle(turn: Remembered): Turn {
    let moved = false;
    return {
      sent: (at) => {
        if (moved) return;
        moved = true;
        this.move(turn, at ?? this.now());
      },
    };
  }

  /**
   * Moves a turn later. One forgotten meanwhile (the turns given since fill the memory) comes back if
   * it now falls among the last `keep`: it reached the server after some of them.
   */
  private move(turn: Remembered, at: number): void {
    if (!(at > turn.at)) return;
    const index = this.turns.indexOf(turn);
    if (index >= 0) this.turns.splice(index, 1);
    turn.at = at;
    this.remember(turn);
  }

  /** Puts a turn in its place by time, forgetting the oldest beyond `keep`. */
  private remember(turn: Remembered): void {
    let index = this.turns.length;
    while (index > 0 && (this.turns[index - 1] as Remembered).at > turn.at) index--;
    this.turns.splice(index, 0, turn);
    if (this.turns.length > this.keep) this.turns.shift();
  }

  /** How long until the next turn, and the window that holds it back longest; undefined if it may go now. */
  private blockedFor(now: number): { ms: number; window: RateWindow } | undefined {
    let longest: { ms: number; window: RateWindow } | undefined;
    for (const window of this.windows) {
      if (this.turns.length < window.limit) continue;
      // The limit-th most recent turn must have left the window.
      const ms = (this.turns[this.turns.length - window.limit] as Remembered).at + window.spanMs - now;
      if (ms > 0 && (!longest || ms > longest.ms)) longest = { ms, window };
    }
    return longest;
  }

  /** The clock, kept from running backwards: if it is set back, the remembered turns move back with it. */
  private now(): number {
    const now = this.clock.now();
    if (now < this.lastReading) {
      const back = this.lastReading - now;
      for (const turn of this.turns) turn.at -= back;
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

/** Turns are spread at least 1/SPACING_SHARE of the even spacing of the limit apart. */
const SPACING_SHARE = 4;

/**
 * The windows of a rate: below one request a second, one request per 1/rate seconds; otherwise the
 * whole number of requests per second (a gateway counts whole requests: 2.5/s allows 2 in a second),
 * with turns spread (see SPACING_SHARE); plus any per-minute and per-hour budgets.
 */
export function rateWindows(limit: { requestsPerSecond: number; perMinute?: number; perHour?: number; timeScale?: number }): RateWindow[] {
  const rate = limit.requestsPerSecond;
  if (!(rate > 0) || !Number.isFinite(rate)) throw new Error(`requests per second must be positive, got ${rate}`);
  const scale = limit.timeScale ?? 1;
  if (!(scale > 0) || !Number.isFinite(scale)) throw new Error(`the time scale must be positive, got ${scale}`);
  const windows: RateWindow[] = [rate < 1 ? { limit: 1, lengthMs: Math.ceil(1_000 / rate) } : { limit: Math.floor(rate), lengthMs: 1_000 }];
  // Turns at least a quarter of their even spacing apart: a server takes a burst of requests one by
  // one, and counts the last of them late by as long as it spent on those before; the same burst a
  // window later, counted on time, then shares a window with them.
  const spacingMs = Math.floor(1_000 / rate / SPACING_SHARE);
  if (rate >= 2 && spacingMs >= 1) windows.push({ limit: 1, lengthMs: spacingMs });
  if (limit.perMinute) windows.push({ limit: Math.max(1, Math.floor(limit.perMinute)), lengthMs: 60_000 });
  if (limit.perHour) windows.push({ limit: Math.max(1, Math.floor(limit.perHour)), lengthMs: 3_600_000 });
  return scale === 1 ? windows : windows.map((window) => ({ ...window, lengthMs: window.lengthMs * scale }));
}
