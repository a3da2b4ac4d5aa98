import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { parseConfig } from './config.js';
import { buildCatalog, resolveConfiguredCatalog } from './engine/catalog.js';
import { ConnectorError, describe, failureTypeOf, HttpError, NetworkError } from './engine/errors.js';
import type { RetryPolicy } from './engine/http/retry.js';
import { pooledTransport, withDeadline, type Transport } from './engine/http/transport.js';
import type { Logger } from './engine/logger.js';
import { parseStateFile } from './engine/state.js';
import { sync } from './engine/sync.js';
import { messages } from './protocol/messages.js';
import { Output } from './protocol/output.js';
import { specification } from './spec.js';
import { runContextOf, secretsOfRawConfig, type RunContext } from './run-context.js';
import { clientsOf, type AnyVendor } from './streams/vendor.js';

export interface ConnectorIO {
  stdout?: Writable;
  /** Replaces the HTTP transport (tests route it through msw). */
  transport?: Transport;
  /** Stops a read between two messages (SIGTERM, SIGINT). */
  signal?: AbortSignal;
  /**
   * Every wait the connector times itself (rate windows, the heartbeat, the pause worth reporting)
   * this many times as long; default 1. Tests set it to match a local server whose quota windows are
   * shortened alike. The CLI never sets it.
   */
  timeScale?: number;
}

interface Arguments {
  command: string | undefined;
  config?: string;
  catalog?: string;
  state?: string;
}

/** Runs one Airbyte command and resolves to the process exit code. */
export async function run(argv: string[], io: ConnectorIO = {}): Promise<number> {
  const output = new Output(io.stdout ?? process.stdout);
  try {
    return await runCommand(argv, io, output);
  } finally {
    // A failed stdout has nowhere left to report to.
    await output.flush().catch(() => undefined);
  }
}

async function runCommand(argv: string[], io: ConnectorIO, output: Output): Promise<number> {
  const logger = outputLogger(output);
  try {
    const args = parseArguments(argv);
    switch (args.command) {
      case 'spec':
        await output.write(messages.spec(specification()));
        return 0;
      case 'check':
        return await check(await loadConfig(args, output), output, logger, io);
      case 'discover': {
        const run = await loadConfig(args, output);
        await output.write(messages.catalog(buildCatalog(run.vendor.streams(run.platform, run.settings))));
        return 0;
      }
      case 'read':
        return await read(args, output, logger, io);
      default:
        throw new ConnectorError(
          `Unknown command ${args.command ? `"${args.command}"` : '(none)'}. Use spec, check --config FILE, discover --config FILE or read --config FILE --catalog FILE [--state FILE].`,
          'config_error',
        );
    }
  } catch (error) {
    await output.write(
      messages.error({
        message: error instanceof ConnectorError ? error.message : `The connector failed: ${describe(error)}`,
        internalMessage: describe(error),
        ...(error instanceof Error && error.stack ? { stackTrace: error.stack } : {}),
        failureType: failureTypeOf(error),
      }),
    );
    return 1;
  }
}

async function check(run: RunContext, output: Output, logger: Logger, io: ConnectorIO): Promise<number> {
  const { apis, close } = connect(run, output, logger, io, { retry: run.checkRetry, timeoutMs: run.checkTimeoutMs, deadlineMs: run.checkTimeoutMs });
  try {
    await run.vendor.check(apis, run.platform);
    await output.write(messages.connectionStatus({ status: 'SUCCEEDED' }));
  } catch (error) {
    await output.write(messages.connectionStatus({ status: 'FAILED', message: checkFailure(run.vendor, error) }));
  } finally {
    await close();
  }
  return 0;
}

