/** The lines each run prints when it ends. */
import type { RequestSummary } from './figures.js';
import type { ConnectorReport, FloorReport } from './report.js';
import { fixed, mib, num, percent } from './text.js';

export type Say = (line?: string) => void;

export function requestLine(r: RequestSummary): string {
  return `${num(r.requests)} requests (${num(r.served)} served, ${num(r.http429)} answered 429, ${num(r.failed)} failed), ${fixed(r.activeSeconds, 1)} s from the first request to the last response, in flight ${fixed(r.inFlightMean, 1)} on average and ${r.inFlightMax} at most`;
}

export function printConnector(c: ConnectorReport, say: Say): void {
  say(`exit code          ${c.exitCode}${c.errors.length ? `  errors: ${c.errors.join(' | ')}` : ''}`);
  say(
    `records            ${num(c.records)}${c.expected !== undefined ? ` (the API's total: ${num(c.expected)}${c.expected === c.records ? ', all there' : ', MISMATCH'})` : ''}`,
  );
  say(`wall time          ${fixed(c.wallSeconds, 1)} s (connector start to exit)`);
  say(`requests           ${requestLine(c.requests)}`);
  say(
    `throughput         ${num(c.recordsPerSecond)} records/s overall, ${num(c.recordsPerSecondWhileReading)} records/s from first to last record, ${fixed(c.stdoutBytes / 1024 / 1024 / c.wallSeconds, 1)} MB/s of JSON`,
  );
  if (c.cpuSeconds !== undefined)
    say(
      `connector CPU      ${fixed(c.cpuSeconds, 1)} s, ${fixed(c.cpuSeconds / c.wallSeconds)} of a core: ${num(c.recordsPerCpuSecond)} records per CPU-second`,
    );
  say(
    `connector memory   peak RSS ${mib(c.peakRssBytes)}; RSS at 10% / 50% / 90% of the records: ${mib(c.rssAtBytes['10%'])} / ${mib(c.rssAtBytes['50%'])} / ${mib(c.rssAtBytes['90%'])}; heap used at exit ${mib(c.heapUsedAtExitBytes)}`,
  );
}

export function printFloor(f: FloorReport, say: Say): void {
  say(`exit code          ${f.exitCode}${f.failed ? `  ${f.failed} requests failed` : ''}`);
  say(`wall time          ${fixed(f.wallSeconds, 1)} s (floor start to exit)`);
  say(`requests           ${requestLine(f.requests)}; ${num(f.bodyBytes / 1024 / 1024)} MiB of bodies read and discarded`);
  say(`throughput         ${num(f.recordsPerSecond)} records/s (the connector's ${num(f.records)} records over the floor's wall time)`);
  if (f.cpuSeconds !== undefined)
    say(
      `floor CPU          ${fixed(f.cpuSeconds, 1)} s, ${fixed(f.cpuSeconds / f.wallSeconds)} of a core: ${num(f.recordsPerCpuSecond)} records per CPU-second`,
    );
  say(`floor memory       peak RSS ${mib(f.peakRssBytes)}`);
}

export function printEfficiency(label: string, requests: RequestSummary, efficiency: number | undefined, limit: number, say: Say): void {
  say(
    `${label.padEnd(18)} ${num(requests.served)} served in ${fixed(requests.activeSeconds, 1)} s = ${fixed(requests.servedPerSecond)} requests/s of ${limit}: efficiency ${percent(efficiency)}, ${requests.http429} answered 429`,
  );
}
