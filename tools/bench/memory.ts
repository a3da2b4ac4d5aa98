import { readFileSync } from 'node:fs';

export interface MemorySample {
  at: number;
  /** Resident set size, bytes. */
  rss: number;
  /** Peak resident set size so far (VmHWM), bytes. */
  peak: number;
  records: number;
}

/** RSS and peak RSS of another process from /proc (Linux); undefined where /proc is not there. */
export function readMemory(pid: number): { rss: number; peak: number } | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return undefined;
  }
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  const rss = kb('VmRSS');
  const peak = kb('VmHWM');
  return Number.isFinite(rss) && Number.isFinite(peak) ? { rss, peak } : undefined;
}
