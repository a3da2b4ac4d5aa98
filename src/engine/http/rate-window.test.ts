import { describe, expect, it } from 'vitest';
import { PacerClosedError, rateWindows, SlidingWindowPacer, Slots, type PacerClock, type RateWindow, type Turn } from './rate-window.js';

/** A clock that moves only when told to, firing due timers in order. */
class ManualClock implements PacerClock {
  private time = 0;
  private nextId = 0;
  private timers = new Map<number, { at: number; callback: () => void }>();

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.time + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** Sets the clock without firing timers (as when the system clock is set). */
  set(time: number): void {
    this.time = time;
  }

  get pending(): number {
    return this.timers.size;
  }

  /** Moves to each due timer in turn until `ms` have passed, letting promise callbacks run after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      await flush();
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.time = Math.max(this.time, due[1].at);
      due[1].callback();
    }
    this.time = end;
    await flush();
  }

  /** Runs timers until nothing is pending. */
  async runAll(): Promise<void> {
    while (this.pending > 0) await this.advance(Math.max(0, ...[...this.timers.values()].map((t) => t.at - this.time)));
  }
}

const flush = async () => {
  for (let i = 0; i < 5; i++) await Promise.resolve();
};

/** The most times that fall within one window of `windowMs`: in some [t, t + windowMs). */
function fullest(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let last = 0, first = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= windowMs) first++;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

/** Asks for `count` turns at once and resolves with the times they were given. */
async function burst(pacer: SlidingWindowPacer, clock: ManualClock, count: number): Promise<number[]> {
  const given: number[] = [];
  const all = Promise.all(Array.from({ length: count }, () => pacer.take().then(() => given.push(clock.now()))));
  await clock.runAll();
  await all;
  return given;
}

