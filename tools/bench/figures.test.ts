import { describe, expect, it } from 'vitest';
import { activeSpan, growth, inFlight, rateEfficiency, ratio, replayable, summarise, underMount, type LoggedRequest } from './figures.js';

const entry = (start: number, end: number | undefined, status = 200, url = '/leapsome/v1/goals'): LoggedRequest => ({
  method: 'GET',
  url,
  auth: 0,
  start,
  end,
  status,
});

describe('figures', () => {
  it('measures the active span from the first arrival to the last response', () => {
    expect(activeSpan([])).toBe(0);
    expect(activeSpan([entry(1000, 1100), entry(1050, 1400), entry(1300, 1350)])).toBe(400);
    // A request never answered counts until its arrival.
    expect(activeSpan([entry(1000, 1100), entry(1500, undefined, 0)])).toBe(500);
  });

  it('computes rate-bound efficiency as served requests over what the limit allows in the span', () => {
    expect(rateEfficiency(190, 10_000, 20)).toBeCloseTo(0.95);
    expect(rateEfficiency(20, 1000, 20)).toBe(1);
    expect(rateEfficiency(5, 0, 20)).toBeUndefined();
    expect(rateEfficiency(5, 1000, 0)).toBeUndefined();
  });

  it('counts requests in flight, at most and on average over the span', () => {
    // Two overlapping for 50 of 200 ms; one ending as the next starts does not overlap it.
    const flight = inFlight([entry(0, 100), entry(50, 100), entry(100, 200)]);
    expect(flight.max).toBe(2);
    expect(flight.mean).toBeCloseTo((100 + 50 + 100) / 200);
    expect(inFlight([])).toEqual({ max: 0, mean: undefined });
  });

  it('summarises a run: served, 429s, failures, rate', () => {
    const entries = [entry(0, 100), entry(10, 20, 429), entry(100, 200), entry(150, 250, 503), entry(160, undefined, 0), entry(900, 1000)];
    const summary = summarise(entries);
    expect(summary).toMatchObject({ requests: 6, served: 4, http429: 1, failed: 2, activeSeconds: 1, servedPerSecond: 4, inFlightMax: 2 });
    expect(replayable(entries)).toHaveLength(4);
  });

  it('keeps the requests under one mount, not those of a longer sibling path', () => {
    const entries = [
      entry(0, 1, 200, '/leapsome/v1/goals?limit=1'),
      entry(0, 1, 200, '/leapsome/scim/v1/Users'),
      entry(0, 1, 200, '/leapsome/v10/x'),
      entry(0, 1, 200, '/leapsome/v1?x'),
    ];
    expect(underMount(entries, '/leapsome/v1').map((e) => e.url)).toEqual(['/leapsome/v1/goals?limit=1', '/leapsome/v1?x']);
  });

  it('takes ratios and growth only of figures that are there', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(undefined, 2)).toBeUndefined();
    expect(ratio(1, 0)).toBeUndefined();
    expect(growth(100, 120)).toBeCloseTo(0.2);
    expect(growth(undefined, 120)).toBeUndefined();
  });
});
