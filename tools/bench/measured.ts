/**
 * Runs a Node program (the connector, the floor loop) as a child process measured from outside and
 * from inside: wall time from spawn to exit, RSS sampled every 250 ms from /proc, and the process's own
 * resourceUsage (CPU time, peak RSS) and heap at exit, which a preloaded module
 * (`node --import usage-report.js`) writes to a file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runProcess, type ProcessOptions } from '../testing/harness.js';
import { readMemory, type MemorySample } from './memory.js';
import { USAGE_FILE_VARIABLE } from './usage-report.js';

// Compiled beside this file.
const USAGE_REPORT = pathToFileURL(resolve(import.meta.dirname, 'usage-report.js')).href;

export interface Measured {
  code: number;
  stderr: string;
  wallMs: number;
  cpuSeconds: number | undefined;
  peakRssBytes: number | undefined;
  heapUsedBytes: number | undefined;
  /** RSS over the run, with the progress `records()` reported at each sample. */
  samples: MemorySample[];
}

export interface MeasureOptions {
  /** A folder of the caller's, for the usage file. */
  work: string;
  /** Where stdout goes (ignored otherwise): see `ProcessOptions.stdout`. */
  stdout?: ProcessOptions['stdout'];
  env?: NodeJS.ProcessEnv;
  /** Progress so far, stored with each memory sample. */
  records?: () => number;
  /** Called every 5 s with the elapsed ms and the latest sample. */
  onTick?: (elapsedMs: number, sample: MemorySample | undefined) => void;
}

interface Usage {
  resourceUsage: NodeJS.ResourceUsage;
  memoryUsage: NodeJS.MemoryUsage;
}

let runs = 0;

/** `node --import usage-report.js ...args`, measured. */
export async function runMeasured(args: string[], options: MeasureOptions): Promise<Measured> {
  const usageFile = join(options.work, `usage-${++runs}.json`);
  const samples: MemorySample[] = [];
  let pid: number | undefined;
  let lastTick = 0;
  const started = Date.now();
  const running = runProcess(process.execPath, ['--import', USAGE_REPORT, ...args], {
    env: { ...options.env, [USAGE_FILE_VARIABLE]: usageFile },
    timeoutMs: Number.POSITIVE_INFINITY,
    ...(options.stdout ? { stdout: options.stdout } : {}),
    onStart: (started) => (pid = started),
  });
  const sampler = setInterval(() => {
    const memory = pid === undefined ? undefined : readMemory(pid);
    const at = Date.now() - started;
    const sample = memory ? { at, ...memory, records: options.records?.() ?? 0 } : undefined;
    if (sample) samples.push(sample);
    if (at - lastTick >= 5000) {
      lastTick = at;
      options.onTick?.(at, sample);
    }
  }, 250);
  const { code, stderr } = await running.finally(() => clearInterval(sampler));
  const wallMs = Date.now() - started;
  const usage = existsSync(usageFile) ? parseUsage(readFileSync(usageFile, 'utf8')) : undefined;
  return {
    code,
    stderr,
    wallMs,
    cpuSeconds: usage ? (usage.resourceUsage.userCPUTime + usage.resourceUsage.systemCPUTime) / 1e6 : undefined,
    peakRssBytes: usage ? usage.resourceUsage.maxRSS * 1024 : samples.length > 0 ? Math.max(...samples.map((s) => s.peak)) : undefined,
    heapUsedBytes: usage?.memoryUsage.heapUsed,
    samples,
  };
}

function parseUsage(text: string): Usage | undefined {
  try {
    return JSON.parse(text) as Usage;
  } catch {
    return undefined;
  }
}
