/**
 * End-to-end: against a sandbox that enforces its rate limits as a gateway does (any 1000 ms, every
 * request it receives counted, 429s and retries included), a read paced at the same number of
 * requests per second is never turned away, and no second-long window at the sandbox ever holds more
 * than the limit. The limits are lowered so that each read takes a few seconds.
 */
import { describe, expect, it } from 'vitest';
import { maxInWindow } from '../../tools/sandbox/ratelimit.js';
import { onlyStreams, runCli } from '../../tools/testing/harness.js';
import { expectEveryStreamExactly, expectSucceeded, type SandboxVendor, withSandbox } from './kit.js';

interface Case {
  vendor: SandboxVendor;
  /** Requests per second, at the sandbox and in the connector's config. */
  limit: number;
  scale: number;
  streams: string[];
  /** The sandbox's rate-limited mounts the read goes to. */
  mounts: string[];
  /** At least this many requests, so that the read spans several windows. */
  fewest: number;
}

const CASES: Case[] = [
  { vendor: 'leapsome', limit: 20, scale: 0.2, streams: ['goals', 'goal_comments', 'employees', 'scim_users'], mounts: ['leapsome', 'scim'], fewest: 50 },
  { vendor: 'reflektive', limit: 10, scale: 8, streams: ['real_time_feedback_v1', 'real_time_feedback_v2'], mounts: ['reflektive'], fewest: 30 },
  { vendor: 'pe365', limit: 10, scale: 0.25, streams: ['questions', 'question_responses', 'users'], mounts: ['pe365'], fewest: 25 },
];

// One after another: arrivals are stamped by the sandbox in this process, which other reads would keep busy.
describe('rate limits as a gateway counts them', () => {
  it.each(CASES)(
    '$vendor: a read at the limit gets no 429 and never more than the limit in any 1000 ms',
    async ({ vendor, limit, scale, streams, mounts, fewest }) => {
      const rateLimits = { enforce: true, window: 'sliding' as const, leapsome: limit, scim: limit, reflektive: limit, pe365: limit };
      await withSandbox(vendor, { scale, seed: 5, rateLimits }, { requests_per_second: limit, concurrency: 8 }, async ({ sb, ws, config, incremental }) => {
        sb.resetStats();
        // The output is parsed after the read: parsing pages of records as they come held up this
        // process's event loop, and with it the sandbox's stamps of arrivals, by tens of ms.
        const result = await runCli(['read', '--config', config, ...ws.flags({ catalog: onlyStreams(incremental, streams) })], { parseAtExit: true });
        expectSucceeded(result);
        // For a failure message: each mount's arrivals in ms after its first.
        const offsets = Object.fromEntries(Object.entries(sb.stats.arrivals).map(([mount, times]) => [mount, times.map((t) => t - (times[0] as number))]));
        const summary = JSON.stringify({ limit, rateLimited: sb.stats.faults.rateLimited, arrivals: offsets });
        expect(sb.stats.faults.rateLimited, `requests answered 429: ${summary}`).toBe(0);
        for (const mount of mounts) {
          const arrivals = sb.stats.arrivals[mount] ?? [];
          expect(maxInWindow(arrivals, 1000), `${mount}: most requests in any 1000 ms: ${summary}`).toBeLessThanOrEqual(limit);
        }
        expect((sb.stats.arrivals[mounts[0] as string] ?? []).length, `${mounts[0]}: requests`).toBeGreaterThanOrEqual(fewest);
        expectEveryStreamExactly(sb, vendor, streams, result);
      });
    },
  );
});
