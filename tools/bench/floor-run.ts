/**
 * Runs the floor loop (`floor-loop.ts`) in a child process against the same sandbox, on the requests a
 * connector run made, measured as the connector is (`measured.ts`) and logged at the sandbox.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Sandbox } from '../sandbox/index.js';
import { replayable, summarise, type LoggedRequest } from './figures.js';
import { FLOOR_COMMAND, type FloorJob, type FloorResult } from './floor-job.js';
import { runMeasured } from './measured.js';
import type { FloorReport } from './report.js';
import { RequestLog } from './request-log.js';

// The benchmark's own entry point, which runs the floor loop when given FLOOR_COMMAND: compiled beside this file.
const CLI = resolve(import.meta.dirname, 'cli.js');

export interface FloorRunOptions {
  /** The connector's requests, as logged (those answered 429 are left out: their retries are in). */
  entries: readonly LoggedRequest[];
  auths: readonly string[];
  /** The records those pages hold. */
  records: number;
  concurrency: number;
  limit: number;
  windowMs: number;
  work: string;
}

export interface FloorRun {
  report: FloorReport;
  log: RequestLog;
  /** What the loop itself counted. */
  result: FloorResult | undefined;
}

let runs = 0;

export async function runFloor(sb: Sandbox, options: FloorRunOptions): Promise<FloorRun> {
  const id = ++runs;
  const requests = replayable(options.entries).map(({ method, url, auth }) => ({ method, url, auth }));
  const job: FloorJob = {
    origin: sb.url,
    requests,
    auths: [...options.auths],
    concurrency: options.concurrency,
    limit: options.limit,
    windowMs: options.windowMs,
    maxAttempts: 10,
    warmUp: '/_sandbox/health',
  };
  const jobFile = join(options.work, `floor-job-${id}.json`);
  const resultFile = join(options.work, `floor-result-${id}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const log = new RequestLog(sb.port);
  const run = await runMeasured([CLI, FLOOR_COMMAND, jobFile, resultFile], { work: options.work }).finally(() => log.stop());
  if (run.stderr.trim()) process.stderr.write(run.stderr);
  const result = existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as FloorResult) : undefined;
  return {
    log,
    result,
    report: {
      exitCode: run.code,
      wallSeconds: run.wallMs / 1000,
      cpuSeconds: run.cpuSeconds,
      peakRssBytes: run.peakRssBytes,
      records: options.records,
      recordsPerSecond: (options.records / run.wallMs) * 1000,
      recordsPerCpuSecond: run.cpuSeconds ? options.records / run.cpuSeconds : undefined,
      sent: result?.sent ?? 0,
      bodyBytes: result?.bytes ?? 0,
      failed: result ? result.failed : requests.length,
      concurrency: options.concurrency,
      limit: options.limit,
      windowMs: options.windowMs,
      requests: summarise(log.entries),
    },
  };
}

/** What is wrong with a floor run: a failure, or not every request served. */
export function floorProblems(label: string, floor: FloorRun, expectedRequests: number): string[] {
  const problems: string[] = [];
  if (floor.report.exitCode !== 0) problems.push(`${label}: the floor loop exited with ${floor.report.exitCode}`);
  if (floor.report.failed > 0) problems.push(`${label}: ${floor.report.failed} of its requests got no answer other than 429 or 5xx`);
  if (floor.report.requests.served !== expectedRequests)
    problems.push(`${label}: the sandbox served ${floor.report.requests.served} of its requests, the connector's were ${expectedRequests}`);
  return problems;
}
