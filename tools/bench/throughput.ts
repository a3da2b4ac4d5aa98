/**
 * The throughput section: one large Leapsome stream read by the connector, then the same pages fetched
 * by the floor loop from the same sandbox, and the ratios of the two; plus a small read of the same
 * stream, for memory against volume.
 */
import { startSandbox } from '../sandbox/index.js';
import type { Options } from './args.js';
import { connectorProblems, IMAGE_NODE_FLAGS, runConnector } from './connector-run.js';
import { ratio } from './figures.js';
import { floorProblems, runFloor } from './floor-run.js';
import { memoryReport, memoryRun, readStream } from './memory-runs.js';
import { paceOf } from './pacing.js';
import { printConnector, printFloor, type Say } from './print.js';
import type { ConnectorReport, FloorReport, MemoryReport, ThroughputReport } from './report.js';
import type { RequestLog } from './request-log.js';
import { scaleFor } from './scale.js';
import { fixed } from './text.js';

export interface ThroughputSection {
  report: ThroughputReport;
  memory: MemoryReport;
  problems: string[];
}

export async function throughputSection(options: Options, work: string, say: Say): Promise<ThroughputSection> {
  const { stream, rps, pageSize, concurrency, seed } = options;
  const speed = { requestsPerSecond: rps, pageSize, concurrency };
  const scale = options.scale ?? (await scaleFor('leapsome', stream, options.records, seed));
  const problems: string[] = [];
  const sb = await startSandbox({ seed, scale });
  const pairs = options.floor ? options.pairs : 1;
  let report: ThroughputReport;
  let highest: ConnectorReport;
  try {
    say(`── Throughput: Leapsome ${stream}, full refresh, sandbox scale ${scale} (seed ${seed}, in this process at ${sb.url})`);
    say(
      `connector: node ${IMAGE_NODE_FLAGS.join(' ')} dist/main.js read, requests_per_second ${rps}, page_size ${pageSize}, concurrency ${concurrency}; stdout → a counting sink`,
    );
    if (pairs > 1) say(`${pairs} pairs of runs, connector then floor, one after the other: the pair with the median wall-time ratio gives the figures`);
    const runs: Pair[] = [];
    for (let n = 1; n <= pairs; n++) {
      say();
      if (pairs > 1) say(`pair ${n} of ${pairs}`);
      const connector = await runConnector(sb, { vendor: 'leapsome', streams: [stream], speed, work, ...(n === 1 ? { progress: say } : {}) });
      if (n === 1) say();
      printConnector(connector.report, say);
      say();
      problems.push(...connectorProblems(stream, connector.report));

      let floor: Awaited<ReturnType<typeof runFloor>> | undefined;
      if (options.floor) {
        const pace = paceOf(rps);
        // Every pair replays the first connector run's requests: each run asks for the same pages.
        const first = runs[0]?.log ?? connector.log;
        say(
          `floor: the connector's ${first.entries.length} requests replayed against the same sandbox by a fetch-and-discard loop (undici request, keep-alive), ${concurrency} in flight at most, at most ${pace.limit} starting per ${pace.windowMs} ms`,
        );
        floor = await runFloor(sb, { entries: first.entries, auths: first.auths, records: connector.report.records, concurrency, ...pace, work });
        printFloor(floor.report, say);
        problems.push(...floorProblems(`${stream} floor`, floor, connector.report.requests.served));
      }
      const ratios = {
        wallTime: ratio(connector.report.wallSeconds, floor?.report.wallSeconds),
        cpuPerRecord: ratio(ratio(connector.report.cpuSeconds, connector.report.records), ratio(floor?.report.cpuSeconds, floor?.report.records)),
      };
      if (floor) {
        say(`connector ÷ floor  wall time ${fixed(ratios.wallTime)}×, CPU per record ${fixed(ratios.cpuPerRecord)}×`);
        say();
      }
      runs.push({ connector: connector.report, floor: floor?.report, ratios, log: connector.log });
    }
    const median = medianPair(runs);
    if (pairs > 1) {
      say(
        `wall time, connector ÷ floor, by pair: ${runs.map((r) => `${fixed(r.ratios.wallTime)}×`).join(', ')}; the median is pair ${runs.indexOf(median) + 1}`,
      );
      say();
    }
    report = {
      stream,
      scale,
      requestsPerSecond: rps,
      pageSize,
      concurrency,
      connector: median.connector,
      floor: median.floor,
      ratios: median.ratios,
      ...(pairs > 1 ? { pairs: runs.map(({ connector, floor, ratios }) => ({ connector, floor, ratios })) } : {}),
    };
    // Memory against volume: the connector run that peaked highest, not the median one.
    highest = runs.reduce((a, b) => ((b.connector.peakRssBytes ?? 0) > (a.connector.peakRssBytes ?? 0) ? b : a)).connector;
  } finally {
    await sb.close();
  }

  say(`── Memory against volume: the same read, small`);
  const small = await readStream({ stream, records: options.smallRecords, seed, speed, work, say, progress: false });
  problems.push(...small.problems);
  return { report, memory: memoryReport(stream, memoryRun(small.report, small.scale), memoryRun(highest, scale)), problems };
}

interface Pair {
  connector: ConnectorReport;
  floor: FloorReport | undefined;
  ratios: ThroughputReport['ratios'];
  log: RequestLog;
}

/** The pair whose wall-time ratio is the median (the lower middle one of an even number). */
function medianPair(runs: readonly Pair[]): Pair {
  const sorted = [...runs].sort((a, b) => (a.ratios.wallTime ?? 0) - (b.ratios.wallTime ?? 0));
  return sorted[Math.floor((sorted.length - 1) / 2)] as Pair;
}
