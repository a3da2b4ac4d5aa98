/**
 * One read by the real connector CLI (`node <the image's Node flags> dist/main.js read`, full
 * refresh) from a running sandbox, its stdout piped into a counting sink (`sink-process.ts`),
 * measured (`measured.ts`) and its requests logged at the sandbox (`request-log.ts`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AirbyteMessage } from '../../src/protocol/generated.js';
import { sandboxConnectorConfig, type SpeedSettings } from '../demo/configs.js';
import { CONNECTOR_MAIN, REPO_ROOT } from '../paths.js';
import type { Sandbox, Vendor } from '../sandbox/index.js';
import { configuredCatalog, runCli } from '../testing/harness.js';
import { summarise } from './figures.js';
import { runMeasured } from './measured.js';
import type { ConnectorReport } from './report.js';
import { RequestLog } from './request-log.js';
import { countInProcess, emptyCounts } from './sink-process.js';
import { mib, num } from './text.js';

export interface ConnectorRunOptions {
  vendor: Vendor;
  streams: string[];
  /** Left out: the connector's defaults. */
  speed: SpeedSettings;
  work: string;
  /** Prints progress every 5 s when given. */
  progress?: (line: string) => void;
}

export interface ConnectorRun {
  report: ConnectorReport;
  /** The requests the read made, as the sandbox saw them. */
  log: RequestLog;
}

/** The Node flags the image's entrypoint runs the connector with: measured as the platform runs it. */
export const IMAGE_NODE_FLAGS = readFileSync(join(REPO_ROOT, 'docker/node-flags'), 'utf8').trim().split(/\s+/);

let runs = 0;

export async function runConnector(sb: Sandbox, options: ConnectorRunOptions): Promise<ConnectorRun> {
  const id = ++runs;
  const config = join(options.work, `config-${id}.json`);
  writeFileSync(config, JSON.stringify(sandboxConnectorConfig(sb, options.vendor, options.speed)));
  const discovered = await runCli(['discover', '--config', config]);
  if (discovered.code !== 0) throw new Error(`discover failed: ${discovered.stderr.trim() || discovered.stdout}`);
  const catalog = discovered.catalog();
  const configured = configuredCatalog(catalog, { mode: 'full_refresh', streams: options.streams });
  const missing = options.streams.filter((name) => !configured.streams.some((s) => s.stream.name === name));
  if (missing.length > 0) throw new Error(`no stream ${missing.join(', ')}; streams: ${catalog.streams.map((s) => s.name).join(', ')}`);
  const catalogFile = join(options.work, `catalog-${id}.json`);
  writeFileSync(catalogFile, JSON.stringify(configured));

  let sink = emptyCounts();
  const log = new RequestLog(sb.port);
  const progress = options.progress;
  progress?.('  elapsed     records    records/s      RSS');
  // stdout goes to the sink unparsed, in a process of its own: parsing every record would measure
  // the benchmark, not the connector.
  const run = await runMeasured([...IMAGE_NODE_FLAGS, CONNECTOR_MAIN, 'read', '--config', config, '--catalog', catalogFile], {
    work: options.work,
    stdout: (stdout) => {
      const counting = countInProcess(stdout);
      sink = counting.counts;
      return counting.done;
    },
    records: () => sink.records,
    ...(progress
      ? {
          onTick: (at, sample) =>
            progress(
              `  ${(at / 1000).toFixed(0).padStart(5)} s  ${num(sink.records).padStart(10)}  ${num((sink.records / at) * 1000).padStart(11)}  ${mib(sample?.rss).padStart(7)}`,
            ),
        }
      : {}),
  }).finally(() => log.stop());
  if (run.stderr.trim()) process.stderr.write(run.stderr);

  const traces = sink.traces as AirbyteMessage[];
  const estimate =
    options.streams.length === 1
      ? traces.find((m) => m.trace?.type === 'ESTIMATE' && m.trace.estimate?.name === options.streams[0])?.trace?.estimate?.row_estimate
      : undefined;
  const errors = traces.filter((m) => m.trace?.type === 'ERROR').map((m) => m.trace?.error?.message ?? 'error');
  const reading = sink.firstRecordAt && sink.lastRecordAt ? sink.lastRecordAt - sink.firstRecordAt : 0;
  const rssAt = (share: number) => run.samples.find((s) => s.records >= share * sink.records)?.rss;
  return {
    log,
    report: {
      streams: options.streams,
      exitCode: run.code,
      wallSeconds: run.wallMs / 1000,
      cpuSeconds: run.cpuSeconds,
      peakRssBytes: run.peakRssBytes,
      records: sink.records,
      expected: estimate,
      recordsPerSecond: (sink.records / run.wallMs) * 1000,
      recordsPerSecondWhileReading: reading > 0 ? (sink.records / reading) * 1000 : undefined,
      recordsPerCpuSecond: run.cpuSeconds ? sink.records / run.cpuSeconds : undefined,
      stdoutBytes: sink.bytes,
      rssAtBytes: { '10%': rssAt(0.1), '50%': rssAt(0.5), '90%': rssAt(0.9) },
      heapUsedAtExitBytes: run.heapUsedBytes,
      errors,
      requests: summarise(log.entries),
    },
  };
}

/** What is wrong with a read, if anything: a failure, an error, fewer or more records than the API's total. */
export function connectorProblems(label: string, report: ConnectorReport, expected = report.expected): string[] {
  const problems: string[] = [];
  if (report.exitCode !== 0) problems.push(`${label}: the connector exited with ${report.exitCode}`);
  for (const error of report.errors) problems.push(`${label}: ${error}`);
  if (expected !== undefined && expected !== report.records) problems.push(`${label}: ${report.records} records, expected ${expected}`);
  return problems;
}
