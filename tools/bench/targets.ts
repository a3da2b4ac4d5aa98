/**
 * The targets, and the figures of a benchmark run set against them: the rows of the closing
 * table and of the JSON document's `figures`, in a stable order, with stable ids.
 */
import { figure, type FanoutReport, type Figure, type MemoryReport, type ThroughputReport } from './report.js';

const MiB = 1024 * 1024;

export const TARGETS = {
  /** Records per second of a Leapsome-shaped stream with the rate limit raised. */
  recordsPerSecond: { op: '>=', value: 27_000 },
  /** The connector's wall time over the floor's, on the same pages. */
  wallVsFloor: { op: '<=', value: 1.3 },
  /** Peak RSS of a full read: 150 MiB (binary megabytes, as RSS is reported). */
  peakRss: { op: '<=', value: 150 * MiB },
  /** Peak RSS of the large read over the small one's, minus 1. */
  rssGrowth: { op: '<=', value: 0.2 },
  /** Rate-bound efficiency of a fan-out read. */
  efficiency: { op: '>=', value: 0.95 },
  http429: { op: '<=', value: 0 },
} as const;

const n = (records: number) =>
  records >= 1_000_000 ? `${+(records / 1_000_000).toFixed(2)}M` : records >= 1000 ? `${+(records / 1000).toFixed(1)}k` : `${records}`;

export function benchFigures(parts: { throughput: ThroughputReport | undefined; memory: readonly MemoryReport[]; fanout: readonly FanoutReport[] }): Figure[] {
  const figures: Figure[] = [];
  const t = parts.throughput;
  if (t) {
    const c = t.connector;
    const at = `${t.stream}, ${t.requestsPerSecond} req/s`;
    figures.push(
      figure('throughput.connector.recordsPerSecond', `records/s, connector (${at})`, 'records/s', c.recordsPerSecond, TARGETS.recordsPerSecond),
      figure('throughput.floor.recordsPerSecond', `records/s, floor (${at})`, 'records/s', t.floor?.recordsPerSecond),
      // Without the floor (--no-floor) there is nothing to hold this ratio to.
      figure('throughput.wallVsFloor', 'wall time, connector ÷ floor', 'ratio', t.ratios.wallTime, t.floor ? TARGETS.wallVsFloor : undefined),
      figure('throughput.cpuPerRecordVsFloor', 'CPU per record, connector ÷ floor', 'ratio', t.ratios.cpuPerRecord),
      figure('throughput.connector.recordsPerCpuSecond', 'records per CPU-second, connector', 'records/s', c.recordsPerCpuSecond),
      figure('throughput.floor.recordsPerCpuSecond', 'records per CPU-second, floor', 'records/s', t.floor?.recordsPerCpuSecond),
      figure('throughput.requests', `requests, ${t.stream}`, 'count', c.requests.requests),
      figure('throughput.http429', `429s, ${t.stream}`, 'count', c.requests.http429),
    );
  }
  for (const m of parts.memory) {
    const peak = m.small.peakRssBytes === undefined || m.large.peakRssBytes === undefined ? undefined : Math.max(m.small.peakRssBytes, m.large.peakRssBytes);
    figures.push(
      figure(`memory.${m.stream}.peakRss`, `peak RSS, ${m.stream} (${n(m.large.records)} records)`, 'bytes', peak, TARGETS.peakRss),
      figure(`memory.${m.stream}.growth`, `peak RSS growth, ${m.stream} ${n(m.small.records)} → ${n(m.large.records)}`, 'share', m.growth, TARGETS.rssGrowth),
    );
  }
  for (const f of parts.fanout) {
    figures.push(
      figure(
        `fanout.${f.vendor}.efficiency`,
        `rate-bound efficiency, ${f.vendor} fan-out (limit ${f.limit}/s)`,
        'share',
        f.connector.efficiency,
        TARGETS.efficiency,
      ),
      figure(`fanout.${f.vendor}.http429`, `429s, ${f.vendor} fan-out`, 'count', f.connector.requests.http429, TARGETS.http429),
      figure(`fanout.${f.vendor}.requests`, `requests served, ${f.vendor} fan-out`, 'count', f.connector.requests.served),
      figure(`fanout.${f.vendor}.floorEfficiency`, `rate-bound efficiency, ${f.vendor} paced floor`, 'share', f.floor?.efficiency),
      figure(`fanout.${f.vendor}.vsFloor`, `efficiency, connector ÷ paced floor (${f.vendor})`, 'ratio', f.efficiencyVsFloor),
    );
  }
  return figures;
}
