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
    const reading = (remaining: number) =>
      new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': String(remaining), 'x-ratelimit-reset': String(1_000_000 + 3600) });
    quota.sent();
    quota.answered();
    quota.observe(reading(999));
    expect(quota.delay().ms).toBe(0);
    quota.sent();
    quota.answered();
    quota.observe(reading(150));
    quota.sent();
    // 150 left of 1000 (under a fifth), less the request in flight and the reserve of 10: spread over the hour.
    expect(quota.delay().ms).toBe(Math.ceil(3_600_000 / 139));
  });

  it('spreads what is left over the time to the reset', () => {
    const { quota, advance } = quotaAt(1_000_000_000);
    quota.observe(headers(10, 1_000_000 + 100)); // 10 requests for 100 s, one of them kept in reserve
    expect(quota.delay().ms).toBe(0);
    quota.sent();
    // 8 left for 100 s: the next one 100/8 s after the last.
    expect(quota.delay().ms).toBe(Math.ceil(100_000 / 8));
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

  it('never spends the reserve: another client may take a request before ours arrives', () => {
    const { quota } = quotaAt(1_000_000_000);
    quota.observe(new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '10', 'x-ratelimit-reset': String(1_000_000 + 30) }));
    expect(quota.delay()).toEqual({ ms: 30_000, exhaustedUntil: 1_000_030_000 });
    quota.observe(new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '11', 'x-ratelimit-reset': String(1_000_000 + 30) }));
    expect(quota.delay().ms).toBe(0);
  });

  it('counts the requests in flight against what the last answer said is left', () => {
    const { quota } = quotaAt(1_000_000_000);
    quota.observe(headers(4, 1_000_000 + 60));
    quota.sent();
    quota.sent();
    // 4 left, 2 of them possibly taken by the requests in flight, 1 kept in reserve: one more may go.
    expect(quota.delay().exhaustedUntil).toBeUndefined();
    quota.sent();
    expect(quota.delay()).toEqual({ ms: 60_000, exhaustedUntil: 1_000_060_000 });
    quota.answered();
    quota.observe(headers(4, 1_000_000 + 60)); // the server had counted one of them: 4 were left before it
    expect(quota.delay().exhaustedUntil).toBeUndefined();
  });

  it("on a sliding window, waits for our own requests to leave it, not for the oldest request, which may be another client's", () => {
    const sliding = new ServerQuota({ ...HEADERS, slidingWindowMs: 3_600_000 }, { now: () => now });
    let now = 1_000_000_000;
    // Ten of ours, a minute apart; the window is full with another client's requests besides.
    for (let k = 0; k < 10; k++) {
      sliding.sent();
      sliding.answered();
      now += 60_000;
    }
    sliding.observe(new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(1_000_605) }));
    // Room for one beyond the reserve of ten once eleven are freed: ours free only ten, so the reset is all it knows.
    expect(sliding.delay().exhaustedUntil).toBe(1_000_605_000);
    sliding.observe(new Headers({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': String(1_000_605) }));
    // Six more needed beyond the five left: the sixth of ours leaves the hour after it went.
    expect(sliding.delay().exhaustedUntil).toBe(1_000_000_000 + 5 * 60_000 + 3_600_000);
  });

  it('after a reset, lets one request find out what it freed while the others wait for its answer', () => {
    const { quota, advance } = quotaAt(1_000_000_000);
    quota.observe(headers(0, 1_000_000 + 5));
    advance(5_000);
    expect(quota.delay()).toEqual({ ms: 0 });
    quota.sent();
    expect(quota.delay().ms, 'the others poll for the answer').toBeGreaterThan(0);
    expect(quota.delay().exhaustedUntil).toBeUndefined();
    quota.answered();
    quota.observe(headers(30, 1_000_000 + 10));
    expect(quota.delay()).toEqual({ ms: 0 });
  });

  it("makes every request wait out a 429's Retry-After, not only the one turned away", () => {
    const { quota, advance } = quotaAt(1_000_000_000);
    quota.observe(headers(0, 1_000_000 + 1)); // the oldest request leaves in a second...
    quota.refused(5_000); // ...but the gateway says five
    expect(quota.delay()).toEqual({ ms: 5_000, exhaustedUntil: 1_000_005_000 });
    advance(5_000);
    expect(quota.delay().ms).toBe(0);
  });

  it('after a 429, waits for its Retry-After alone, even on a sliding window full of our own requests', () => {
    let now = 1_000_000_000;
    const sliding = new ServerQuota({ ...HEADERS, slidingWindowMs: 3_600_000 }, { now: () => now });
    for (let k = 0; k < 50; k++) {
      sliding.sent();
      sliding.answered();
    }
    now += 1_000;
    sliding.refused(2_000);
    expect(sliding.delay()).toEqual({ ms: 2_000, exhaustedUntil: now + 2_000 });
  });

  it('forgets a reading whose reset has passed', () => {
    const { quota, advance } = quotaAt(1_000_000_000);
    quota.observe(headers(0, 1_000_000 + 5));
    advance(5_000);
    expect(quota.delay()).toEqual({ ms: 0 });
  });
});
