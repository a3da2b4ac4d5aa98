import { describe, expect, it } from 'vitest';
import { maxInWindow, RateLimiter } from './ratelimit.js';

/** Sends requests at the given times (ms); returns the Retry-After of each (undefined = passed). */
function play(limiter: RateLimiter, limit: number, times: number[]): Array<number | undefined> {
  return times.map((t) => limiter.check('api', limit, t));
}

describe('sandbox rate limit, sliding window', () => {
  it('lets at most the limit through in any 1000 ms, not per clock second', () => {
    const limiter = new RateLimiter('sliding');
    // 1000 ms after the first, that one has left the window; at 1400 the ones at 500 and 1000 are in it.
    expect(play(limiter, 2, [0, 500, 1000, 1400, 1501])).toEqual([undefined, undefined, undefined, 1, 1]);
    // Counted per clock second, the one at 1400 would pass.
    expect(play(new RateLimiter('fixed'), 2, [0, 500, 1000, 1400])).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('counts the requests it turns away: retrying too early keeps the window full', () => {
    const limiter = new RateLimiter('sliding');
    // Two pass at 0; the client keeps knocking every 300 ms and each knock counts.
    expect(play(limiter, 2, [0, 0, 300, 600, 900, 1200])).toEqual([undefined, undefined, 1, 1, 1, 1]);
    // Only after a quiet second does anything pass again.
    expect(limiter.check('api', 2, 2200)).toBeUndefined();
  });

  it('answers Retry-After with the whole seconds until the window has room', () => {
    const limiter = new RateLimiter('sliding');
    play(limiter, 2, [0, 100]);
    expect(limiter.check('api', 2, 200)).toBe(1);
    const many = new RateLimiter('sliding');
    // 5 in the window against a limit of 2: room once the requests at 0, 1500 and 1600 have left (at 2600).
    play(many, 2, [0, 1500, 1600, 1700]);
    expect(many.check('api', 2, 1800)).toBe(1);
    expect(many.check('api', 2, 1800 + 1000)).toBeUndefined();
  });

  it('keeps one window per key', () => {
    const limiter = new RateLimiter('sliding');
    expect(limiter.check('a', 1, 0)).toBeUndefined();
    expect(limiter.check('b', 1, 0)).toBeUndefined();
    expect(limiter.check('a', 1, 1)).toBe(1);
  });
});

describe('sandbox rate limit, fixed window', () => {
  it('resets the count at every whole second, so a straddling burst gets twice the limit through', () => {
    const limiter = new RateLimiter('fixed');
    const times = [900, 910, 920, 1000, 1010, 1020];
    const outcomes = play(limiter, 2, times);
    expect(outcomes).toEqual([undefined, undefined, 1, undefined, undefined, 1]);
    const passed = times.filter((_, i) => outcomes[i] === undefined);
    expect(maxInWindow(passed, 1000)).toBe(4);
  });
});

describe('maxInWindow', () => {
  it('finds the fullest window of the length, whatever the order', () => {
    expect(maxInWindow([], 1000)).toBe(0);
    expect(maxInWindow([5], 1000)).toBe(1);
    expect(maxInWindow([2000, 0, 999, 1000, 1998], 1000)).toBe(3);
    // Exactly one window length apart: not in the same window.
    expect(maxInWindow([0, 1000, 2000], 1000)).toBe(1);
    expect(maxInWindow([0, 999], 1000)).toBe(2);
  });
});
