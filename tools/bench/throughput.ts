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
import type { MemoryReport, ThroughputReport } from './report.js';
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
  let report: ThroughputReport;
  try {
    say(`── Throughput: Leapsome ${stream}, full refresh, sandbox scale ${scale} (seed ${seed}, in this process at ${sb.url})`);
    say(
      `connector: node ${IMAGE_NODE_FLAGS.join(' ')} dist/main.js read, requests_per_second ${rps}, page_size ${pageSize}, concurrency ${concurrency}; stdout → a counting sink`,
    );
    say();
    const connector = await runConnector(sb, { vendor: 'leapsome', streams: [stream], speed, work, progress: say });
    say();
    printConnector(connector.report, say);
    say();
    problems.push(...connectorProblems(stream, connector.report));

    let floor: Awaited<ReturnType<typeof runFloor>> | undefined;
    if (options.floor) {
      const pace = paceOf(rps);
      say(
        `floor: the connector's ${connector.report.requests.served} requests replayed against the same sandbox by a fetch-and-discard loop (undici request, keep-alive), ${concurrency} in flight at most, at most ${pace.limit} starting per ${pace.windowMs} ms`,
      );
      floor = await runFloor(sb, { entries: connector.log.entries, auths: connector.log.auths, records: connector.report.records, concurrency, ...pace, work });
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
    report = { stream, scale, requestsPerSecond: rps, pageSize, concurrency, connector: connector.report, floor: floor?.report, ratios };
  } finally {
    await sb.close();
  }

  say(`── Memory against volume: the same read, small`);
  const small = await readStream({ stream, records: options.smallRecords, seed, speed, work, say, progress: false });
  problems.push(...small.problems);
  return { report, memory: memoryReport(stream, memoryRun(small.report, small.scale), memoryRun(report.connector, scale)), problems };
}
