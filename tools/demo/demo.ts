import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { vendorOf } from '../../src/streams/index.js';
import { describeLimits } from '../../src/streams/vendor.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../sandbox/index.js';
import { demoScale, type DemoOptions } from './args.js';
import { configuredCatalog, runCli, type ConnectorOutput } from '../testing/harness.js';
import { sandboxConnectorConfig } from './configs.js';
import { seconds, type Style, type Terminal } from './format.js';
import { ReadProgress } from './progress.js';
import { describeMutation, reportChanges, reportTruth, wrap } from './reports.js';
import { RecordKeys } from './verify.js';
import { ProgressView, summaryTable } from './view.js';

interface Io {
  out: Terminal;
  style: Style;
  /** Extra sandbox settings (faults, missing permissions), for tests of the demo itself. */
  sandbox?: SandboxOptions;
}

/** The whole demo; resolves to the exit code (non-zero when a read fails or a check does not hold). */
export async function runDemo(options: DemoOptions, io: Io): Promise<number> {
  const { out, style } = io;
  const say = (line = '') => out.write(`${line}\n`);
  const step = (title: string, detail = '') => say(`${style.bold(style.cyan('▸'))} ${style.bold(title.padEnd(10))} ${detail}`);
  const path = (file: string) => relative(process.cwd(), file) || file;
  const began = Date.now();
  const { vendor } = options;
  mkdirSync(options.outDir, { recursive: true });
  const file = (name: string) => join(options.outDir, `${vendor}-${name}`);

  say(style.bold(`source-performance-management: a demo against the local ${vendor} sandbox`));
  say(style.dim('No credentials and no network: the sandbox imitates the vendor API on 127.0.0.1.'));
  say();

  const { scale, why } = demoScale(options);
  const sb = await startSandbox({ ...io.sandbox, seed: options.seed, scale });
  try {
    step('sandbox', `${sb.url}  (seed ${options.seed}, scale ${scale})`);
    if (why) say(style.dim(`           ${why}`));

    const config = sandboxConnectorConfig(sb, vendor, { requestsPerSecond: options.requestsPerSecond, concurrency: 8 });
    const configFile = file('config.json');
    writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`);
    step('config', path(configFile));
    if (options.requestsPerSecond !== undefined) {
      say(
        style.yellow(
          `           requests_per_second = ${options.requestsPerSecond}, instead of the connector's own pace (${describeLimits(vendorOf(vendor))}): fine for a sandbox only.`,
        ),
      );
      say(style.dim('           Against a real account leave it unset (or run this demo with --rps 0 to see the real pace).'));
    }

    // discover
    const discoverStarted = Date.now();
    const discovered = await runCli(['discover', '--config', configFile]);
    const catalog = discovered.messages.find((m) => m.type === 'CATALOG')?.catalog;
    if (!catalog || discovered.code !== 0) {
      step('discover', style.red(`failed (exit ${discovered.code})`));
      for (const error of discovered.errors()) say(style.red(`           ${error.message}`));
      if (discovered.stderr) say(style.dim(discovered.stderr.trim()));
      return 1;
    }
    // Every stream, incremental where it can be, else full refresh.
    const configured = configuredCatalog(catalog);
    const catalogFile = file('catalog.json');
    writeFileSync(catalogFile, `${JSON.stringify(configured, null, 2)}\n`);
    const incrementalCount = configured.streams.filter((s) => s.sync_mode === 'incremental').length;
    step(
      'discover',
      `${configured.streams.length} streams: ${incrementalCount} incremental, ${configured.streams.length - incrementalCount} full refresh → ${path(catalogFile)}  ${style.dim(seconds(Date.now() - discoverStarted))}`,
    );
    say();

    // read 1: everything
    step('read #1', `full history of every stream → ${path(file('read-1.jsonl'))}`);
    const first = await read(sb, options, io, configured, file('read-1.jsonl'));
    const exact = reportTruth(io, sb, vendor, first.progress, first.keys);
    let ok = first.ok && exact;
    if (!first.ok) return fail(io, first.run, first.progress);
    const state = first.run.finalStates();
    const stateFile = file('state.json');
    writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
    say(`  The last STATE of each stream is saved → ${path(stateFile)}`);
    say();

    // the sandbox changes
    const summary = sb.mutate({ updates: 3, inserts: 2, vendors: [vendor] });
    step('change', 'the sandbox edits some records and creates others, timestamped now (sandbox.mutate())');
    for (const line of wrap(describeMutation(summary, vendor), (out.columns ?? 100) - 12)) say(style.dim(`           ${line}`));
    say();

    // read 2: only what changed
    step('read #2', `incremental, from the saved state → ${path(file('read-2.jsonl'))}`);
    const second = await read(sb, options, io, configured, file('read-2.jsonl'), stateFile);
    for (const line of summaryTable(second.progress, style)) say(`  ${line}`);
    say();
    if (!second.ok) return fail(io, second.run, second.progress);
    writeFileSync(file('state-2.json'), `${JSON.stringify(second.run.finalStates(), null, 2)}\n`);
    ok = reportChanges(io, sb, vendor, configured, state, summary, second.keys) && ok;
    say();
    say(
      `${ok ? style.green('Done') : style.red('Done, with failed checks')} in ${seconds(Date.now() - began)}. Messages, catalog, config and states are in ${path(options.outDir)}/.`,
    );
    return ok ? 0 : 1;
  } finally {
    await sb.close();
  }
}

interface ReadOutcome {
  ok: boolean;
  /** What the read printed, records left out (they are in the output file, and counted in `keys`). */
  run: ConnectorOutput;
  progress: ReadProgress;
  keys: RecordKeys;
}

async function read(
  sb: Sandbox,
  options: DemoOptions,
  io: Io,
  catalog: ConfiguredAirbyteCatalog,
  outputFile: string,
  stateFile?: string,
): Promise<ReadOutcome> {
  const progress = new ReadProgress(catalog);
  const keys = new RecordKeys(sb, options.vendor, catalog);
  const view = new ProgressView(io.out, progress, io.style);
  const args = ['read', '--config', join(options.outDir, `${options.vendor}-config.json`), '--catalog', join(options.outDir, `${options.vendor}-catalog.json`)];
  if (stateFile) args.push('--state', stateFile);
  view.start();
  let run: ConnectorOutput;
  try {
    run = await runCli(args, {
      outputFile,
      // No time limit: a read at a large scale takes as long as it takes.
      timeoutMs: Number.POSITIVE_INFINITY,
      onMessage: (message: AirbyteMessage) => {
        progress.observe(message);
        keys.observe(message);
      },
      keep: (message) => message.type !== 'RECORD',
    });
  } finally {
    progress.finish();
    view.stop();
  }
  io.out.write('\n');
  const ok = run.code === 0 && progress.failed.length === 0 && progress.errors.length === 0;
  return { ok, run, progress, keys };
}

function fail(io: Io, run: ConnectorOutput, progress: ReadProgress): number {
  const { out, style } = io;
  out.write(style.red(`  ✗ The read failed (exit code ${run.code}).\n`));
  for (const error of progress.errors) out.write(style.red(`    ${error}\n`));
  for (const stream of progress.streams.values()) for (const error of stream.errors) out.write(style.red(`    ${stream.name}: ${error}\n`));
  if (run.strays.length > 0) out.write(style.red(`    ${run.strays.length} stdout line(s) were not JSON messages, e.g. ${run.strays[0]?.slice(0, 200)}\n`));
  if (run.stderr.trim()) out.write(style.dim(`    stderr: ${run.stderr.trim().slice(0, 2000)}\n`));
  return 1;
}