describe('SlidingWindowPacer', () => {
  it('never gives more than N turns in any second to a burst of 3N, and gives them as soon as it may', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 20, lengthMs: 1_000 }], { clock, guard: 0 });
    const given = await burst(pacer, clock, 60);
    expect(given).toHaveLength(60);
    expect(fullest(given, 1_000)).toBe(20);
    // Twenty at once, then twenty as soon as the first have left the window, and so on.
    expect(given.slice(0, 20).every((t) => t === 0)).toBe(true);
    expect(given.slice(20, 40).every((t) => t === 1_000)).toBe(true);
    expect(given.slice(40).every((t) => t === 2_000)).toBe(true);
  });

  it('keeps a guard on top of each window, 1/30 of it by default', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 20, lengthMs: 1_000 }], { clock });
    const given = await burst(pacer, clock, 60);
    expect(fullest(given, 1_000)).toBe(20);
    expect(fullest(given, 1_034)).toBe(20);
    expect(given.at(-1)).toBe(2_068);
  });

  it('counts a turn from when it was given, whenever it was asked for, if its request is never said to be written', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 2, lengthMs: 1_000 }], { clock, guard: 0 });
    const given: number[] = [];
    const take = () => pacer.take().then(() => given.push(clock.now()));
    // Two early, then one at 700 and one at 1000, as a reader's uneven demand would ask.
    await Promise.all([take(), take()]);
    await clock.advance(700);
    const third = take();
    await clock.advance(300);
    const fourth = take();
    await clock.runAll();
    await Promise.all([third, fourth]);
    expect(given).toEqual([0, 0, 1_000, 1_000]);
    expect(fullest(given, 1_000)).toBe(2);
  });

  it('counts a turn from when its request was written: a request written late holds back the turn a window after it', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 2, lengthMs: 1_000 }], { clock, guard: 0 });
    const written: number[] = [];
    const [first, second] = await Promise.all([pacer.take(), pacer.take()]);
    first?.sent();
    written.push(clock.now());
    // The second opens a connection first: written 300 ms after its turn.
    await clock.advance(300);
    second?.sent();
    written.push(clock.now());
    const given: number[] = [];
    const later = [pacer.take(), pacer.take()].map((turn) => turn.then(() => given.push(clock.now())));
    await clock.runAll();
    await Promise.all(later);
    // Counted from its turn, the fourth would go at 1000, with the second's arrival 700 ms before.
    expect(given).toEqual([1_000, 1_300]);
    expect(fullest([...written, ...given], 1_000)).toBe(2);
  });

  it('keeps the window right when turns are written in another order than they were given', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 3, lengthMs: 1_000 }], { clock, guard: 0 });
    const [first, second] = (await Promise.all([pacer.take(), pacer.take(), pacer.take()])) as Turn[];
    // The second written at 100, the first at 400, the third never said to be.
    await clock.advance(100);
    second?.sent();
    await clock.advance(300);
    first?.sent();
    const given = await burst(pacer, clock, 3);
    // Each next turn when the oldest has left: the third's grant (0), then the second's, then the first's.
    expect(given).toEqual([1_000, 1_100, 1_400]);
  });

  it('moves a turn only later, and only once', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 1, lengthMs: 1_000 }], { clock, guard: 0 });
    await clock.advance(500);
    const turn = await pacer.take();
    // Written before its turn was given: it still counts from its grant. A second call changes nothing.
    turn.sent(200);
    turn.sent(900);
    expect(await burst(pacer, clock, 1)).toEqual([1_500]);
  });

  it('remembers a turn written after the turns given since had pushed it out', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 2, lengthMs: 1_000 }], { clock, guard: 0 });
    const [slow, quick] = (await Promise.all([pacer.take(), pacer.take()])) as Turn[];
    quick?.sent(0);
    // The slow one is still on its way when the next turn comes, a window after both grants.
    const [next] = await burst(pacer, clock, 1);
    expect(next).toBe(1_000);
    await clock.advance(100);
    slow?.sent();
    // Written at 1100, it holds back the turn after as the one given at 1000 does.
    expect(await burst(pacer, clock, 2)).toEqual([2_000, 2_100]);
  });

  it('does not give a turn early when the one holding it back moves later while it waits', async () => {
    const clock = new ManualClock();
    const waits: number[] = [];
    const pacer = new SlidingWindowPacer([{ limit: 1, lengthMs: 1_000 }], { clock, guard: 0, onWait: (ms) => waits.push(ms) });
    const first = await pacer.take();
    const given: number[] = [];
    // Its timer is set for 1000, while the first request is still on its way.
    const second = pacer.take().then(() => given.push(clock.now()));
    await clock.advance(200);
    first.sent();
    await clock.runAll();
    await second;
    expect(given).toEqual([1_200]);
    // Told once, of the wait it saw then.
    expect(waits).toEqual([1_000]);
  });

  it('honours per-second, per-minute and per-hour windows at once', async () => {
    const clock = new ManualClock();
    const windows: RateWindow[] = [
      { limit: 4, lengthMs: 1_000 },
      { limit: 10, lengthMs: 60_000 },
      { limit: 15, lengthMs: 3_600_000 },
    ];
    const pacer = new SlidingWindowPacer(windows, { clock, guard: 0 });
    const given = await burst(pacer, clock, 45);
    expect(given).toHaveLength(45);
    for (const { limit, lengthMs } of windows) expect(fullest(given, lengthMs), `${limit} per ${lengthMs} ms`).toBe(limit);
    // 4 at 0, 4 at 1 s, 2 at 2 s (the minute's 10); the minute's next at 60 s: 4 then 1 (the hour's 15).
    expect(given.slice(0, 15)).toEqual([0, 0, 0, 0, 1_000, 1_000, 1_000, 1_000, 2_000, 2_000, 60_000, 60_000, 60_000, 60_000, 61_000]);
    expect(given[15]).toBe(3_600_000);
    expect(given.at(-1)).toBe(2 * 3_600_000 + 61_000);
  });

  it('spaces turns 1/rate apart below one request a second', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer(rateWindows({ requestsPerSecond: 0.5 }), { clock, guard: 0 });
    const given = await burst(pacer, clock, 4);
    expect(given).toEqual([0, 2_000, 4_000, 6_000]);
  });

  it('lets a caller that must take a new turn go ahead of those waiting', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 1, lengthMs: 1_000 }], { clock, guard: 0 });
    const order: string[] = [];
    await pacer.take();
    const queued = pacer.take().then(() => order.push('queued'));
    const again = pacer.take({ first: true }).then(() => order.push('again'));
    await clock.runAll();
    await Promise.all([queued, again]);
    expect(order).toEqual(['again', 'queued']);
  });

  it('says how long the next request waits and which window holds it back', async () => {
    const clock = new ManualClock();
    const waits: Array<[number, RateWindow]> = [];
    const pacer = new SlidingWindowPacer(
      [
        { limit: 2, lengthMs: 1_000 },
        { limit: 3, lengthMs: 60_000 },
      ],
      { clock, guard: 0, onWait: (ms, window) => waits.push([ms, window]) },
    );
    await burst(pacer, clock, 4);
    expect(waits).toEqual([
      [1_000, { limit: 2, lengthMs: 1_000 }],
      [59_000, { limit: 3, lengthMs: 60_000 }],
    ]);
  });

  it('turns away waiting requests when closed, and later ones too', async () => {
    const clock = new ManualClock();
    const pacer = new SlidingWindowPacer([{ limit: 1, lengthMs: 1_000 }], { clock });
    await pacer.take();
    const waiting = pacer.take();
    expect(pacer.waiting).toBe(1);
    pacer.close();
    await expect(waiting).rejects.toBeInstanceOf(PacerClosedError);
    await expect(pacer.take()).rejects.toBeInstanceOf(PacerClosedError);
    expect(clock.pending).toBe(0);
  });

  it('does not stall when the clock is set back', async () => {
    const clock = new ManualClock();
    clock.set(10_000);
    const pacer = new SlidingWindowPacer([{ limit: 1, lengthMs: 1_000 }], { clock, guard: 0 });
    await pacer.take();
    clock.set(5_000);
    const given: number[] = [];
    const next = pacer.take().then(() => given.push(clock.now()));
    await clock.runAll();
    await next;
    expect(given).toEqual([6_000]);
  });

  it('refuses windows that cannot be met', () => {
    expect(() => new SlidingWindowPacer([{ limit: 0, lengthMs: 1_000 }])).toThrow(/positive integer/);
    expect(() => new SlidingWindowPacer([{ limit: 2.5, lengthMs: 1_000 }])).toThrow(/positive integer/);
    expect(() => new SlidingWindowPacer([{ limit: 1, lengthMs: 0 }])).toThrow(/positive/);
  });
});

