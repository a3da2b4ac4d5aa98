/**
 * One way to run the connector and read what it printed, whichever way it runs:
 *
 * - `runInProcess(argv)`: `run()` of src/connector.ts in this process, stdout captured in memory;
 * - `runCli(argv)`: the built CLI (`node dist/main.js`) as a child process, as the platform runs it;
 * - `runImage(image, argv)`: the container image, `sh -c "$AIRBYTE_ENTRYPOINT …"` as the platform runs it.
 *
 * Each resolves to a `ConnectorOutput`: the exit code, the stdout lines and messages, the lines that
 * are not JSON, stderr, and accessors per stream (records, states, statuses, errors). `inProcess()`,
 * `cli()` and `image()` wrap them in the shape of the Python CDK's `entrypoint_wrapper`:
 * `read(config, catalog, state)` writes the inputs to files, runs, and returns the output.
 */
import { spawn } from 'node:child_process';
import { chmodSync, createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { type Readable, Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { run, type ConnectorIO } from '../../src/connector.js';
import type {
  AirbyteCatalog,
  AirbyteConnectionStatus,
  AirbyteErrorTraceMessage,
  AirbyteEstimateTraceMessage,
  AirbyteMessage,
  AirbyteStateMessage,
  ConfiguredAirbyteCatalog,
  ConfiguredAirbyteStream,
  ConnectorSpecification,
} from '../../src/protocol/generated.js';
import { Output } from '../../src/protocol/output.js';
import { CONNECTOR_MAIN } from '../paths.js';

type Row = Record<string, unknown>;

// ─── What a run printed ──────────────────────────────────────────────────────────────────────────

/** A run's exit code and output, with accessors for what tests and tools read out of it. */
export class ConnectorOutput {
  readonly code: number;
  /** Every non-empty stdout line, raw, as the platform reads them. */
  readonly lines: string[];
  /** The lines that parse as JSON objects, in order (whether they are valid AirbyteMessages is for a protocol check to say). */
  readonly messages: AirbyteMessage[];
  /** The stdout lines that are not JSON objects: a connector must print none. */
  readonly strays: string[];
  readonly stderr: string;
  /** When each of `messages` came out (epoch ms), where the run noted it. */
  readonly times: readonly number[] | undefined;

  constructor(init: { code: number; lines?: string[]; messages?: AirbyteMessage[]; strays?: string[]; stderr?: string; times?: number[] }) {
    this.code = init.code;
    this.messages = init.messages ?? [];
    this.times = init.times;
    this.lines = init.lines ?? this.messages.map((m) => JSON.stringify(m));
    this.strays = init.strays ?? [];
    this.stderr = init.stderr ?? '';
  }

  /** Splits stdout into lines and parses each; `lineTimes`, where given, says when each non-empty line came out. */
  static parse(stdout: string, code: number, stderr = '', lineTimes?: readonly number[]): ConnectorOutput {
    const lines = stdout.split('\n').filter((line) => line !== '');
    const { messages, strays, at } = parseLines(lines);
    return new ConnectorOutput({ code, lines, messages, strays, stderr, ...(lineTimes ? { times: at.map((i) => lineTimes[i] as number) } : {}) });
  }

  /** stdout, its empty lines left out. */
  get stdout(): string {
    return this.lines.join('\n');
  }

  /**
   * Some of the messages alone, as `Array.slice` picks them: e.g. `slice(0, n)` to read the states a
   * platform would hold had the run stopped after n messages.
   */
  slice(start?: number, end?: number): ConnectorOutput {
    return new ConnectorOutput({ code: this.code, messages: this.messages.slice(start, end), stderr: this.stderr });
  }

  /** The records' data, of one stream or of all, in emission order. */
  records(stream?: string): Row[] {
    return this.messages
      .filter((m) => m.type === 'RECORD' && m.record && (stream === undefined || m.record.stream === stream))
      .map((m) => m.record!.data as Row);
  }

  /** The records' data by stream, streams in order of their first record. */
  recordsByStream(): Map<string, Row[]> {
    const byStream = new Map<string, Row[]>();
    for (const m of this.messages) {
      if (m.type !== 'RECORD' || !m.record) continue;
      const list = byStream.get(m.record.stream) ?? [];
      list.push(m.record.data as Row);
      byStream.set(m.record.stream, list);
    }
    return byStream;
  }

  /** STATE messages, of one stream or of all, in order. */
  states(stream?: string): AirbyteStateMessage[] {
    return this.messages
      .filter((m) => m.type === 'STATE' && m.state && (stream === undefined || streamOfState(m.state) === stream))
      .map((m) => m.state as AirbyteStateMessage);
  }

  /** The last STATE of every stream, as the per-stream list the platform passes back with `--state`. */
  finalStates(): AirbyteStateMessage[] {
    const last = new Map<string, AirbyteStateMessage>();
    for (const state of this.states()) last.set(streamOfState(state), state);
    return [...last.values()].map(({ type, stream }) => ({ type, stream }) as AirbyteStateMessage);
  }

  /** The state blob a stream committed last (undefined if it committed none). */
  committedState(stream: string): Row | undefined {
    return this.finalStates().find((s) => streamOfState(s) === stream)?.stream?.stream_state as Row | undefined;
  }

  /** Positions in `messages` of a stream's intermediate STATEs (its last STATE closes the stream). */
  checkpoints(stream: string): number[] {
    const positions = this.messages.flatMap((m, index) => (m.type === 'STATE' && m.state && streamOfState(m.state) === stream ? [index] : []));
    return positions.slice(0, -1);
  }

  /** A stream's statuses, in order: STARTED, RUNNING, COMPLETE or INCOMPLETE. */
  statuses(stream: string): string[] {
    return this.messages
      .filter((m) => m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS' && m.trace.stream_status?.stream_descriptor.name === stream)
      .map((m) => m.trace!.stream_status!.status);
  }

  /** When a stream's RATE_LIMITED statuses said its quota resets (epoch ms), in order. */
  rateLimited(stream: string): number[] {
    return this.messages.flatMap((m) => {
      const status = m.type === 'TRACE' ? m.trace?.stream_status : undefined;
      if (status?.stream_descriptor.name !== stream) return [];
      return (status.reasons ?? []).flatMap((reason) => (reason.type === 'RATE_LIMITED' ? [reason.rate_limited?.quota_reset ?? Number.NaN] : []));
    });
  }

  /**
   * The longest time (ms) without a RECORD or STATE, the only messages the platform counts as signs of
   * life, from the first message to the last; needs the run's `times`.
   */
  longestSilence(): number {
    if (!this.times) throw new Error('this run did not note when its messages came out');
    let last = this.times[0] ?? 0;
    let longest = 0;
    this.messages.forEach((m, i) => {
      const at = this.times?.[i] as number;
      if (m.type !== 'RECORD' && m.type !== 'STATE' && i !== this.messages.length - 1) return;
      longest = Math.max(longest, at - last);
      last = at;
    });
    return longest;
  }

  /** Error traces, in order. */
  errors(): AirbyteErrorTraceMessage[] {
    return this.messages.filter((m) => m.type === 'TRACE' && m.trace?.type === 'ERROR' && m.trace.error).map((m) => m.trace!.error!);
  }

  /** Estimate traces, in order. */
  estimates(): AirbyteEstimateTraceMessage[] {
    return this.messages.filter((m) => m.type === 'TRACE' && m.trace?.type === 'ESTIMATE' && m.trace.estimate).map((m) => m.trace!.estimate!);
  }

  /** Log lines' messages, in order. */
  logs(): string[] {
    return this.messages.filter((m) => m.type === 'LOG').map((m) => m.log?.message as string);
  }

  /** Messages other than logs: what a command answers. */
  answers(): AirbyteMessage[] {
    return this.messages.filter((m) => m.type !== 'LOG');
  }

  spec(): ConnectorSpecification | undefined {
    return this.messages.find((m) => m.type === 'SPEC')?.spec;
  }

  connectionStatus(): AirbyteConnectionStatus | undefined {
    return this.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
  }

  /** The catalog `discover` printed; throws, with what was printed instead, when there is none. */
  catalog(): AirbyteCatalog {
    const catalog = this.messages.find((m) => m.type === 'CATALOG')?.catalog;
    if (!catalog) throw new Error(`discover printed no catalog (exit ${this.code}): ${this.stdout.slice(0, 2000)} ${this.stderr.slice(0, 2000)}`);
    return catalog;
  }
}

const streamOfState = (state: AirbyteStateMessage): string => state.stream?.stream_descriptor.name ?? '';

/** The messages and the stray lines; `at` has each message's position among the lines. */
function parseLines(lines: string[]): { messages: AirbyteMessage[]; strays: string[]; at: number[] } {
  const messages: AirbyteMessage[] = [];
  const strays: string[] = [];
  const at: number[] = [];
  lines.forEach((line, index) => {
    const message = parseLine(line);
    if (message) {
      messages.push(message);
      at.push(index);
    } else strays.push(line);
  });
  return { messages, strays, at };
}

function parseLine(line: string): AirbyteMessage | undefined {
  try {
    const value: unknown = JSON.parse(line);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as AirbyteMessage) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Per stream, the rules STATE messages obey: at least one, the final one after the last record, no
 * two identical consecutive ones, and each sourceStats.recordCount equal to the records emitted since
 * the previous STATE. With `completeOnly`, streams that did not complete need no STATE. Returns the
 * problems found (empty when all is well).
 */
export function stateProblems(output: ConnectorOutput, streams: string[], options: { completeOnly?: boolean } = {}): string[] {
  const problems: string[] = [];
  for (const stream of streams) {
    let since = 0;
    let previous: string | undefined;
    let states = 0;
    for (const message of output.messages) {
      if (message.type === 'RECORD' && message.record?.stream === stream) since++;
      if (message.type !== 'STATE' || !message.state || streamOfState(message.state) !== stream) continue;
      states++;
      const blob = JSON.stringify(message.state.stream?.stream_state ?? null);
      if (blob === previous) problems.push(`${stream}: two identical consecutive states ${blob}`);
      previous = blob;
      const count = message.state.sourceStats?.recordCount;
      if (count !== since) problems.push(`${stream}: state ${states} says recordCount ${String(count)}, but ${since} records came since the previous state`);
      since = 0;
    }
    const complete = output.statuses(stream).includes('COMPLETE');
    if (complete || !options.completeOnly) {
      if (states === 0) problems.push(`${stream}: no STATE`);
      if (complete && since > 0) problems.push(`${stream}: ${since} records after the last STATE`);
    }
  }
  return problems;
}

// ─── Configured catalogs ─────────────────────────────────────────────────────────────────────────

export interface CatalogOptions {
  /** Incremental (the default) configures every stream that supports it incrementally, on its default cursor; full_refresh configures none. */
  mode?: 'incremental' | 'full_refresh';
  /** Only these streams, in the catalog's order (default: every stream). */
  streams?: readonly string[];
  /** Streams configured full_refresh whatever `mode` says. */
  fullRefresh?: readonly string[];
  /**
   * The destination sync mode: `append` for every stream (the default), or `dedup` as a platform
   * sets it up (append_dedup for incremental streams with a primary key, append for those without,
   * overwrite for full refresh).
   */
  destination?: 'append' | 'dedup';
}

/** Configures the streams of a discovered catalog, with their primary keys. */
export function configuredCatalog(catalog: AirbyteCatalog, options: CatalogOptions = {}): ConfiguredAirbyteCatalog {
  const { mode = 'incremental', streams, fullRefresh = [], destination = 'append' } = options;
  return {
    streams: catalog.streams
      .filter((stream) => !streams || streams.includes(stream.name))
      .map((stream): ConfiguredAirbyteStream => {
        const incremental = mode === 'incremental' && (stream.supported_sync_modes ?? []).includes('incremental') && !fullRefresh.includes(stream.name);
        const keyed = (stream.source_defined_primary_key ?? []).length > 0;
        const destinationSyncMode = destination === 'append' ? 'append' : incremental ? (keyed ? 'append_dedup' : 'append') : 'overwrite';
        // The key order of the catalogs scripts/generate-catalogs.mjs commits.
        return {
          stream,
          sync_mode: incremental ? 'incremental' : 'full_refresh',
          ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
          destination_sync_mode: destinationSyncMode,
          ...(keyed ? { primary_key: stream.source_defined_primary_key } : {}),
        } as ConfiguredAirbyteStream;
      }),
  };
}

/** The streams of a configured catalog with these names. */
export function onlyStreams(catalog: ConfiguredAirbyteCatalog, names: readonly string[]): ConfiguredAirbyteCatalog {
  return { streams: catalog.streams.filter((s) => names.includes(s.stream.name)) };
}

// ─── Input files ─────────────────────────────────────────────────────────────────────────────────

export type Command = 'spec' | 'check' | 'discover' | 'read';

/** What a command reads: each becomes a file and its flag (`--config`, `--catalog`, `--state`). A string is written as is. */
export interface Inputs {
  config?: unknown;
  catalog?: unknown;
  state?: unknown;
}

/** A temporary folder for the files a command reads, readable by anyone (the image runs as uid 1000); `dispose` removes it. */
export class Files {
  readonly dir = mkdtempSync(join(tmpdir(), 'spm-test-'));
  private count = 0;

  constructor() {
    chmodSync(this.dir, 0o755);
  }

  /** Writes a file (JSON unless a string) and returns its path. */
  write(name: string, content: unknown): string {
    const path = join(this.dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content), { mode: 0o644 });
    return path;
  }

  /** Writes the inputs, under names no earlier call used, and returns their flags. */
  flags(inputs: Inputs): string[] {
    const n = ++this.count;
    return (['config', 'catalog', 'state'] as const).flatMap((key) =>
      inputs[key] === undefined ? [] : [`--${key}`, this.write(`${key}-${n}.json`, inputs[key])],
    );
  }

  /** The argv of a command with these inputs. */
  argv(command: Command, inputs: Inputs = {}): string[] {
    return [command, ...this.flags(inputs)];
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

// ─── In process ──────────────────────────────────────────────────────────────────────────────────

export interface MemoryOutput {
  stdout: Writable;
  /** The connector's protocol Output on `stdout`, for tests that drive the engine directly. */
  output: Output;
  /** What was written so far. */
  text(): string;
  lines(): string[];
  messages(): AirbyteMessage[];
  /** What was written so far, as the output of a run that exited with `code`. */
  result(code: number): ConnectorOutput;
}

/** A stdout that keeps what is written to it in memory. */
export function memoryOutput(): MemoryOutput {
  let text = '';
  // When each line came out: a write may hold several.
  const lineTimes: number[] = [];
  const stdout = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      const written = chunk.toString();
      text += written;
      const now = Date.now();
      for (const line of written.split('\n').slice(0, -1)) if (line !== '') lineTimes.push(now);
      callback();
    },
  });
  const result = (code: number) => ConnectorOutput.parse(text, code, '', lineTimes);
  return {
    stdout,
    output: new Output(stdout),
    text: () => text,
    lines: () => result(0).lines,
    messages: () => result(0).messages,
    result,
  };
}

/**
 * Runs a command in this process, as `main.ts` does, on the production transport unless one is given
 * (e.g. `mswTransport`), with any other of the connector's in-process hooks (a stop signal, a time scale).
 */
export async function runInProcess(argv: string[], options: Omit<ConnectorIO, 'stdout'> = {}): Promise<ConnectorOutput> {
  const memory = memoryOutput();
  const code = await run(argv, { ...options, stdout: memory.stdout });
  return memory.result(code);
}

// ─── Child processes ─────────────────────────────────────────────────────────────────────────────

export interface ProcessOptions {
  /** Killed after this long (default 50 s; Infinity for no limit); the output says so on stderr. */
  timeoutMs?: number;
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Called with each message as it arrives. */
  onMessage?: (message: AirbyteMessage) => void;
  /** Which messages the output keeps (default all); e.g. all but records, for reads too large to hold. */
  keep?: (message: AirbyteMessage) => boolean;
  /** stdout is copied there byte for byte as well. */
  outputFile?: string;
  /**
   * stdout is parsed once the process has exited, not as it comes: a sandbox in this process then
   * has its event loop to itself during the run (it stamps each request's arrival when it gets to it).
   * The times of the messages are then those of the parse, not of their arrival.
   */
  parseAtExit?: boolean;
  /**
   * Raw stdout goes there instead, unparsed (the output then holds no lines): for throughput
   * measurements. A function takes the stream over, resolving once it has been read to its end.
   */
  stdout?: Writable | ((stdout: Readable) => Promise<unknown>);
  /** Called once the process started, e.g. to sample its memory. */
  onStart?: (pid: number | undefined) => void;
  /** On timeout, before the process is killed (e.g. to remove a container). */
  onTimeout?: () => void;
}

/** Runs a program and resolves, when it exits, to its output read as a connector's. */
export function runProcess(program: string, args: string[], options: ProcessOptions = {}): Promise<ConnectorOutput> {
  const timeoutMs = options.timeoutMs ?? 50_000;
  const child = spawn(program, args, { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  options.onStart?.(child.pid);
  const exited = new Promise<number>((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolvePromise(code ?? (signal ? 128 : -1)));
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const file = options.outputFile ? createWriteStream(options.outputFile) : undefined;
  if (file) child.stdout.pipe(file);

  const lines: string[] = [];
  const messages: AirbyteMessage[] = [];
  const times: number[] = [];
  const strays: string[] = [];
  let read: Promise<unknown>;
  if (typeof options.stdout === 'function') {
    read = options.stdout(child.stdout);
    // Awaited once the process has exited: a consumer that fails before then is reported there.
    read.catch(() => undefined);
  } else if (options.stdout) {
    child.stdout.pipe(options.stdout);
    read = finished(options.stdout);
  } else {
    const take = (line: string) => {
      if (line === '') return;
      const message = parseLine(line);
      if (!message) {
        strays.push(line);
        lines.push(line);
        return;
      }
      options.onMessage?.(message);
      if (options.keep && !options.keep(message)) return;
      lines.push(line);
      messages.push(message);
      times.push(Date.now());
    };
    if (options.parseAtExit) {
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      read = finished(child.stdout).then(() => {
        for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) take(line.replace(/\r$/, ''));
      });
    } else {
      const reader = createInterface({ input: child.stdout, crlfDelay: Infinity });
      reader.on('line', take);
      read = new Promise((resolvePromise) => reader.once('close', resolvePromise));
    }
  }

  let timedOut = false;
  const timer = Number.isFinite(timeoutMs)
    ? setTimeout(() => {
        timedOut = true;
        options.onTimeout?.();
        child.kill('SIGKILL');
      }, timeoutMs)
    : undefined;
  // Whoever runs this goes away (Ctrl-C, an exit): the connector goes with it.
  const stop = () => child.kill('SIGTERM');
  process.once('exit', stop);
  return (async () => {
    try {
      const code = await exited;
      await read;
      if (file) await finished(file);
      if (timedOut) stderr += `\n(killed after ${timeoutMs} ms)`;
      return new ConnectorOutput({ code, lines, messages, strays, stderr, ...(options.stdout ? {} : { times }) });
    } finally {
      clearTimeout(timer);
      process.off('exit', stop);
    }
  })();
}

/** Runs the built CLI (`node [nodeArgs] dist/main.js argv`) as the platform does. */
export function runCli(argv: string[], options: ProcessOptions & { nodeArgs?: string[] } = {}): Promise<ConnectorOutput> {
  return runProcess(process.execPath, [...(options.nodeArgs ?? []), CONNECTOR_MAIN, ...argv], options);
}

let containers = 0;
const INPUT_FLAGS = new Set(['--config', '--catalog', '--state']);
const shellQuote = (word: string) => (/^[\w./:=@-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`);

/**
 * The `docker` arguments that run the image as the platform does: `sh -c "$AIRBYTE_ENTRYPOINT argv"`
 * as uid 1000, every capability dropped, a read-only root with a /tmp, the input files' folders
 * mounted read-only under /inputs (their paths in argv changed to match), and the host network (so
 * an in-process sandbox on 127.0.0.1 is reachable).
 */
export function imageArguments(image: string, argv: string[], container: string): string[] {
  const folders: string[] = [];
  const inContainer = argv.map((arg, i) => {
    if (i === 0 || !INPUT_FLAGS.has(argv[i - 1] as string)) return arg;
    const folder = dirname(arg);
    if (!folders.includes(folder)) folders.push(folder);
    return `/inputs/${folders.indexOf(folder)}/${arg.slice(folder.length + 1)}`;
  });
  return [
    'run',
    '--rm',
    '--name',
    container,
    '--network',
    'host',
    '--user',
    '1000',
    '--cap-drop',
    'ALL',
    '--security-opt',
    'no-new-privileges',
    '--read-only',
    '--tmpfs',
    '/tmp',
    ...folders.flatMap((folder, i) => ['-v', `${folder}:/inputs/${i}:ro`]),
    '--entrypoint',
    'sh',
    image,
    // Expanded by the container's sh, exactly like the platform's `sh -c "$AIRBYTE_ENTRYPOINT …"`.
    '-c',
    `$AIRBYTE_ENTRYPOINT ${inContainer.map(shellQuote).join(' ')}`,
  ];
}

/** Runs the image as the platform does (see `imageArguments`); on timeout the container is removed. */
export function runImage(image: string, argv: string[], options: Omit<ProcessOptions, 'onTimeout'> = {}): Promise<ConnectorOutput> {
  const container = `spm-harness-${process.pid}-${++containers}`;
  return runProcess('docker', imageArguments(image, argv, container), {
    ...options,
    onTimeout: () => void spawn('docker', ['rm', '-f', container], { stdio: 'ignore' }),
  });
}

/** Runs docker with arguments (inspect, diff, one-off runs) and returns its exit code and output. */
export async function docker(argv: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const memory = memoryOutput();
  const output = await runProcess('docker', argv, { timeoutMs, stdout: memory.stdout });
  return { code: output.code, stdout: memory.text(), stderr: output.stderr };
}

// ─── The connector as a function of its inputs ───────────────────────────────────────────────────

/** The connector run one way, its commands taking their inputs as values (written to files for each run). */
export interface Connector {
  /** 'in-process', 'cli' or 'image', for test names. */
  readonly name: string;
  run(command: Command, inputs?: Inputs, options?: { timeoutMs?: number }): Promise<ConnectorOutput>;
  spec(): Promise<ConnectorOutput>;
  check(config: unknown): Promise<ConnectorOutput>;
  discover(config: unknown): Promise<ConnectorOutput>;
  read(config: unknown, catalog: unknown, state?: unknown): Promise<ConnectorOutput>;
}

function connector(name: string, exec: (argv: string[], options: { timeoutMs?: number }) => Promise<ConnectorOutput>): Connector {
  const runCommand = async (command: Command, inputs: Inputs = {}, options: { timeoutMs?: number } = {}) => {
    const files = new Files();
    try {
      return await exec(files.argv(command, inputs), options);
    } finally {
      files.dispose();
    }
  };
  return {
    name,
    run: runCommand,
    spec: () => runCommand('spec'),
    check: (config) => runCommand('check', { config }),
    discover: (config) => runCommand('discover', { config }),
    read: (config, catalog, state) => runCommand('read', { config, catalog, state }),
  };
}

/** The connector in this process (see `runInProcess`). */
export function inProcess(options: Omit<ConnectorIO, 'stdout'> = {}): Connector {
  return connector('in-process', (argv) => runInProcess(argv, options));
}

/** The built CLI (see `runCli`). */
export function cli(options: Omit<ProcessOptions, 'timeoutMs'> = {}): Connector {
  return connector('cli', (argv, limits) => runCli(argv, { ...options, ...limits }));
}

/** The image (see `runImage`). */
export function image(name: string): Connector {
  return connector('image', (argv, limits) => runImage(name, argv, limits));
}
