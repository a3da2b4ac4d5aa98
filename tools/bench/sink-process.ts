/**
 * The counting sink (`counting-sink.ts`) in a process of its own, the connector's stdout going straight
 * into it. In the benchmark's process it would share one event loop with the sandbox, which makes each
 * page synchronously: while the sandbox made a page, nothing read the connector's stdout, so the
 * connector waited on a full pipe, and its writing and the sandbox's next page could not overlap. A
 * real destination reads in a process of its own too.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import { CountingSink } from './counting-sink.js';

/** The benchmark's entry point runs the sink when given this (`cli.js sink`). */
export const SINK_COMMAND = 'sink';

// The benchmark's own entry point: compiled beside this file.
const CLI = resolve(import.meta.dirname, 'cli.js');

/** How often the sink process reports its counts. */
const REPORT_MS = 100;

/** What the sink has counted so far (at most REPORT_MS old until the end). */
export interface SinkCounts {
  records: number;
  lines: number;
  bytes: number;
  firstRecordAt: number | undefined;
  lastRecordAt: number | undefined;
  /** The TRACE messages, parsed: known once the output has ended. */
  traces: unknown[];
}

/** Nothing counted yet. */
export function emptyCounts(): SinkCounts {
  return { records: 0, lines: 0, bytes: 0, firstRecordAt: undefined, lastRecordAt: undefined, traces: [] };
}

/** In the sink process: counts stdin, reporting its counts on stdout as one JSON line each time. */
export async function sinkMain(): Promise<number> {
  const sink = new CountingSink();
  const report = (final: boolean) => {
    const { records, lines, bytes, firstRecordAt, lastRecordAt } = sink;
    process.stdout.write(`${JSON.stringify({ records, lines, bytes, firstRecordAt, lastRecordAt, ...(final ? { traces: sink.traces } : {}) })}\n`);
  };
  const timer = setInterval(() => report(false), REPORT_MS);
  try {
    await pipeline(process.stdin, sink);
  } finally {
    clearInterval(timer);
  }
  report(true);
  return 0;
}

/**
 * Counts `stdout` (a child's, not read here) in a sink process. `counts` follows the sink's reports;
 * `done` resolves once the output has ended and the final counts are in.
 */
export function countInProcess(stdout: Readable): { counts: SinkCounts; done: Promise<void> } {
  const counts = emptyCounts();
  const sink = spawn(process.execPath, [CLI, SINK_COMMAND], { stdio: [stdout, 'pipe', 'inherit'] });
  // The sink holds its own copy of the pipe: this process's copy would keep it open without reading it.
  stdout.destroy();
  createInterface({ input: sink.stdout, crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => Object.assign(counts, JSON.parse(line)));
  const done = new Promise<void>((resolvePromise, reject) => {
    sink.once('error', reject);
    sink.once('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`the counting sink exited with ${code}`))));
  });
  return { counts, done };
}
