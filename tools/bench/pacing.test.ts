import { describe, expect, it } from 'vitest';
import { maxInWindow } from '../sandbox/ratelimit.js';
import { nextTurnAt, paceOf, retryAfterSeconds } from './pacing.js';

/**
 * Gives `count` turns as the loop does, on a simulated clock: each when it is due (at once if it is due
 * already), plus `lateness(i)` ms for a timer that fires late.
 */
function simulate(count: number, limit: number, windowMs: number, lateness: (i: number) => number = () => 0): number[] {
  const given: number[] = [];
  let now = 1_000;
  for (let i = 0; i < count; i++) {
    now = Math.max(now, nextTurnAt(given, limit, windowMs)) + lateness(i);
    given.push(now);
  }
  return given;
}

describe('the floor loop pace', () => {
  it('spaces turns evenly at the limit', () => {
    const given = simulate(41, 20, 1000);
    expect(given[1]! - given[0]!).toBe(50);
    expect(given[40]! - given[0]!).toBe(2000);
    expect(maxInWindow(given, 1000)).toBe(20);
  });

  it('does not let turns after a late one bunch up beyond the window', () => {
    // Every seventh timer fires 120 ms late: the even schedule would have the next ones catch up.
    const given = simulate(200, 20, 1000, (i) => (i % 7 === 3 ? 120 : 0));
    expect(maxInWindow(given, 1000)).toBeLessThanOrEqual(20);
    for (let i = 1; i < given.length; i++) expect(given[i]!).toBeGreaterThanOrEqual(given[i - 1]!);
  });

  it('reads a requests-per-second setting as the connector counts it', () => {
    expect(paceOf(20)).toEqual({ limit: 20, windowMs: 1000 });
    expect(paceOf(2.5)).toEqual({ limit: 2, windowMs: 1000 });
    expect(paceOf(0.5)).toEqual({ limit: 1, windowMs: 2000 });
    expect(() => paceOf(0)).toThrow();
  });

  it('reads Retry-After, 1 s when it says nothing usable', () => {
    expect(retryAfterSeconds('3')).toBe(3);
    expect(retryAfterSeconds('0')).toBe(0);
    expect(retryAfterSeconds(undefined)).toBe(1);
    expect(retryAfterSeconds('soon')).toBe(1);
    expect(retryAfterSeconds(['2'])).toBe(2);
  });
});
