import { readFile } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { CHECK_TIMEOUT_MS, checkRetryPolicyOf, parseConfig, retryPolicyOf, settingsOf, type Config } from './config.js';
import { buildCatalog, resolveConfiguredCatalog } from './engine/catalog.js';
import { ConnectorError, describe, failureTypeOf, HttpError, NetworkError } from './engine/errors.js';
import type { ApiClient } from './engine/http/client.js';
import type { RetryPolicy } from './engine/http/retry.js';
import { pooledTransport, withDeadline, type Transport } from './engine/http/transport.js';
import type { Logger } from './engine/logger.js';
import { parseStateFile } from './engine/state.js';
import { sync } from './engine/sync.js';
import { messages } from './protocol/messages.js';
import { Output } from './protocol/output.js';
import { specification } from './spec.js';
import { vendorOf } from './streams/index.js';
import type { Vendor } from './streams/vendor.js';


export interface ConnectorIO {
  stdout?: Writable;
  /** Replaces the HTTP transport (tests route it through msw). */
  transport?: Transport;
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
        const config = await loadConfig(args, output);
        const vendor = vendorOf(config.platform.vendor);
        await output.write(messages.catalog(buildCatalog(vendor.streams(config.platform, settingsOf(config)))));
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

async function check(config: Config, output: Output, logger: Logger, io: ConnectorIO): Promise<number> {
  const { vendor, apis, close } = connect(config, output, logger, io, {
    retry: checkRetryPolicyOf(config),
    timeoutMs: Math.min((config.request_timeout_seconds ?? 60) * 1000, CHECK_TIMEOUT_MS),
  });
  try {
    await vendor.check(apis, config.platform);
    await output.write(messages.connectionStatus({ status: 'SUCCEEDED' }));
  } catch (error) {
    await output.write(messages.connectionStatus({ status: 'FAILED', message: checkFailure(vendor, error) }));
  } finally {
    await close();
  }
  return 0;
}

async function read(args: Arguments, output: Output, logger: Logger, io: ConnectorIO): Promise<number> {
  const config = await loadConfig(args, output);
  const catalog = await loadJson(args.catalog, '--catalog', true);
  const stateFile = args.state === undefined ? undefined : await loadJson(args.state, '--state', true, { emptyIsAbsent: true });
  const vendor = vendorOf(config.platform.vendor);
  const { entries: streams } = resolveConfiguredCatalog(catalog, vendor.streams(config.platform, settingsOf(config)));
  // A state the connector cannot read at all stops the read before any record; one stream's
  // unreadable blob fails that stream alone, when its turn comes.
  const states = parseStateFile(stateFile);

  const { apis, close } = connect(config, output, logger, io);
  try {
    const failed = await sync(
      {
        reader: { apis, logger, concurrency: config.concurrency ?? 4, config: config.platform },
        output,
        logger,
        vendor: vendor.title,
        ...(config.start_date ? { startDate: config.start_date } : {}),
      },
      streams,
      states,
    );
    if (failed.length > 0) logger.error(`${failed.length} stream(s) failed: ${failed.join(', ')}.`);
    return failed.length > 0 ? 1 : 0;
  } finally {
    await close();
  }
}

/** `check` passes a short retry policy and a deadline per request; `read` uses the config's. */
function connect(config: Config, output: Output, logger: Logger, io: ConnectorIO, limits: { retry?: RetryPolicy; timeoutMs?: number } = {}) {
  const vendor = vendorOf(config.platform.vendor);
  for (const secret of vendor.secrets(config.platform)) output.redactor.add(secret);
  const pooled = io.transport ? undefined : pooledTransport({ timeoutMs: limits.timeoutMs ?? (config.request_timeout_seconds ?? 60) * 1000 });
  const transport = io.transport ?? (pooled as NonNullable<typeof pooled>).transport;
  const apis: Map<string, ApiClient> = vendor.apis(config.platform, {
    transport: limits.timeoutMs === undefined ? transport : withDeadline(transport, limits.timeoutMs),
    retry: limits.retry ?? retryPolicyOf(config),
    logger,
    settings: settingsOf(config),
    addSecret: (secret) => output.redactor.add(secret),
  });
  const close = async () => {
    await Promise.all([...apis.values()].map((api) => api.close()));
    await pooled?.close();
  };
  return { vendor, apis, close };
}

function checkFailure(vendor: Vendor, error: unknown): string {
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

async function loadConfig(args: Arguments, output: Output): Promise<Config> {
  const raw = await loadJson(args.config, '--config', true);
  // Register every string of the raw config before validating: an error must not echo a secret.
  collectSecrets(raw, output);
  return parseConfig(raw);
}

function collectSecrets(raw: unknown, output: Output): void {
  const platform = (raw as { platform?: Record<string, unknown> } | null)?.platform;
  if (!platform || typeof platform !== 'object') return;
  for (const key of ['api_key', 'scim_token', 'password', 'token']) {
    const value = platform[key];
    if (typeof value === 'string') output.redactor.add(value);
  }
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
