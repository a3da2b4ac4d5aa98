import { describe, expect, it } from 'vitest';
import { ServerQuota } from './quota.js';

const HEADERS = { limit: 'x-ratelimit-limit', remaining: 'x-ratelimit-remaining', reset: 'x-ratelimit-reset', resetUnit: 'epoch-seconds' } as const;

function quotaAt(start: number) {
  let now = start;
  const quota = new ServerQuota(HEADERS, { now: () => now });
  return { quota, advance: (ms: number) => (now += ms), now: () => now };
}

const headers = (remaining: number, resetEpochSeconds: number) =>
  new Headers({ 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(resetEpochSeconds) });

describe("the server's count of a quota", () => {
  it('says nothing until a response carried the headers', () => {
    const { quota } = quotaAt(1_000_000);
    expect(quota.delay()).toEqual({ ms: 0 });
    quota.observe(new Headers());
    expect(quota.delay()).toEqual({ ms: 0 });
  });

  it('waits for the reset when nothing is left, and says until when', () => {
    const { quota, now } = quotaAt(1_000_000_000);
    quota.observe(headers(0, 1_000_000 + 600));
    expect(quota.delay()).toEqual({ ms: 600_000, exhaustedUntil: 1_000_600_000 });
    expect(now()).toBe(1_000_000_000);
  });

  it('costs nothing while plenty is left', () => {
    const { quota } = quotaAt(1_000_000_000);
    quota.observe(new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '999', 'x-ratelimit-reset': String(1_000_000 + 3600) }));
    quota.sent();
    expect(quota.delay().ms).toBe(0);
    quota.observe(new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '150', 'x-ratelimit-reset': String(1_000_000 + 3600) }));
    quota.sent();
    // 149 left of 1000 (under a fifth): spread over the hour.
    expect(quota.delay().ms).toBe(Math.ceil(3_600_000 / 149));
  });

  it('spreads what is left over the time to the reset', () => {
    const { quota, advance } = quotaAt(1_000_000_000);
    quota.observe(headers(10, 1_000_000 + 100)); // 10 requests for 100 s: one every 10 s
    expect(quota.delay().ms).toBe(0);
    quota.sent();
    // 9 left for 100 s: the next one 100/9 s after the last.
    expect(quota.delay().ms).toBe(Math.ceil(100_000 / 9));
    advance(20_000);
    expect(quota.delay().ms).toBe(0);
  });

  it('counts its own requests down until the server says otherwise, then believes the server', () => {
    const { quota } = quotaAt(1_000_000_000);
    quota.observe(headers(1, 1_000_000 + 60));
    quota.sent();
    expect(quota.delay()).toMatchObject({ ms: 60_000, exhaustedUntil: 1_000_060_000 });
    quota.observe(headers(500, 1_000_000 + 60)); // another client's window freed up
    expect(quota.delay().ms).toBeLessThan(1_000);
  });

  it('forgets a reading whose reset has passed', () => {
    const { quota, advance } = quotaAt(1_000_000_000);
    quota.observe(headers(0, 1_000_000 + 5));
    advance(5_000);
    expect(quota.delay()).toEqual({ ms: 0 });
  });
});
