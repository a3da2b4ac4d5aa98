/**
 * Memory against volume: the connector's peak RSS on a small and a large read of the same Leapsome
 * stream, each from a sandbox of its own scale. The child section runs both; the throughput section
 * adds the small one to its large read.
 */
import type { SpeedSettings } from '../demo/configs.js';
import { startSandbox } from '../sandbox/index.js';
import { connectorProblems, runConnector } from './connector-run.js';
import { growth } from './figures.js';
import { printConnector, type Say } from './print.js';
import type { ConnectorReport, MemoryReport, MemoryRun } from './report.js';
import { scaleFor } from './scale.js';

export interface Read {
  report: ConnectorReport;
  scale: number;
  problems: string[];
}

export interface ReadOptions {
  stream: string;
  records: number;
  seed: number;
  speed: SpeedSettings;
  work: string;
  say: Say;
  /** Print progress every 5 s. */
  progress: boolean;
}

/** Reads about `records` records of a Leapsome stream from a sandbox of its own, and prints the figures. */
export async function readStream(options: ReadOptions): Promise<Read> {
  const scale = await scaleFor('leapsome', options.stream, options.records, options.seed);
  const sb = await startSandbox({ seed: options.seed, scale });
  try {
    options.say(`Leapsome ${options.stream}, about ${options.records.toLocaleString('en-US')} records: sandbox scale ${scale}`);
    const { report } = await runConnector(sb, {
      vendor: 'leapsome',
      streams: [options.stream],
      speed: options.speed,
      work: options.work,
      ...(options.progress ? { progress: options.say } : {}),
    });
    printConnector(report, options.say);
    options.say();
    return { report, scale, problems: connectorProblems(`${options.stream} (${report.records} records)`, report) };
  } finally {
    await sb.close();
  }
}

export function memoryRun(report: ConnectorReport, scale: number): MemoryRun {
  return {
    records: report.records,
    scale,
    peakRssBytes: report.peakRssBytes,
    wallSeconds: report.wallSeconds,
    requests: report.requests.requests,
    exitCode: report.exitCode,
  };
}

export function memoryReport(stream: string, small: MemoryRun, large: MemoryRun): MemoryReport {
  return { stream, small, large, growth: growth(small.peakRssBytes, large.peakRssBytes) };
}
