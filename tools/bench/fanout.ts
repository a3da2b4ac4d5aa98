/**
 * The fan-out section: reads whose requests mostly depend on earlier ones (a review cycle's
 * participants, then each participant's results), against a sandbox that adds latency to every
 * response and enforces the vendor's limit as a sliding window, with the connector's default config.
 * The figure is rate-bound efficiency: how much of the limit the read used. A paced floor loop then
 * sends the same requests, one start every 1/limit seconds (plus 1%), to show what pacing alone gets.
 */
import { pe365 } from '../../src/streams/pe365/index.js';
import { startSandbox, type SandboxMounts, type SandboxOptions } from '../sandbox/index.js';
import type { FanoutVendor, Options } from './args.js';
import { connectorProblems, runConnector } from './connector-run.js';
import { rateEfficiency, ratio, summarise, underMount } from './figures.js';
import { floorProblems, runFloor } from './floor-run.js';
import { paceOf } from './pacing.js';
import { printConnector, printEfficiency, printFloor, type Say } from './print.js';
import type { FanoutReport } from './report.js';
import { fixed } from './text.js';

/** The floor's margin on the window: arrivals jitter by a few ms, and limit + 1 in one window is a 429. */
export const FLOOR_GUARD = 0.01;

interface Scenario {
  streams: string[];
  /** Sandbox scale at --fanout-size 1. */
  scale: number;
  mount: keyof SandboxMounts;
  /** Requests per second: what the sandbox enforces and efficiency is measured against. */
  limit: number;
  basis: string;
  rateLimits: NonNullable<SandboxOptions['rateLimits']>;
}

/** Leapsome documents 20 requests per second for its Content API. */
const LEAPSOME_CONTENT_LIMIT = 20;

const SCENARIOS: Record<FanoutVendor, () => Scenario> = {
  leapsome: () => ({
    streams: ['review_cycles', 'review_participants', 'review_participant_results', 'goals', 'goal_comments', 'payroll_cycles', 'payroll_cycle_participants'],
    scale: 0.4,
    mount: 'leapsome',
    limit: LEAPSOME_CONTENT_LIMIT,
    basis: 'documented: 20 requests per second (Content API)',
    rateLimits: { leapsome: LEAPSOME_CONTENT_LIMIT },
  }),
  pe365: () => {
    // PE365 documents no limit: the connector's own default pace stands in for it, enforced as such.
    const limit = pe365.limits.api.requestsPerSecond;
    return {
      streams: ['questions', 'question_responses'],
      scale: 1,
      mount: 'pe365',
      limit,
      basis: `none documented: the connector's default, ${limit} requests per second`,
      rateLimits: { pe365: limit },
    };
  },
};

export async function fanoutSection(options: Options, work: string, say: Say): Promise<{ reports: FanoutReport[]; problems: string[] }> {
  const reports: FanoutReport[] = [];
  const problems: string[] = [];
  for (const vendor of options.fanoutVendors) {
    const scenario = SCENARIOS[vendor]();
    const scale = Math.max(0.001, Math.round(scenario.scale * options.fanoutSize * 1000) / 1000);
    const sb = await startSandbox({
      seed: options.seed,
      scale,
      latencyMs: options.latencyMs,
      rateLimits: { enforce: true, window: 'sliding', ...scenario.rateLimits },
    });
    try {
      const prefix = new URL(sb.mounts[scenario.mount]).pathname;
      let expected = 0;
      for (const stream of scenario.streams) for (const _ of sb.truthIterator(vendor, stream)) expected++;
      say(`── Fan-out: ${vendor} ${scenario.streams.join(', ')}, full refresh, sandbox scale ${scale} (seed ${options.seed})`);
      say(
        `sandbox: ${options.latencyMs} ms added to every response, ${scenario.limit} requests per second enforced as a sliding window (${scenario.basis}); connector: default config`,
      );
      say();
      const connector = await runConnector(sb, { vendor, streams: scenario.streams, speed: {}, work, progress: say });
      const label = `fan-out ${vendor}`;
      problems.push(...connectorProblems(label, connector.report, expected));
      const mine = underMount(connector.log.entries, prefix);
      const requests = summarise(mine);
      const efficiency = rateEfficiency(requests.served, requests.activeSeconds * 1000, scenario.limit);
      say();
      printConnector(connector.report, say);
      printEfficiency('connector rate', requests, efficiency, scenario.limit, say);
      say();

      // The rate-limit windows start empty for the floor, as they did for the connector.
      sb.resetStats();
      const pace = paceOf(scenario.limit);
      const windowMs = Math.round(pace.windowMs * (1 + FLOOR_GUARD));
      say(
        `paced floor: the same ${requests.served} requests, one starting every ${fixed(windowMs / pace.limit, 1)} ms (at most ${pace.limit} per ${windowMs} ms)`,
      );
      const floor = await runFloor(sb, {
        entries: mine,
        auths: connector.log.auths,
        records: connector.report.records,
        concurrency: Math.max(1, Math.ceil(scenario.limit)),
        limit: pace.limit,
        windowMs,
        work,
      });
      problems.push(...floorProblems(`${label} floor`, floor, requests.served));
      const floorRequests = summarise(underMount(floor.log.entries, prefix));
      const floorEfficiency = rateEfficiency(floorRequests.served, floorRequests.activeSeconds * 1000, scenario.limit);
      printFloor(floor.report, say);
      printEfficiency('floor rate', floorRequests, floorEfficiency, scenario.limit, say);
      say();
      reports.push({
        vendor,
        streams: scenario.streams,
        scale,
        latencyMs: options.latencyMs,
        limit: scenario.limit,
        limitBasis: scenario.basis,
        mount: prefix,
        connector: { ...connector.report, requests, efficiency },
        floor: { ...floor.report, requests: floorRequests, efficiency: floorEfficiency },
        efficiencyVsFloor: ratio(efficiency, floorEfficiency),
      });
    } finally {
      await sb.close();
    }
  }
  return { reports, problems };
}