async function read(args: Arguments, output: Output, logger: Logger, io: ConnectorIO): Promise<number> {
  const run = await loadConfig(args, output);
  const catalog = await loadJson(args.catalog, '--catalog', true);
  const stateFile = args.state === undefined ? undefined : await loadJson(args.state, '--state', true, { emptyIsAbsent: true });
  const { entries: streams } = resolveConfiguredCatalog(catalog, run.vendor.streams(run.platform, run.settings));
  // A state the connector cannot read at all stops the read before any record; one stream's
  // unreadable blob fails that stream alone, when its turn comes.
  const states = parseStateFile(stateFile);

  const { apis, close } = connect(run, output, logger, io, { retry: run.retry, timeoutMs: run.requestTimeoutMs, deadlineMs: run.requestDeadlineMs });
  try {
    const failed = await sync(
      {
        reader: { apis, logger, concurrency: run.concurrency },
        output,
        logger,
        vendor: run.vendor.title,
        ...(run.startDate ? { startDate: run.startDate } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
        requestsPerHour: run.requestsPerHour,
        ...(io.timeScale === undefined ? {} : { timeScale: io.timeScale }),
        waits: (listener) => {
          const stops = clientsOf(apis).map((api) => api.addWaitListener(listener));
          return () => {
            for (const stop of stops) stop();
          };
        },
      },
      streams,
      states,
    );
    if (failed.length > 0) logger.error(`${failed.length} stream(s) failed: ${failed.join(', ')}.`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    // Stopped: requests still in flight are abandoned, not waited for.
    if (!io.signal?.aborted) await close();
  }
}

/**
 * The vendor's API clients over one pooled transport. Every request has a total deadline besides the
 * pool's idle timeouts, after which it is retried like a network error; `check` passes shorter
 * retries and limits.
 */
function connect(run: RunContext, output: Output, logger: Logger, io: ConnectorIO, limits: { retry: RetryPolicy; timeoutMs: number; deadlineMs: number }) {
  const pooled = io.transport ? undefined : pooledTransport({ timeoutMs: limits.timeoutMs });
  const transport = io.transport ?? (pooled as NonNullable<typeof pooled>).transport;
  const apis: object = run.vendor.apis(run.platform, {
    transport: withDeadline(transport, limits.deadlineMs),
    retry: limits.retry,
    logger,
    settings: run.settings,
    addSecret: (secret) => output.redactor.add(secret),
    ...(io.timeScale === undefined ? {} : { timeScale: io.timeScale }),
  });
  const close = async () => {
    await Promise.all(clientsOf(apis).map((api) => api.close()));
    await pooled?.close();
  };
  return { apis, close };
}

function checkFailure(vendor: AnyVendor, error: unknown): string {
  if (error instanceof ConnectorError) return error.message;
  if (error instanceof HttpError) {
    if (error.status === 401 || error.status === 403) {
      return `${vendor.title} rejected the credentials (HTTP ${error.status}). Check the API key (and any optional token) in the configuration.`;
    }
    return `${vendor.title} answered HTTP ${error.status} to ${error.method} ${error.path}. ${error.bodySnippet}`.trim();
  }
  if (error instanceof NetworkError) {
    return `Could not reach ${vendor.title} (${error.reason}). Check the base URL and the network.`;
  }
  return `The connection check failed: ${describe(error)}`;
}

/** Reads the config once into the run's context; no output shows its secrets from then on. */
async function loadConfig(args: Arguments, output: Output): Promise<RunContext> {
  const raw = await loadJson(args.config, '--config', true);
  // Before validating: an error about the config must not echo a secret either.
  for (const secret of secretsOfRawConfig(raw)) output.redactor.add(secret);
  const run = runContextOf(parseConfig(raw));
  for (const secret of run.secrets) output.redactor.add(secret);
  return run;
}

async function loadJson(path: string | undefined, flag: string, required: boolean, options: { emptyIsAbsent?: boolean } = {}): Promise<unknown> {
  if (path === undefined) {
    if (required) throw new ConnectorError(`Missing ${flag} FILE.`, 'config_error');
    return undefined;
  }
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConnectorError(`Cannot read the ${flag} file ${path}: ${(error as NodeJS.ErrnoException).code ?? describe(error)}.`, 'config_error');
  }
  // The platform passes an empty state file for a connection that has never synced.
  if (options.emptyIsAbsent && text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the text around the error; in a config that text can be a secret, which the
    // redactor cannot know yet (the config did not parse), so only the position is told.
    const reason = flag === '--config' ? /at position \d+(?: \(line \d+ column \d+\))?/.exec(describe(error))?.[0] : describe(error);
    throw new ConnectorError(`The ${flag} file ${path} is not valid JSON${reason ? `: ${reason}` : ''}.`, 'config_error');
  }
}

function parseArguments(argv: string[]): Arguments {
  const args: Arguments = { command: undefined };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (!token.startsWith('--')) {
      args.command ??= token;
      continue;
    }
    const [flag, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    // Unknown flags (--debug and the like) are accepted and ignored, as the platform may pass them.
    if (flag !== 'config' && flag !== 'catalog' && flag !== 'state') continue;
    const value = inline ?? argv[i + 1];
    if (inline === undefined) i++;
    if (value === undefined || value.startsWith('--')) {
      throw new ConnectorError(`--${flag} needs a file path.`, 'config_error');
    }
    args[flag] = value;
  }
  return args;
}

function outputLogger(output: Output): Logger {
  return {
    info: (message) => void output.write(messages.log('INFO', message)),
    warn: (message) => void output.write(messages.log('WARN', message)),
    error: (message, stack) => void output.write(messages.log('ERROR', message, stack)),
  };
}