describe('rateWindows', () => {
  it('maps requests per second and the extra budgets onto windows', () => {
    // Turns at least a quarter of the even pace apart (12 ms at 20 a second): not all in one burst.
    expect(rateWindows({ requestsPerSecond: 20 })).toEqual([
      { limit: 20, lengthMs: 1_000 },
      { limit: 1, lengthMs: 12 },
    ]);
    // A gateway counts whole requests: 2.5 a second allows 2 in any second.
    expect(rateWindows({ requestsPerSecond: 2.5 })).toEqual([
      { limit: 2, lengthMs: 1_000 },
      { limit: 1, lengthMs: 100 },
    ]);
    expect(rateWindows({ requestsPerSecond: 1 })).toEqual([{ limit: 1, lengthMs: 1_000 }]);
    expect(rateWindows({ requestsPerSecond: 0.4 })).toEqual([{ limit: 1, lengthMs: 2_500 }]);
    expect(rateWindows({ requestsPerSecond: 5, perMinute: 100, perHour: 1_000 })).toEqual([
      { limit: 5, lengthMs: 1_000 },
      { limit: 1, lengthMs: 50 },
      { limit: 100, lengthMs: 60_000 },
      { limit: 1_000, lengthMs: 3_600_000 },
    ]);
    expect(() => rateWindows({ requestsPerSecond: 0 })).toThrow(/positive/);
  });
});

describe('Slots', () => {
  it('lets at most its size through at once, the others in order as slots free up', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    const holders = [1, 2, 3, 4].map((n) => slots.acquire().then(() => order.push(n)));
    await flush();
    expect(order).toEqual([1, 2]);
    slots.release();
    await flush();
    expect(order).toEqual([1, 2, 3]);
    slots.release();
    await Promise.all(holders);
    expect(order).toEqual([1, 2, 3, 4]);
    slots.close();
    await expect(slots.acquire()).rejects.toBeInstanceOf(PacerClosedError);
  });
});
