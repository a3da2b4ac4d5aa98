import type { FaultKind } from './options.js';

export interface RequestLogEntry {
  method: string;
  /** Path and query as received. */
  url: string;
  mount: string;
  /** HTTP status, or 0 for a dropped connection. */
  status: number;
  fault?: FaultKind | 'rate-limit';
}

/** Counters of vendor traffic (control endpoints under /_sandbox are not counted). */
export interface SandboxStats {
  total: number;
  byStatus: Record<string, number>;
  byMount: Record<string, number>;
  faults: Record<FaultKind | 'rateLimited', number>;
  /** The last 1000 requests, oldest first. */
  recent: RequestLogEntry[];
}

const RECENT = 1000;

export function emptyStats(): SandboxStats {
  return { total: 0, byStatus: {}, byMount: {}, faults: { '429': 0, '5xx': 0, drop: 0, truncate: 0, rateLimited: 0 }, recent: [] };
}

export function resetStats(stats: SandboxStats): void {
  Object.assign(stats, emptyStats());
}

export function record(stats: SandboxStats, entry: RequestLogEntry): void {
  stats.total++;
  stats.byMount[entry.mount] = (stats.byMount[entry.mount] ?? 0) + 1;
  const status = entry.status === 0 ? 'dropped' : String(entry.status);
  stats.byStatus[status] = (stats.byStatus[status] ?? 0) + 1;
  if (entry.fault === 'rate-limit') stats.faults.rateLimited++;
  else if (entry.fault) stats.faults[entry.fault]++;
  stats.recent.push(entry);
  if (stats.recent.length > RECENT) stats.recent.splice(0, stats.recent.length - RECENT);
}
