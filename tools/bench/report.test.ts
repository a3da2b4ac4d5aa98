import { describe, expect, it } from 'vitest';
import type { RequestSummary } from './figures.js';
import {
  figure,
  formatValue,
  judge,
  summaryTable,
  targetsMet,
  type Figure,
  type ConnectorReport,
  type FanoutReport,
  type MemoryReport,
  type ThroughputReport,
} from './report.js';
import { benchFigures, TARGETS } from './targets.js';

const requests = (over: Partial<RequestSummary> = {}): RequestSummary => ({
  requests: 100,
  served: 100,
  http429: 0,
  failed: 0,
  activeSeconds: 5,
  servedPerSecond: 20,
  inFlightMax: 2,
  inFlightMean: 1,
  ...over,
});

const connector = (over: Partial<ConnectorReport> = {}): ConnectorReport => ({
  streams: ['timesheets'],
  exitCode: 0,
  wallSeconds: 40,
  cpuSeconds: 20,
  peakRssBytes: 140 * 1024 * 1024,
  records: 1_000_000,
  expected: 1_000_000,
  recordsPerSecond: 25_000,
  recordsPerSecondWhileReading: 26_000,
  recordsPerCpuSecond: 50_000,
  stdoutBytes: 1,
  rssAtBytes: { '10%': 1, '50%': 1, '90%': 1 },
  heapUsedAtExitBytes: 1,
  errors: [],
  requests: requests(),
  ...over,
});

describe('targets', () => {
  it('judges a value against its target, and nothing without one', () => {
    expect(judge(0.96, TARGETS.efficiency)).toBe(true);
    expect(judge(0.94, TARGETS.efficiency)).toBe(false);
    expect(judge(0, TARGETS.http429)).toBe(true);
    expect(judge(1, TARGETS.http429)).toBe(false);
    expect(judge(undefined, TARGETS.http429)).toBeUndefined();
    expect(judge(3, undefined)).toBeUndefined();
    expect(figure('a', 'a', 'count', 3)).toEqual({ id: 'a', label: 'a', unit: 'count', value: 3 });
  });

  it('sets every section against the issue’s targets, with stable ids', () => {
    const throughput: ThroughputReport = {
      stream: 'timesheets',
      scale: 3125,
      requestsPerSecond: 100,
      pageSize: 1000,
      concurrency: 8,
      connector: connector(),
      floor: undefined,
      ratios: { wallTime: 1.5, cpuPerRecord: 3 },
    };
    const memory: MemoryReport[] = [
      {
        stream: 'timesheets',
        small: { records: 10_000, scale: 31, peakRssBytes: 100 * 1024 * 1024, wallSeconds: 1, requests: 11, exitCode: 0 },
        large: { records: 1_000_000, scale: 3125, peakRssBytes: 160 * 1024 * 1024, wallSeconds: 40, requests: 1001, exitCode: 0 },
        growth: 0.6,
      },
    ];
    const fanout: FanoutReport[] = [
      {
        vendor: 'leapsome',
        streams: ['goals', 'goal_comments'],
        scale: 0.4,
        latencyMs: 100,
        limit: 20,
        limitBasis: 'documented',
        mount: '/leapsome/v1',
        connector: { ...connector({ requests: requests({ http429: 2 }) }), efficiency: 0.96 },
        floor: undefined,
        efficiencyVsFloor: undefined,
      },
    ];
    const figures = benchFigures({ throughput, memory, fanout });
    const byId = Object.fromEntries(figures.map((f) => [f.id, f]));
    expect(byId['throughput.connector.recordsPerSecond']).toMatchObject({ value: 25_000, met: false });
    // No floor was run (--no-floor): the ratio is not held to its target, so --strict does not fail on it.
    expect(byId['throughput.wallVsFloor']).toMatchObject({ value: 1.5 });
    expect(byId['throughput.wallVsFloor']?.target).toBeUndefined();
    expect(targetsMet([byId['throughput.wallVsFloor'] as Figure])).toBe(true);
    expect(byId['throughput.floor.recordsPerSecond']).toMatchObject({ value: undefined });
    expect(byId['throughput.floor.recordsPerSecond']?.met).toBeUndefined();
    expect(byId['memory.timesheets.peakRss']).toMatchObject({ value: 160 * 1024 * 1024, met: false });
    expect(byId['memory.timesheets.growth']).toMatchObject({ value: 0.6, met: false });
    expect(byId['fanout.leapsome.efficiency']).toMatchObject({ value: 0.96, met: true });
    expect(byId['fanout.leapsome.http429']).toMatchObject({ value: 2, met: false });
    expect(new Set(figures.map((f) => f.id)).size).toBe(figures.length);
    // In the JSON document, a figure has a number or no value, and `met` exactly where it has both a target and a value.
    // (Checked on the figures themselves: a JSON round trip would drop an undefined `met`.)
    for (const f of figures as unknown as Array<Record<string, unknown>>) {
      expect(Object.keys(f).every((k) => ['id', 'label', 'unit', 'value', 'target', 'met'].includes(k))).toBe(true);
      expect(f['value'] === undefined || typeof f['value'] === 'number').toBe(true);
      expect(Object.hasOwn(f, 'met')).toBe(f['target'] !== undefined && f['value'] !== undefined);
    }
  });

  it('counts the targets met: a figure with a target and no value has not met it, one without a target is no target', () => {
    expect(targetsMet([figure('a', 'a', 'share', 0.96, TARGETS.efficiency), figure('b', 'b', 'count', 3)])).toBe(true);
    expect(targetsMet([figure('a', 'a', 'share', 0.94, TARGETS.efficiency)])).toBe(false);
    expect(targetsMet([figure('a', 'a', 'ratio', undefined, TARGETS.wallVsFloor)])).toBe(false);
  });

  it('prints the closing table: figure, target, value, met', () => {
    const lines = summaryTable([
      figure('x', 'efficiency', 'share', 0.9612, TARGETS.efficiency),
      figure('y', 'peak RSS', 'bytes', 151 * 1024 * 1024, TARGETS.peakRss),
      figure('z', 'requests', 'count', 1234),
      figure('w', 'wall ratio', 'ratio', undefined, TARGETS.wallVsFloor),
    ]);
    expect(lines[0]).toMatch(/^figure\s+target\s+value$/);
    expect(lines[1]).toMatch(/^─+ {2}─+ {2}─+ {2}─+$/);
    expect(lines[2]).toMatch(/^efficiency\s+≥ 95\.0%\s+96\.1%\s+met$/);
    expect(lines[3]).toMatch(/^peak RSS\s+≤ 150 MiB\s+151 MiB\s+NOT MET$/);
    expect(lines[4]).toMatch(/^requests\s+1,234$/);
    expect(lines[5]).toMatch(/^wall ratio\s+≤ 1\.30×\s+–\s+\?$/);
    expect(formatValue(27_000.4, 'records/s')).toBe('27,000/s');
    expect(formatValue(12.34, 'seconds')).toBe('12.3 s');
  });
});
