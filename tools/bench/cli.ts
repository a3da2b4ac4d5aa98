#!/usr/bin/env node
/**
 * Benchmark: one large stream read by the real connector CLI from the in-process sandbox, stdout
 * piped into a counting sink. Prints throughput, wall time, the connector's CPU time, and its memory
 * over the read (sampled from /proc) and at its peak (its own resourceUsage), to show that memory
 * stays flat however many records go through.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sandboxConnectorConfig } from '../demo/configs.js';
import type { AirbyteMessage } from '../../src/protocol/generated.js';
import { startSandbox } from '../sandbox/index.js';
import { configuredCatalog, runCli } from '../testing/harness.js';
import { CountingSink } from './counting-sink.js';
import { readMemory, type MemorySample } from './memory.js';
import { USAGE_FILE_VARIABLE } from './usage-report.js';

// Loaded by the connector's process (node --import) to report its resource usage: compiled beside this file.
const USAGE_REPORT = pathToFileURL(resolve(import.meta.dirname, 'usage-report.js')).href;

interface Options {
  stream: string;
  records: number;
  scale: number | undefined;
  rps: number;
  pageSize: number;
  seed: number;
  json: boolean;
}

const HELP = `Usage: npm run bench [-- options]

  --stream NAME     Leapsome stream to read (default timesheets)
  --records N       records to aim for; sets the sandbox scale (default 1000000)
  --scale X         sandbox scale, instead of --records
  --rps N           the connector's requests_per_second (default 100, the config's maximum)
  --page-size N     the connector's page_size (default 1000, the API maximum)
  --seed N          sandbox seed (default 42)
  --json            print the result as one JSON object as well
`;

function parse(argv: string[]): Options | 'help' {
  const options: Options = { stream: 'timesheets', records: 1_000_000, scale: undefined, rps: 100, pageSize: 1000, seed: 42, json: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--json') {
      options.json = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const n = Number(value);
    const positive = () => {
      if (!(Number.isFinite(n) && n > 0)) throw new Error(`${flag} expects a positive number, got "${value}"`);
      return n;
    };
    if (flag === '--stream') options.stream = value;
    else if (flag === '--records') options.records = positive();
    else if (flag === '--scale') options.scale = positive();
    else if (flag === '--rps') options.rps = Math.min(100, positive());
    else if (flag === '--page-size') options.pageSize = Math.min(1000, Math.trunc(positive()));
    else if (flag === '--seed') options.seed = Math.trunc(n);
    else throw new Error(`unknown option ${flag} (see --help)`);
  }
  return options;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const num = (n: number) => Math.round(n).toLocaleString('en-US');

async function main(): Promise<number> {
  const options = parse(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  const say = (line = '') => process.stdout.write(`${line}\n`);

  // The scale that gives about --records records: measured on scale 1, where counting is cheap.
  let scale = options.scale;
  if (scale === undefined) {
    const probe = await startSandbox({ seed: options.seed, scale: 1 });
    const perScale = [...probe.truthIterator('leapsome', options.stream)].length;
    await probe.close();
    if (perScale === 0) throw new Error(`the sandbox has no records for ${options.stream}`);
    scale = Math.max(0.001, Math.round((options.records / perScale) * 1000) / 1000);
  }

  const sb = await startSandbox({ seed: options.seed, scale });
  const work = mkdtempSync(join(tmpdir(), 'spm-bench-'));
  try {
    const config = join(work, 'config.json');
    writeFileSync(
      config,
      JSON.stringify(sandboxConnectorConfig(sb, 'leapsome', { requestsPerSecond: options.rps, pageSize: options.pageSize, concurrency: 8 })),
    );
    const discovered = await runCli(['discover', '--config', config]);
    if (discovered.stderr.trim()) process.stderr.write(discovered.stderr);
    const catalog = discovered.catalog();
    const configured = configuredCatalog(catalog, { mode: 'full_refresh', streams: [options.stream] });
    if (configured.streams.length === 0) throw new Error(`no stream ${options.stream}; streams: ${catalog.streams.map((s) => s.name).join(', ')}`);
    const catalogFile = join(work, 'catalog.json');
    writeFileSync(catalogFile, JSON.stringify(configured));

    say(`Benchmark: Leapsome ${options.stream}, full refresh, sandbox scale ${scale} (seed ${options.seed}, in this process at ${sb.url})`);
    say(`connector: node dist/main.js read, requests_per_second ${options.rps}, page_size ${options.pageSize}; stdout → a counting sink`);
    say();

    const sink = new CountingSink();
    const usageFile = join(work, 'usage.json');
    let pid: number | undefined;
    const started = Date.now();
    // stdout goes to the sink unparsed: parsing every record would measure the benchmark, not the connector.
    const read = runCli(['read', '--config', config, '--catalog', catalogFile], {
      nodeArgs: ['--import', USAGE_REPORT],
      env: { [USAGE_FILE_VARIABLE]: usageFile },
      stdout: sink,
      timeoutMs: Number.POSITIVE_INFINITY,
      onStart: (started) => (pid = started),
    });

    const samples: MemorySample[] = [];
    let lastPrinted = 0;
    say('  elapsed     records    records/s      RSS');
    const sampler = setInterval(() => {
      const memory = pid === undefined ? undefined : readMemory(pid);
      const at = Date.now() - started;
      if (memory) samples.push({ at, ...memory, records: sink.records });
      if (at - lastPrinted >= 5000) {
        lastPrinted = at;
        say(
          `  ${(at / 1000).toFixed(0).padStart(5)} s  ${num(sink.records).padStart(10)}  ${num((sink.records / at) * 1000).padStart(11)}  ${memory ? mb(memory.rss).padStart(7) : '      ?'}`,
        );
      }
    }, 250);
    const { code, stderr } = await read.finally(() => clearInterval(sampler));
    const wall = Date.now() - started;

    const usage = existsSync(usageFile) ? parseUsage(readFileSync(usageFile, 'utf8')) : undefined;
    const traces = sink.traces as AirbyteMessage[];
    const estimate = traces.find((m) => m.trace?.type === 'ESTIMATE')?.trace?.estimate?.row_estimate;
    const errors = traces.filter((m) => m.trace?.type === 'ERROR').map((m) => m.trace?.error?.message);
    const reading = sink.firstRecordAt && sink.lastRecordAt ? sink.lastRecordAt - sink.firstRecordAt : wall;
    const peak = usage ? usage.resourceUsage.maxRSS * 1024 : Math.max(0, ...samples.map((s) => s.peak));
    const at = (share: number) => samples.find((s) => s.records >= share * sink.records)?.rss;
    const cpu = usage ? (usage.resourceUsage.userCPUTime + usage.resourceUsage.systemCPUTime) / 1e6 : undefined;

    const result = {
      stream: options.stream,
      scale,
      exitCode: code,
      records: sink.records,
      expected: estimate,
      wallSeconds: wall / 1000,
      recordsPerSecond: (sink.records / wall) * 1000,
      recordsPerSecondWhileReading: reading > 0 ? (sink.records / reading) * 1000 : undefined,
      stdoutBytes: sink.bytes,
      requests: sb.stats.total,
      connectorCpuSeconds: cpu,
      recordsPerConnectorCpuSecond: cpu ? sink.records / cpu : undefined,
      connectorPeakRssBytes: peak,
      rssAt: { '10%': at(0.1), '50%': at(0.5), '90%': at(0.9) },
      errors,
    };

    say();
    say(`exit code          ${code}${errors.length ? `  errors: ${errors.join(' | ')}` : ''}`);
    say(
      `records            ${num(sink.records)}${estimate !== undefined ? ` (the API's total: ${num(estimate)}${estimate === sink.records ? ', all there' : ', MISMATCH'})` : ''}`,
    );
    say(`wall time          ${(wall / 1000).toFixed(1)} s (connector start to exit), ${sb.stats.total} requests`);
    say(
      `throughput         ${num(result.recordsPerSecond)} records/s overall, ${num(result.recordsPerSecondWhileReading ?? 0)} records/s from first to last record, ${(sink.bytes / 1024 / 1024 / (wall / 1000)).toFixed(1)} MB/s of JSON`,
    );
    if (cpu !== undefined) {
      const share = ((cpu / wall) * 1000).toFixed(2);
      say(
        `connector CPU      ${cpu.toFixed(1)} s, ${share} of a core: ${num(sink.records / cpu)} records per CPU-second (otherwise it waits for the sandbox and the rate limit)`,
      );
    }
    say(
      `connector memory   peak RSS ${mb(peak)}; RSS at 10% / 50% / 90% of the records: ${[0.1, 0.5, 0.9].map((s) => (at(s) ? mb(at(s) as number) : '?')).join(' / ')}`,
    );
    if (usage) say(`                   at exit: heap used ${mb(usage.memoryUsage.heapUsed)}, heap total ${mb(usage.memoryUsage.heapTotal)}`);
    if (options.json) say(JSON.stringify(result));
    if (stderr.trim()) process.stderr.write(stderr);
    return code === 0 && errors.length === 0 && (estimate === undefined || estimate === sink.records) ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
    await sb.close();
  }
}

interface Usage {
  resourceUsage: NodeJS.ResourceUsage;
  memoryUsage: NodeJS.MemoryUsage;
}

function parseUsage(text: string): Usage | undefined {
  try {
    return JSON.parse(text) as Usage;
  } catch {
    return undefined;
  }
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`The benchmark failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
