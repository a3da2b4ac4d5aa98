import type { FaultKind } from './options.js';

export interface RequestLogEntry {
  method: string;
  /** Path and query as received. */
  url: string;
  mount: string;
  /** HTTP status, or 0 for a dropped connection. */
  status: number;
  fault?: FaultKind | 'rate-limit';
  /** When the request arrived (ms since the epoch, real clock). */
  at: number;
}

/** Counters of vendor traffic (control endpoints under /_sandbox are not counted). */
export interface SandboxStats {
  total: number;
  byStatus: Record<string, number>;
  byMount: Record<string, number>;
  faults: Record<FaultKind | 'rateLimited', number>;
  /** The last 1000 requests, oldest first. */
  recent: RequestLogEntry[];
  /**
   * Per mount, when each request arrived (ms since the epoch, real clock), in order of arrival:
   * every request, those answered 429 or faulted included, as a gateway counts them. At least the
   * last 100,000 per mount.
   */
  arrivals: Record<string, number[]>;
}

const RECENT = 1000;
const ARRIVALS = 100_000;

export function emptyStats(): SandboxStats {
  return { total: 0, byStatus: {}, byMount: {}, faults: { '429': 0, '5xx': 0, drop: 0, truncate: 0, rateLimited: 0 }, recent: [], arrivals: {} };
}

export function resetStats(stats: SandboxStats): void {
  Object.assign(stats, emptyStats());
}

/** Notes a request's arrival at a mount, before anything else happens to it. */
export function arrived(stats: SandboxStats, mount: string, at: number): void {
  stats.arrivals[mount] ??= [];
  const times = stats.arrivals[mount];
  times.push(at);
  // Trimmed in batches, so that a long run does not move the whole list on every request.
  if (times.length > ARRIVALS + ARRIVALS / 10) times.splice(0, times.length - ARRIVALS);
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
