/**
 * The benchmark's figures against the targets, the closing table, and the JSON document
 * `--json` writes. Pure: values in, text or data out.
 */
import { table } from '../demo/format.js';
import type { RequestSummary } from './figures.js';

export type Unit = 'records/s' | 'ratio' | 'share' | 'bytes' | 'count' | 'seconds';

export interface Target {
  op: '>=' | '<=';
  value: number;
}

/** One figure of the closing table: what it is, its value and, where the issue sets one, its target. */
export interface Figure {
  /** Stable across runs, to compare two documents by: e.g. `fanout.leapsome.efficiency`. */
  id: string;
  label: string;
  unit: Unit;
  /** undefined when it could not be measured (a run failed, a section was not run). */
  value: number | undefined;
  target?: Target;
  /** Whether the value meets the target; undefined without a target or a value. */
  met?: boolean;
}

export function judge(value: number | undefined, target: Target | undefined): boolean | undefined {
  if (value === undefined || target === undefined || Number.isNaN(value)) return undefined;
  return target.op === '>=' ? value >= target.value : value <= target.value;
}

export function figure(id: string, label: string, unit: Unit, value: number | undefined, target?: Target): Figure {
  const met = judge(value, target);
  return { id, label, unit, value, ...(target ? { target } : {}), ...(met === undefined ? {} : { met }) };
}

const MiB = 1024 * 1024;

export function formatValue(value: number | undefined, unit: Unit): string {
  if (value === undefined || Number.isNaN(value)) return '–';
  switch (unit) {
    case 'records/s':
      return `${Math.round(value).toLocaleString('en-US')}/s`;
    case 'ratio':
      return `${value.toFixed(2)}×`;
    case 'share':
      return `${(value * 100).toFixed(1)}%`;
    case 'bytes':
      return `${(value / MiB).toFixed(0)} MiB`;
    case 'count':
      return Math.round(value).toLocaleString('en-US');
    case 'seconds':
      return `${value.toFixed(1)} s`;
  }
}

export function formatTarget(target: Target | undefined, unit: Unit): string {
  return target ? `${target.op === '>=' ? '≥' : '≤'} ${formatValue(target.value, unit)}` : '';
}

/** The closing table: figure, target, value, met. */
export function summaryTable(figures: readonly Figure[]): string[] {
  const rows = figures.map((f) => [
    f.label,
    formatTarget(f.target, f.unit),
    formatValue(f.value, f.unit),
    f.met === undefined ? (f.target ? '?' : '') : f.met ? 'met' : 'NOT MET',
  ]);
  return table([{ title: 'figure' }, { title: 'target' }, { title: 'value', align: 'right' }, { title: '' }], rows);
}

/** Whether every figure with a target met it (a figure without a value has not). */
export function targetsMet(figures: readonly Figure[]): boolean {
  return figures.every((f) => f.target === undefined || f.met === true);
}

/** How a child process (the connector, the floor) fared, as measured from outside and by its own resourceUsage. */
export interface ProcessReport {
  exitCode: number;
  /** Spawn to exit. */
  wallSeconds: number;
  /** User + system CPU time of the process. */
  cpuSeconds: number | undefined;
  peakRssBytes: number | undefined;
}

export interface ConnectorReport extends ProcessReport {
  streams: string[];
  records: number;
  /** The API's own total (TRACE ESTIMATE), for a one-stream read where the endpoint reports one. */
  expected: number | undefined;
  recordsPerSecond: number;
  /** From the first to the last record. */
  recordsPerSecondWhileReading: number | undefined;
  recordsPerCpuSecond: number | undefined;
  stdoutBytes: number;
  /** RSS when 10%, 50% and 90% of the records had gone through (sampled, Linux only). */
  rssAtBytes: Record<'10%' | '50%' | '90%', number | undefined>;
  heapUsedAtExitBytes: number | undefined;
  errors: string[];
  requests: RequestSummary;
}

export interface FloorReport extends ProcessReport {
  /** The records the same pages hold (the connector's count). */
  records: number;
  recordsPerSecond: number;
  recordsPerCpuSecond: number | undefined;
  /** Requests sent (retries included), bytes of body read and discarded, requests that got no answer other than 429 or 5xx. */
  sent: number;
  bodyBytes: number;
  failed: number;
  concurrency: number;
  /** The pace: at most `limit` requests start in any `windowMs`, evenly spaced. */
  limit: number;
  windowMs: number;
  requests: RequestSummary;
}

export interface ThroughputReport {
  stream: string;
  scale: number;
  requestsPerSecond: number;
  pageSize: number;
  concurrency: number;
  connector: ConnectorReport;
  floor: FloorReport | undefined;
  /** connector ÷ floor: wall time, CPU seconds per record; floor ÷ connector: nothing (records/s is the inverse of wall). */
  ratios: { wallTime: number | undefined; cpuPerRecord: number | undefined };
  /**
   * Every pair of runs (connector, then floor), when there were several: `connector`, `floor` and
   * `ratios` above are the pair with the median wall-time ratio.
   */
  pairs?: Array<{ connector: ConnectorReport; floor: FloorReport | undefined; ratios: ThroughputReport['ratios'] }>;
}

export interface MemoryRun {
  records: number;
  scale: number;
  peakRssBytes: number | undefined;
  wallSeconds: number;
  requests: number;
  exitCode: number;
}

export interface MemoryReport {
  stream: string;
  small: MemoryRun;
  large: MemoryRun;
  /** Peak RSS of the large run over the small one's, minus 1. */
  growth: number | undefined;
}

export interface FanoutSide {
  requests: RequestSummary;
  /** Served requests ÷ (active seconds × limit). */
  efficiency: number | undefined;
}

export interface FanoutReport {
  vendor: string;
  streams: string[];
  scale: number;
  latencyMs: number;
  /** The limit the sandbox enforced (sliding window) and efficiency is measured against, requests per second. */
  limit: number;
  limitBasis: string;
  /** The API's mount, whose requests count. */
  mount: string;
  connector: ConnectorReport & FanoutSide;
  floor: (FloorReport & FanoutSide) | undefined;
  /** Connector efficiency ÷ paced floor efficiency. */
  efficiencyVsFloor: number | undefined;
}

export interface BenchReport {
  /** Bumped when a field changes meaning. */
  version: 1;
  startedAt: string;
  finishedAt: string;
  machine: { node: string; platform: string; arch: string; cpus: number; cpuModel: string; loadAverage: number[]; totalMemoryBytes: number };
  options: Record<string, unknown>;
  throughput: ThroughputReport | undefined;
  memory: MemoryReport[];
  fanout: FanoutReport[];
  figures: Figure[];
  /** Every run finished and read what it should have. */
  runsOk: boolean;
  problems: string[];
  /** Every figure with a target met it. */
  targetsMet: boolean;
}
