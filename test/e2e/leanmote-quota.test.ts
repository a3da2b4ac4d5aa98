/**
 * End-to-end: Leanmote's quota (100 requests in any minute, 1000 in any hour, counted as its gateway
 * counts them) is the real constraint of a Leanmote sync. Against a sandbox that enforces both windows,
 * shortened by TIME_SCALE so that an hour passes in seconds, and a connector whose own windows,
 * heartbeat and pause reporting are shortened alike, a full sync of every stream:
 * - is never turned away (no 429), whether the account's quota is ours alone or half spent by
 *   another client the connector does not know of (its rate-limit headers tell it);
 * - shows its pauses as RATE_LIMITED statuses, with the time the quota frees up;
 * - never stays silent (no RECORD or STATE) longer than the heartbeat interval;
 * - emits every record of every stream exactly once.
 * The connector runs in this process, as the only way to shorten its windows is an in-process hook.
 */
import { describe, expect, it } from 'vitest';
import { HEARTBEAT_MS } from '../../src/engine/sync.js';
import { maxInWindow } from '../../tools/sandbox/ratelimit.js';
import { startSandbox } from '../../tools/sandbox/index.js';
import { configuredCatalog, Files, runInProcess } from '../../tools/testing/harness.js';
import { expectEveryStreamExactly, expectSucceeded, sandboxConfig } from './kit.js';

/**
 * An hour in 36 s, a minute in 600 ms, the heartbeat every 3 s. The sandbox shares this process with
 * the connector, so its arrival times lag by whatever else the event loop was doing: shorter windows
 * would measure that lag rather than the pacing.
 */
const TIME_SCALE = 0.01;
const HOUR_MS = 3_600_000 * TIME_SCALE;
const MINUTE_MS = 60_000 * TIME_SCALE;

const CASES = [
  // About 1,050 requests: more than an hour's quota, so the sync waits for the hourly window to slide.
  { title: 'the quota is ours alone', scale: 0.8, sharedQuota: 0 },
  // About 530 requests against the 500 an hour the other client leaves.
  { title: 'another client spends half the quota', scale: 0.4, sharedQuota: 0.5 },
];

describe('Leanmote under its enforced quota windows', () => {
  it.each(CASES)(
    '$title: a full sync gets no 429, shows its pauses as RATE_LIMITED and keeps the heartbeat',
    async ({ scale, sharedQuota }) => {
      const sb = await startSandbox({ scale, seed: 11, leanmoteWindowScale: TIME_SCALE, leanmoteSharedQuota: sharedQuota, rateLimits: { enforce: true } });
      const files = new Files();
      try {
        // The connector's own pace: no requests_per_second, so the documented windows apply.
        const config = { ...sandboxConfig(sb, 'leanmote'), requests_per_second: undefined };
        const discovered = (await runInProcess(files.argv('discover', { config }), { timeScale: TIME_SCALE })).catalog();
        const catalog = configuredCatalog(discovered, { mode: 'full_refresh' });
        sb.resetStats();
        const result = await runInProcess(files.argv('read', { config, catalog }), { timeScale: TIME_SCALE });

        expectSucceeded(result);
        const arrivals = sb.stats.arrivals['leanmote'] ?? [];
        const figures = `${arrivals.length} requests in ${((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)) / HOUR_MS} scaled hours`;
        expect(sb.stats.faults.rateLimited, `requests answered 429 (${figures})`).toBe(0);
        // Our own requests alone stay within both windows; the other client's are on top of them at the sandbox.
        expect(maxInWindow(arrivals, MINUTE_MS), 'most requests in any scaled minute').toBeLessThanOrEqual(100);
        expect(maxInWindow(arrivals, HOUR_MS), 'most requests in any scaled hour').toBeLessThanOrEqual(1000 * (1 - sharedQuota));
        expect(arrivals.length, 'the sync needs more than the hour allows, so it must wait').toBeGreaterThan(1000 * (1 - sharedQuota));

        // Each RATE_LIMITED status names when the wait it announces ends: after it came out, within an hour.
        const paused = result.messages.flatMap((m, i) => {
          const reason = m.trace?.stream_status?.reasons?.find((r) => r.type === 'RATE_LIMITED');
          return reason ? [{ at: result.times?.[i] as number, reset: reason.rate_limited?.quota_reset as number }] : [];
        });
        expect(paused.length, 'RATE_LIMITED statuses').toBeGreaterThan(0);
        for (const { at, reset } of paused) {
          expect(reset, 'quota_reset after the status').toBeGreaterThan(at);
          expect(reset, 'quota_reset within the (scaled) hour').toBeLessThanOrEqual(at + HOUR_MS);
        }
        expect(result.longestSilence(), 'longest time without a RECORD or STATE (ms)').toBeLessThanOrEqual(HEARTBEAT_MS * TIME_SCALE);

        expectEveryStreamExactly(
          sb,
          'leanmote',
          catalog.streams.map(({ stream }) => stream.name),
          result,
        );
      } finally {
        files.dispose();
        await sb.close();
      }
    },
    120_000,
  );
});
