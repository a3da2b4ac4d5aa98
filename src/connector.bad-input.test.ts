/**
 * Bad input, all at once: the configs, configured catalogs and states a person or a platform can get
 * wrong, for every vendor, through check, discover and read, in this process against the sandbox.
 *
 * What every run must show, and the Airbyte code it follows:
 *
 * - One clear message. A config, catalog or state the connector cannot use is a single TRACE ERROR,
 *   failure_type config_error (the user must fix it), exit code 1, for check as for discover and
 *   read. The Python CDK's check answers a config that fails the spec with CONNECTION_STATUS FAILED
 *   instead (airbytehq/airbyte-python-cdk, airbyte_cdk/entrypoint.py, AirbyteEntrypoint.check), but
 *   this connector's acceptance-test-config.yml declares its malformed configs `status: exception`,
 *   which CAT checks as exactly one TRACE message carrying an error (airbytehq/airbyte,
 *   airbyte-integrations/bases/connector-acceptance-test/connector_acceptance_test/tests/test_core.py,
 *   TestConnection.test_check). A valid config that does not connect (credentials the vendor rejects,
 *   a host that does not answer) is CAT's `status: failed`: exactly one CONNECTION_STATUS FAILED and
 *   no TRACE ERROR, exit 0, as the CDK's check returns normally then.
 * - The stack trace only in the TRACE's own stack_trace field, which AirbyteTracedException fills for
 *   every error it prints (airbyte_cdk/utils/traced_exception.py, as_airbyte_message): never in a
 *   message, an internal_message or a log line; and stdout holds AirbyteMessages and nothing else.
 * - No secret in any output. The secret fields are those the spec marks airbyte_secret, as the CDK
 *   collects them from the spec to mask them (AirbyteEntrypoint.set_up_secret_filter); each case
 *   gives them values of its own, and every line is searched for each of them as is, URL-encoded,
 *   form-encoded, base64 (alone and as an HTTP Basic credential), JSON-escaped, and for its
 *   distinctive core alone, which catches a message that quotes part of it.
 * - A stream the source does not offer, and one stream's unreadable saved state, fail that stream
 *   alone; everything else about a catalog or a state stops the read before any request.
 *
 * start_date in the future is accepted: check and discover succeed, and a read succeeds and reads
 * nothing older than it, so streams with a cursor read nothing until then. That is what Airbyte's
 * declarative connectors do (airbyte_cdk/sources/declarative/incremental/datetime_based_cursor.py:
 * the earliest start is min(start_datetime, now), an empty window), and it lets a connection be set
 * up ahead of the date its data should start from. What must not happen is a cursor committed past
 * the time of the read: the next syncs would then skip what changes in between.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { messageProblems } from '../integration_tests/acceptance/protocol.js';
import { sandboxPlatform, startSandbox, VENDORS, type Sandbox, type Vendor } from '../tools/sandbox/index.js';
import { Files, runInProcess } from '../tools/testing/harness.js';
import type { AirbyteMessage, AirbyteStream } from './protocol/generated.js';
import { specification } from './spec.js';

type Json = Record<string, unknown>;
type Command = 'check' | 'discover' | 'read';

/** The part of JSON Schema the spec uses. */
interface Schema {
  type?: string;
  const?: string;
  format?: string;
  pattern?: string;
  minLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  airbyte_secret?: boolean;
  required?: string[];
  properties?: Record<string, Schema>;
  oneOf?: Schema[];
  items?: Schema;
}

// ─── The spec, read once: the table is built from it ─────────────────────────────────────────────

const connection = specification().connectionSpecification as Schema;
const settings = Object.entries(connection.properties ?? {}).filter(([name]) => name !== 'platform');
const variants = connection.properties?.platform?.oneOf ?? [];

function variantOf(vendor: Vendor): Schema {
  const variant = variants.find((v) => v.properties?.vendor?.const === vendor);
  if (!variant) throw new Error(`the spec has no platform variant for ${vendor}`);
  return variant;
}

/** A vendor's fields, its `vendor` discriminator left out. */
const fieldsOf = (vendor: Vendor): Array<[string, Schema]> => Object.entries(variantOf(vendor).properties ?? {}).filter(([name]) => name !== 'vendor');
const secretFieldsOf = (vendor: Vendor): string[] => fieldsOf(vendor).flatMap(([name, schema]) => (schema.airbyte_secret ? [name] : []));
const SECRET_FIELDS = new Set(VENDORS.flatMap(secretFieldsOf));

// ─── Inputs ──────────────────────────────────────────────────────────────────────────────────────

/** A file's exact text, for inputs that are not JSON at all. */
class Raw {
  constructor(readonly text: string) {}
}
const raw = (text: string) => new Raw(text);

let serial = 0;
/** The alphanumeric core of a case's secret: found anywhere in the output, even in part of a quote, it leaked. */
const coreOf = (vendor: Vendor, field: string, n: number) => `Zq${n}x${vendor}${field.replace(/_/g, '')}S3cr3t`;

/** Every secret field of the vendor set to a value of this case only, with characters every encoding changes. */
function distinctSecrets(vendor: Vendor): Json {
  const n = ++serial;
  return Object.fromEntries(secretFieldsOf(vendor).map((field) => [field, `${coreOf(vendor, field, n)} /+&=%"'`]));
}

/** Fast settings for the sandbox: one attempt per request, no waiting, no pacing to speak of. */
const FAST: Json = { page_size: 1000, requests_per_second: 100, max_retries: 0, retry_base_delay_seconds: 0 };

/** A config with one platform field changed (`undefined` removes it). */
function withField(config: Json, field: string, value: unknown): Json {
  const platform = { ...(config.platform as Json) };
  if (value === undefined) delete platform[field];
  else platform[field] = value;
  return { ...config, platform };
}

function withSetting(config: Json, name: string, value: unknown): Json {
  const out = { ...config };
  if (value === undefined) delete out[name];
  else out[name] = value;
  return out;
}

const configuredStream = (stream: AirbyteStream, mode: 'full_refresh' | 'incremental') => ({
  stream,
  sync_mode: mode,
  destination_sync_mode: mode === 'incremental' ? 'append_dedup' : 'overwrite',
  ...(mode === 'incremental' ? { cursor_field: stream.default_cursor_field } : {}),
  primary_key: stream.source_defined_primary_key,
});

// ─── Running, and what every run must show ───────────────────────────────────────────────────────

const files = new Files();

interface Run {
  code: number;
  lines: string[];
  messages: AirbyteMessage[];
  /** What reached the process's stdout, or the console, around the connector's own output. */
  strays: string[];
}

async function run(command: Command, inputs: { config: unknown; catalog?: unknown; state?: unknown }): Promise<Run> {
  const write = (name: string, content: unknown) => files.write(name, content instanceof Raw ? content.text : JSON.stringify(content));
  const argv = [command, '--config', write('config.json', inputs.config)];
  if (inputs.catalog !== undefined) argv.push('--catalog', write('catalog.json', inputs.catalog));
  if (inputs.state !== undefined) argv.push('--state', write('state.json', inputs.state));
  const { value: output, strays } = await capture(() => runInProcess(argv));
  // Lines the harness could not read as JSON are strays too.
  return { code: output.code, lines: output.lines, messages: output.messages, strays: [...output.strays, ...strays] };
}

/** Runs `fn`, keeping what it writes to the process's stdout or through the console's stdout methods. */
async function capture<T>(fn: () => Promise<T>): Promise<{ value: T; strays: string[] }> {
  const strays: string[] = [];
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      strays.push(String(chunk));
      return true;
    }),
    ...(['log', 'info', 'debug'] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void strays.push(args.join(' '))),
    ),
  ];
  try {
    return { value: await fn(), strays };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

/** Every string of a value, with where it sits. */
function stringsOf(value: unknown, path = ''): Array<[string, string]> {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => stringsOf(item, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, child]) => stringsOf(child, path ? `${path}.${key}` : key));
  return [];
}

/** The secret values of a config wherever they sit, even in a config that is not one. */
function secretsOf(config: unknown): string[] {
  if (config instanceof Raw) return [...config.text.matchAll(/Zq\d+x[a-z0-9]+S3cr3t[^'"]*/gi)].map((m) => m[0]);
  const found: string[] = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (SECRET_FIELDS.has(key) && typeof child === 'string') found.push(child);
        else visit(child);
      }
    }
  };
  visit(config);
  // An empty value hides nothing, and one of a few characters is too common to search for.
  return found.filter((secret) => secret.length >= 4);
}

/** Every way a secret can be spelt in a line of JSON. */
function spellings(secret: string, config: unknown): string[] {
  const plain = [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
    // As the password of HTTP Basic, after any other string of the config taken as the user name.
    ...stringsOf(config).map(([, user]) => Buffer.from(`${user}:${secret}`).toString('base64')),
  ];
  const core = /Zq\d+x[a-z0-9]+S3cr3t/i.exec(secret)?.[0];
  return [...new Set([...plain, ...plain.map((s) => JSON.stringify(s).slice(1, -1)), ...(core ? [core] : [])])];
}

const STACK_FRAME = /^\s*at .+(:\d+:\d+\)?|\(native\))$/m;

/** What every run must show, whatever it is about: protocol messages only, no stack outside its field, no secret. */
function expectClean(result: Run, config: unknown): void {
  expect(result.strays, 'printed outside the protocol').toEqual([]);
  expect(result.lines.length).toBeGreaterThan(0);
  for (const line of result.lines) expect(messageProblems(line)).toEqual([]);
  for (const message of result.messages) {
    for (const [path, text] of stringsOf(message)) {
      if (path === 'trace.error.stack_trace') continue;
      // Records are the vendor's data: a stack frame there is not ours to judge.
      if (message.type === 'RECORD') break;
      expect(text, `${message.type} ${path}`).not.toMatch(STACK_FRAME);
    }
  }
  const secrets = secretsOf(config);
  for (const line of result.lines) {
    for (const secret of secrets) {
      for (const spelling of spellings(secret, config)) {
        if (line.includes(spelling)) expect.fail(`a secret (${secret}) is printed, as "${spelling}", in: ${line.slice(0, 300)}`);
      }
    }
  }
}

const errorsOf = (result: Run) => result.messages.flatMap((m) => (m.type === 'TRACE' && m.trace?.type === 'ERROR' && m.trace.error ? [m.trace.error] : []));
const recordsOf = (result: Run, stream: string) => result.messages.filter((m) => m.type === 'RECORD' && m.record?.stream === stream);
const statusesOf = (result: Run, stream: string) =>
  result.messages.flatMap((m) =>
    m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS' && m.trace.stream_status?.stream_descriptor.name === stream ? [m.trace.stream_status.status] : [],
  );
const shown = (result: Run) => result.lines.join('\n').slice(0, 3000);

/** Exactly one message, a TRACE ERROR config_error saying `says`, exit 1. */
function expectConfigError(result: Run, says: RegExp | string): void {
  expect(
    result.messages.map((m) => (m.type === 'TRACE' ? `TRACE ${m.trace?.type}` : m.type)),
    shown(result),
  ).toEqual(['TRACE ERROR']);
  const error = result.messages[0]?.trace?.error;
  expect(error?.failure_type, shown(result)).toBe('config_error');
  if (typeof says === 'string') expect(error?.message).toContain(says);
  else expect(error?.message).toMatch(says);
  // As the CDK's traces do, it may carry a stack trace, in its own field alone (see expectClean).
  if (error?.stack_trace !== undefined) expect(error.stack_trace).toMatch(STACK_FRAME);
  expect(result.code).toBe(1);
}

/** check: exactly one CONNECTION_STATUS, FAILED and saying `says`, no TRACE ERROR, exit 0. */
function expectCheckFailed(result: Run, says: RegExp): void {
  expect(errorsOf(result), shown(result)).toEqual([]);
  const statuses = result.messages.filter((m) => m.type === 'CONNECTION_STATUS');
  expect(statuses, shown(result)).toHaveLength(1);
  expect(statuses[0]?.connectionStatus?.status).toBe('FAILED');
  expect(statuses[0]?.connectionStatus?.message).toMatch(says);
  expect(
    result.messages.every((m) => m.type === 'CONNECTION_STATUS' || m.type === 'LOG'),
    shown(result),
  ).toBe(true);
  expect(result.code).toBe(0);
}

// ─── The sandbox, and per vendor a valid config and the streams the cases use ────────────────────

let sb: Sandbox;
/** A port nothing listens on: connections are refused at once. */
let closedPort: number;

interface VendorSetup {
  /** The sandbox's platform config, whose credentials it accepts. */
  platform: Json;
  /** A stream with a cursor, its cursor field, a stream without one, and a stream other than the first. */
  incremental: AirbyteStream;
  cursor: string;
  fullRefreshOnly: AirbyteStream;
  other: AirbyteStream;
}
const setups = new Map<Vendor, VendorSetup>();

beforeAll(async () => {
  sb = await startSandbox({ seed: 42, scale: 0.05 });
  const server = createServer();
  closedPort = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  await new Promise<void>((resolve) => server.close(() => resolve()));
  for (const vendor of VENDORS) {
    const platform = sandboxPlatform(sb, vendor);
    const discovered = await runInProcess(['discover', '--config', files.write('config.json', { platform })]);
    const streams = discovered.messages.find((m) => m.type === 'CATALOG')?.catalog?.streams ?? [];
    const incremental = streams.find((s) => s.supported_sync_modes.includes('incremental') && s.default_cursor_field?.length);
    const fullRefreshOnly = streams.find((s) => !s.supported_sync_modes.includes('incremental'));
    const other = streams.find((s) => s !== incremental);
    if (!incremental || !fullRefreshOnly || !other) throw new Error(`${vendor}: no streams to test with`);
    setups.set(vendor, { platform, incremental, cursor: (incremental.default_cursor_field ?? []).join('.'), fullRefreshOnly, other });
  }
});

afterAll(async () => {
  await sb?.close();
  files.dispose();
});

function setup(vendor: Vendor): VendorSetup {
  const found = setups.get(vendor);
  if (!found) throw new Error('set up in beforeAll');
  return found;
}

/** A config the sandbox accepts. */
const validConfig = (vendor: Vendor, extra: Json = {}): Json => ({ platform: setup(vendor).platform, ...FAST, ...extra });

/** The same with secrets of this case only: nothing reaches the vendor with them, or the vendor rejects them. */
const distinctConfig = (vendor: Vendor, extra: Json = {}): Json => {
  const config = validConfig(vendor, extra);
  return { ...config, platform: { ...(config.platform as Json), ...distinctSecrets(vendor) } };
};

/** A catalog any valid config can be read with (an invalid config stops the read before it matters). */
const catalogOf = (vendor: Vendor) => ({ streams: [configuredStream(setup(vendor).incremental, 'incremental')] });

// ─── The config table ────────────────────────────────────────────────────────────────────────────

interface ConfigCase {
  name: string;
  /** The bad input, from a valid config holding this case's secrets. */
  make: (config: Json) => unknown;
  /** What the message must say: the field's path for a value the schema refuses. */
  says: RegExp | string;
}

/** Values of the wrong JSON type for a field of this schema. */
function wrongTypes(schema: Schema): Array<[string, unknown]> {
  switch (schema.type) {
    case 'string':
      return [
        ['a number', 12345678],
        ['a boolean', true],
        ['an object', { value: 'x' }],
      ];
    case 'integer':
    case 'number':
      return [
        ['a numeric string', String(schema.maximum ?? 1)],
        ['a boolean', true],
        ['a list', [1]],
      ];
    case 'array':
      return [
        ['a string', 'not a list'],
        ['an object', { 0: 'x' }],
      ];
    default:
      return [['a list', []]];
  }
}

/** Numbers out of the schema's range, and fractions where it wants whole numbers. */
function outOfRange(schema: Schema): Array<[string, number]> {
  const cases: Array<[string, number]> = [];
  if (schema.minimum !== undefined) cases.push([`below its minimum ${schema.minimum}`, schema.minimum - 1]);
  if (schema.exclusiveMinimum !== undefined) {
    cases.push([`at its exclusive minimum ${schema.exclusiveMinimum}`, schema.exclusiveMinimum]);
    cases.push([`below its exclusive minimum ${schema.exclusiveMinimum}`, schema.exclusiveMinimum - 1]);
  }
  if (schema.maximum !== undefined) {
    cases.push([`above its maximum ${schema.maximum}`, schema.maximum + 1]);
    cases.push([`far above its maximum ${schema.maximum}`, 1e12]);
  }
  if (schema.type === 'integer') cases.push(['not a whole number', (schema.minimum ?? 0) + 1.5]);
  return cases;
}

const MALFORMED_URLS: Array<[string, string]> = [
  ['not a URL', 'not a url'],
  ['without a scheme', 'api.example.com/v1'],
  ['with an ftp scheme', 'ftp://api.example.com/v1'],
  ['a mailto address', 'mailto:admin@example.com'],
  ['a file URL', 'file:///etc/passwd'],
  ['a javascript URL', 'javascript:alert(1)'],
  ['a scheme without a host', 'https://'],
  ['an http URL with one slash', 'http:/api.example.com'],
  ['a host with a space', 'https://api example.com/v1'],
];

const BAD_START_DATES: Array<[string, unknown]> = [
  ['a word', 'yesterday'],
  ['month 13', '2020-13-01T00:00:00Z'],
  ['February 30', '2020-02-30T00:00:00Z'],
  ['hour 25', '2020-01-01T25:00:00Z'],
  ['a date without a time', '2020-01-01'],
  ['a time without a zone', '2020-01-01T00:00:00'],
  ['a US-style date', '01/02/2020'],
  ['an empty string', ''],
  ['a Unix timestamp', 1577836800],
];

function configCases(vendor: Vendor): ConfigCase[] {
  const variant = variantOf(vendor);
  const fields = fieldsOf(vendor);
  const firstSecret = secretFieldsOf(vendor)[0] as string;
  const cases: ConfigCase[] = [
    // The file itself.
    {
      name: 'a config file that is not JSON, quoting the secret in single quotes',
      make: (c) => raw(`{"platform": {"vendor": "${vendor}", "${firstSecret}": '${String((c.platform as Json)[firstSecret])}'}}`),
      says: /--config file .* is not valid JSON/,
    },
    { name: 'a config file cut short', make: (c) => raw(JSON.stringify(c).slice(0, -4)), says: /--config file .* is not valid JSON/ },
    { name: 'an empty config file', make: () => raw(''), says: /--config file .* is not valid JSON/ },
    { name: 'a config that is a list', make: (c) => [c], says: /expected object, received array/ },
    { name: 'a config that is a string', make: () => vendor, says: /expected object, received string/ },
    { name: 'a config that is null', make: () => null, says: /expected object, received null/ },
    { name: 'a config that is a number', make: () => 42, says: /expected object, received number/ },
    // The platform block.
    { name: 'no platform', make: (c) => withSetting(c, 'platform', undefined), says: /at platform$/m },
    { name: 'a platform that is a string', make: (c) => ({ ...c, platform: vendor }), says: /expected object, received string\n.*at platform/ },
    { name: 'a platform that is null', make: (c) => ({ ...c, platform: null }), says: /received null\n.*at platform/ },
    { name: 'a platform that is a list', make: (c) => ({ ...c, platform: [c.platform] }), says: /received array\n.*at platform/ },
    { name: 'no vendor', make: (c) => withField(c, 'vendor', undefined), says: 'platform.vendor' },
    { name: 'an unknown vendor', make: (c) => withField(c, 'vendor', 'lattice'), says: /'leapsome' \| 'reflektive' \| 'pe365'[\s\S]*platform\.vendor/ },
    { name: 'the vendor in capitals', make: (c) => withField(c, 'vendor', vendor.toUpperCase()), says: 'platform.vendor' },
    { name: 'an empty vendor', make: (c) => withField(c, 'vendor', ''), says: 'platform.vendor' },
    { name: 'a vendor that is a number', make: (c) => withField(c, 'vendor', 1), says: 'platform.vendor' },
  ];
  // Each field of the vendor's variant.
  for (const field of variant.required ?? []) {
    if (field === 'vendor') continue;
    cases.push({ name: `no ${field} (required)`, make: (c) => withField(c, field, undefined), says: `platform.${field}` });
  }
  for (const [field, schema] of fields) {
    if (schema.minLength !== undefined) cases.push({ name: `an empty ${field}`, make: (c) => withField(c, field, ''), says: `platform.${field}` });
    for (const [what, value] of wrongTypes(schema))
      cases.push({ name: `${field} that is ${what}`, make: (c) => withField(c, field, value), says: `platform.${field}` });
    if (schema.format === 'uri') {
      for (const [what, url] of MALFORMED_URLS)
        cases.push({ name: `${field} ${what}: ${url}`, make: (c) => withField(c, field, url), says: `platform.${field}` });
    }
    if (schema.type === 'array' && schema.items?.type === 'string') {
      cases.push({ name: `${field} holding a number`, make: (c) => withField(c, field, [42]), says: `platform.${field}[0]` });
      if (schema.items.format || schema.items.pattern) {
        cases.push({ name: `${field} holding a malformed item`, make: (c) => withField(c, field, ['not-a-valid-one']), says: `platform.${field}[0]` });
      }
    }
    if (schema.type === 'number' || schema.type === 'integer') {
      for (const [what, value] of outOfRange(schema))
        cases.push({ name: `${field} ${what}: ${value}`, make: (c) => withField(c, field, value), says: `platform.${field}` });
    }
  }
  // The settings every vendor shares.
  for (const [name, schema] of settings) {
    if (schema.type === 'number' || schema.type === 'integer') {
      for (const [what, value] of outOfRange(schema))
        cases.push({ name: `${name} ${what}: ${value}`, make: (c) => withSetting(c, name, value), says: `at ${name}` });
    }
    for (const [what, value] of wrongTypes(schema))
      cases.push({ name: `${name} that is ${what}`, make: (c) => withSetting(c, name, value), says: `at ${name}` });
  }
  for (const [what, value] of BAD_START_DATES)
    cases.push({ name: `start_date that is ${what}: ${JSON.stringify(value)}`, make: (c) => withSetting(c, 'start_date', value), says: 'at start_date' });
  return cases;
}

/** A date-time a year from now, as the spec's pattern writes it. */
const NEXT_YEAR = new Date(Date.now() + 366 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');

// ─── The tests ───────────────────────────────────────────────────────────────────────────────────

describe('the checks themselves', () => {
  it('the secret scan finds a secret in every spelling, and a quote of part of it', () => {
    const secret = `${coreOf('pe365', 'api_key', 0)} /+&=%"'`;
    const config = { platform: { vendor: 'pe365', username: 'someone', api_key: secret } };
    const leaks = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      Buffer.from(secret).toString('base64'),
      Buffer.from(`someone:${secret}`).toString('base64'),
      `${coreOf('pe365', 'api_key', 0)} /+`,
    ];
    for (const leak of leaks) {
      const message = { type: 'LOG', log: { level: 'INFO', message: `answered ${leak} back` } } as AirbyteMessage;
      const line = JSON.stringify(message);
      expect(() => expectClean({ code: 0, lines: [line], messages: [message], strays: [] }, config), leak).toThrow(/a secret .* is printed/);
    }
  });

  it('a stack frame outside stack_trace is caught, and the stack in its own field is not', () => {
    const stack = new Error('boom').stack ?? '';
    expect(stack).toMatch(STACK_FRAME);
    const error = { failure_type: 'system_error', message: 'boom' };
    const own = { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { ...error, stack_trace: stack } } } as AirbyteMessage;
    expect(() => expectClean({ code: 1, lines: [JSON.stringify(own)], messages: [own], strays: [] }, {})).not.toThrow();
    const leaked = { type: 'TRACE', trace: { type: 'ERROR', emitted_at: 1, error: { ...error, internal_message: stack } } } as AirbyteMessage;
    expect(() => expectClean({ code: 1, lines: [JSON.stringify(leaked)], messages: [leaked], strays: [] }, {})).toThrow();
  });

  it('what is printed outside the protocol is caught', async () => {
    const { strays } = await capture(async () => {
      process.stdout.write('half a line\n');
      console.log('a debug print');
    });
    expect(strays).toEqual(['half a line\n', 'a debug print']);
  });
});

describe('the table covers what the spec declares', () => {
  it('every numeric setting the spec declares is bounded, so the table has values out of its range', () => {
    const numeric = [...settings, ...VENDORS.flatMap(fieldsOf)].filter(([, s]) => s.type === 'number' || s.type === 'integer');
    expect(numeric.map(([name]) => name)).toEqual(
      expect.arrayContaining(['page_size', 'requests_per_second', 'concurrency', 'max_retries', 'retry_base_delay_seconds', 'request_timeout_seconds']),
    );
    for (const [name, schema] of numeric) expect(outOfRange(schema).length, name).toBeGreaterThanOrEqual(2);
  });

  it('every vendor has a secret field to hide, and a required one', () => {
    for (const vendor of VENDORS) {
      expect(secretFieldsOf(vendor).length, vendor).toBeGreaterThan(0);
      expect(variantOf(vendor).required, vendor).toContain('vendor');
    }
  });
});

describe.each(VENDORS)('%s', (vendor) => {
  describe('bad configs: one TRACE ERROR config_error naming the problem, exit 1, before any request', () => {
    for (const command of ['check', 'discover', 'read'] as const) {
      it.each(configCases(vendor).map((c) => [c.name, c] as const))(`${command}: %s`, async (_name, testCase) => {
        const input = testCase.make(distinctConfig(vendor));
        const before = sb.stats.total;
        const result = await run(command, { config: input, ...(command === 'read' ? { catalog: catalogOf(vendor) } : {}) });
        expectConfigError(result, testCase.says);
        expectClean(result, input);
        expect(sb.stats.total - before, 'requests made').toBe(0);
      });
    }

    it('read with everything wrong at once: the config alone is reported, in one TRACE ERROR', async () => {
      const input = withSetting(withField(distinctConfig(vendor), 'base_url', 'not a url'), 'page_size', 0);
      const result = await run('read', { config: input, catalog: { streams: 'all' }, state: { legacy: true } });
      expectConfigError(result, /platform\.base_url[\s\S]*page_size|page_size[\s\S]*platform\.base_url/);
      expectClean(result, input);
    });

    it('the bounds themselves are accepted: each case above is refused for its own value alone', async () => {
      const numeric = [...settings.map(([n, s]) => [n, s, false] as const), ...fieldsOf(vendor).map(([n, s]) => [n, s, true] as const)].filter(
        ([, s]) => s.type === 'number' || s.type === 'integer',
      );
      for (const [name, schema, inPlatform] of numeric) {
        const low = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 0.001 : undefined);
        for (const value of [low, schema.maximum]) {
          if (value === undefined) continue;
          const config = distinctConfig(vendor);
          const input = inPlatform ? withField(config, name, value) : withSetting(config, name, value);
          const result = await run('discover', { config: input });
          expect(result.code, `${name} = ${value}: ${shown(result)}`).toBe(0);
          expectClean(result, input);
        }
      }
    });
  });

  describe('credentials the vendor rejects, hosts that do not answer: check says so in one CONNECTION_STATUS FAILED', () => {
    // Every secret, and every other credential the vendor checks (a required plain string, e.g. a user name).
    const credentials = [
      ...secretFieldsOf(vendor),
      ...fieldsOf(vendor)
        .filter(([name, s]) => !s.airbyte_secret && s.type === 'string' && !s.format && variantOf(vendor).required?.includes(name))
        .map(([name]) => name),
    ];
    it.each(credentials)('check with a wrong %s', async (field) => {
      const wrong = (distinctSecrets(vendor) as Record<string, string>)[field] ?? `someone-else-${field}`;
      const input = withField(validConfig(vendor), field, wrong);
      const result = await run('check', { config: input });
      expectCheckFailed(result, /reject|credential|invalid|unauthori[sz]ed|HTTP 40[13]/i);
      expectClean(result, input);
    });

    it.each(
      fieldsOf(vendor)
        .filter(([, s]) => s.format === 'uri')
        .map(([name]) => name),
    )('check with a %s where nothing listens', async (field) => {
      const input = withField(validConfig(vendor), field, `http://127.0.0.1:${closedPort}/api`);
      const result = await run('check', { config: input });
      expectCheckFailed(result, /Could not reach .*ECONNREFUSED/);
      expectClean(result, input);
    });

    it.each(
      fieldsOf(vendor)
        .filter(([, s]) => s.format === 'uri')
        .map(([name]) => name),
    )('check with a %s the vendor has no API at', async (field) => {
      const input = withField(validConfig(vendor), field, `${sb.url}/nothing-here/v1`);
      const result = await run('check', { config: input });
      expectCheckFailed(result, /404/);
      expectClean(result, input);
    });

    it.each(secretFieldsOf(vendor).filter((field) => variantOf(vendor).required?.includes(field)))(
      'read with a wrong %s: each stream fails with config_error, exit 1',
      async (field) => {
        const input = withField(validConfig(vendor), field, (distinctSecrets(vendor) as Record<string, string>)[field]);
        const result = await run('read', { config: input, catalog: catalogOf(vendor) });
        const errors = errorsOf(result);
        expect(errors, shown(result)).toHaveLength(1);
        expect(errors[0]).toMatchObject({ failure_type: 'config_error', stream_descriptor: { name: setup(vendor).incremental.name } });
        expect(errors[0]?.message).toMatch(/reject|credential/i);
        expect(result.code).toBe(1);
        expectClean(result, input);
      },
    );
  });

  describe('start_date in the future is accepted, and reads nothing older', () => {
    it('check succeeds', async () => {
      const input = validConfig(vendor, { start_date: NEXT_YEAR });
      const result = await run('check', { config: input });
      expect(result.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.status, shown(result)).toBe('SUCCEEDED');
      expect(result.code).toBe(0);
      expectClean(result, input);
    });

    it('discover succeeds', async () => {
      const input = validConfig(vendor, { start_date: NEXT_YEAR });
      const result = await run('discover', { config: input });
      expect(
        result.messages.map((m) => m.type),
        shown(result),
      ).toEqual(['CATALOG']);
      expect(result.code).toBe(0);
      expectClean(result, input);
    });

    it('read: the cursor stream completes with no record, and commits no cursor past the read', async () => {
      const { incremental, cursor } = setup(vendor);
      const input = validConfig(vendor, { start_date: NEXT_YEAR });
      const result = await run('read', { config: input, catalog: catalogOf(vendor) });
      expect(errorsOf(result), shown(result)).toEqual([]);
      expect(result.code).toBe(0);
      expect(recordsOf(result, incremental.name)).toEqual([]);
      expect(statusesOf(result, incremental.name).at(-1)).toBe('COMPLETE');
      const states = result.messages.filter((m) => m.type === 'STATE' && m.state?.stream?.stream_descriptor.name === incremental.name);
      expect(states.length).toBeGreaterThan(0);
      const committed = (states.at(-1)?.state?.stream?.stream_state as Json | undefined)?.[cursor];
      if (committed !== undefined) expect(Date.parse(String(committed))).toBeLessThanOrEqual(Date.now());
      expectClean(result, input);
    });
  });

  describe('bad configured catalogs', () => {
    interface CatalogCase {
      name: string;
      make: (s: VendorSetup) => unknown;
      says: RegExp | string;
    }
    const inc = (s: VendorSetup) => configuredStream(s.incremental, 'incremental');
    const wholeCases: CatalogCase[] = [
      { name: 'a catalog file that is not JSON', make: () => raw('{"streams": ['), says: /--catalog file .* is not valid JSON/ },
      { name: 'an empty catalog file', make: () => raw(''), says: /--catalog file .* is not valid JSON/ },
      { name: 'a catalog that is a list', make: (s) => [inc(s)], says: /configured catalog is invalid.*expected object, received array/ },
      { name: 'a catalog that is a string', make: () => 'streams', says: /configured catalog is invalid.*expected object, received string/ },
      { name: 'a catalog that is null', make: () => null, says: /configured catalog is invalid.*expected object, received null/ },
      { name: 'no streams', make: () => ({}), says: /configured catalog is invalid[\s\S]*at streams/ },
      { name: 'streams that are an object', make: (s) => ({ streams: { [s.incremental.name]: inc(s) } }), says: /expected array[\s\S]*at streams/ },
      { name: 'streams that are a string', make: (s) => ({ streams: s.incremental.name }), says: /expected array[\s\S]*at streams/ },
      { name: 'a stream entry that is a string', make: (s) => ({ streams: [s.incremental.name] }), says: /at streams\[0\]/ },
      { name: 'a stream entry without its stream', make: (s) => ({ streams: [{ ...inc(s), stream: undefined }] }), says: /at streams\[0\]\.stream/ },
      {
        name: 'a stream without a name',
        make: (s) => ({ streams: [{ ...inc(s), stream: { ...s.incremental, name: undefined } }] }),
        says: /at streams\[0\]\.stream\.name/,
      },
      {
        name: 'a stream with an empty name',
        make: (s) => ({ streams: [{ ...inc(s), stream: { ...s.incremental, name: '' } }] }),
        says: /at streams\[0\]\.stream\.name/,
      },
      {
        name: 'a stream whose name is a number',
        make: (s) => ({ streams: [{ ...inc(s), stream: { ...s.incremental, name: 7 } }] }),
        says: /at streams\[0\]\.stream\.name/,
      },
      { name: 'an unknown sync_mode', make: (s) => ({ streams: [{ ...inc(s), sync_mode: 'cdc' }] }), says: /at streams\[0\]\.sync_mode/ },
      { name: 'no sync_mode', make: (s) => ({ streams: [{ ...inc(s), sync_mode: undefined }] }), says: /at streams\[0\]\.sync_mode/ },
      { name: 'a cursor_field that is a string', make: (s) => ({ streams: [{ ...inc(s), cursor_field: s.cursor }] }), says: /at streams\[0\]\.cursor_field/ },
      { name: 'a cursor_field holding a number', make: (s) => ({ streams: [{ ...inc(s), cursor_field: [1] }] }), says: /at streams\[0\]\.cursor_field/ },
      { name: 'a primary_key that is a string', make: (s) => ({ streams: [{ ...inc(s), primary_key: 'id' }] }), says: /at streams\[0\]\.primary_key/ },
      { name: 'a stream listed twice', make: (s) => ({ streams: [inc(s), configuredStream(s.incremental, 'full_refresh')] }), says: /"[^"]+" is listed twice/ },
      {
        name: 'incremental on a full-refresh-only stream',
        make: (s) => ({ streams: [{ ...configuredStream(s.fullRefreshOnly, 'full_refresh'), sync_mode: 'incremental' }] }),
        says: /supports only full_refresh, not incremental/,
      },
      {
        name: "a cursor field other than the source's",
        make: (s) => ({ streams: [{ ...inc(s), cursor_field: ['not_the_cursor'] }] }),
        says: /has a source-defined cursor .+, not not_the_cursor/,
      },
    ];

    it.each(wholeCases.map((c) => [c.name, c] as const))('%s: one TRACE ERROR config_error, exit 1, no request', async (_name, testCase) => {
      const input = distinctConfig(vendor);
      const before = sb.stats.total;
      const result = await run('read', { config: input, catalog: testCase.make(setup(vendor)) });
      expectConfigError(result, testCase.says);
      expectClean(result, input);
      expect(sb.stats.total - before, 'requests made').toBe(0);
    });

    // As the Python CDK's AbstractSource.read reports a stream "not found in the source" and reads the others.
    it('a stream the source does not offer fails alone: one TRACE ERROR config_error naming it, the other stream is read, exit 1', async () => {
      const { other } = setup(vendor);
      const input = validConfig(vendor);
      const catalog = {
        streams: [configuredStream(other, 'full_refresh'), { ...configuredStream(other, 'full_refresh'), stream: { ...other, name: 'okrs_not_offered' } }],
      };
      const result = await run('read', { config: input, catalog });
      const errors = errorsOf(result);
      expect(errors, shown(result)).toHaveLength(1);
      expect(errors[0]).toMatchObject({ failure_type: 'config_error', stream_descriptor: { name: 'okrs_not_offered' } });
      expect(errors[0]?.message).toMatch(/"okrs_not_offered" .*not offered by this source/);
      expect(statusesOf(result, 'okrs_not_offered')).toEqual(['INCOMPLETE']);
      expect(statusesOf(result, other.name).at(-1)).toBe('COMPLETE');
      expect(recordsOf(result, other.name).length).toBeGreaterThan(0);
      expect(result.code).toBe(1);
      expectClean(result, input);
    });
  });

  describe('bad states', () => {
    const catalogFor = (s: VendorSetup) => ({ streams: [configuredStream(s.incremental, 'incremental'), configuredStream(s.other, 'full_refresh')] });
    const entry = (name: string, blob: unknown) => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: blob } });

    const wholeCases: Array<[string, (s: VendorSetup) => unknown, RegExp]> = [
      ['a state file that is not JSON', () => raw('[{"type": "STREAM"'), /--state file .* is not valid JSON/],
      ['a legacy dict of stream states', (s) => ({ [s.incremental.name]: { [s.cursor]: '2024-01-01T00:00:00Z' } }), /not a list of per-stream states/],
      [
        'a GLOBAL state',
        () => [{ type: 'GLOBAL', global: { shared_state: {}, stream_states: [] } }],
        /State entry 0 is of type GLOBAL; this connector only reads STREAM states/,
      ],
      ['a LEGACY state entry', () => [{ type: 'LEGACY', data: {} }], /State entry 0 is of type LEGACY/],
      [
        'a STREAM entry without a descriptor',
        () => [{ type: 'STREAM', stream: { stream_state: {} } }],
        /State entry 0 is not a valid stream state[\s\S]*stream_descriptor/,
      ],
      ['a STREAM entry without its stream', () => [{ type: 'STREAM' }], /State entry 0 is not a valid stream state/],
      [
        'a descriptor without a name',
        () => [{ type: 'STREAM', stream: { stream_descriptor: {}, stream_state: {} } }],
        /State entry 0 is not a valid stream state[\s\S]*name/,
      ],
      ['an entry that is a number', () => [42], /State entry 0 is not a valid stream state/],
      ['a state that is a string', () => 'yesterday', /not a list of per-stream states/],
      ['a state that is a number', () => 42, /not a list of per-stream states/],
      ['a state that is true', () => true, /not a list of per-stream states/],
    ];

    it.each(wholeCases)('%s: one TRACE ERROR config_error, exit 1, no request', async (_name, make, says) => {
      const input = distinctConfig(vendor);
      const s = setup(vendor);
      const before = sb.stats.total;
      const result = await run('read', { config: input, catalog: catalogFor(s), state: make(s) });
      expectConfigError(result, says);
      expectClean(result, input);
      expect(sb.stats.total - before, 'requests made').toBe(0);
    });

    // As the Python CDK reads each stream in its own try: one stream's unreadable saved state fails it alone.
    const aloneCases: Array<[string, (s: VendorSetup) => unknown, RegExp]> = [
      ['a stream_state that is a string', () => 'yesterday', /it is "yesterday", not an object/],
      ['a stream_state that is a list', () => [1, 2], /it is \[1,2\], not an object/],
      ['a stream_state that is a number', () => 42, /it is 42, not an object/],
      ['an unknown key', () => ({ nope: 'x' }), /unknown key "nope"/],
      ['a cursor that is not a date', (s) => ({ [s.cursor]: 'last tuesday' }), /= "last tuesday" is not a date-time/],
      ['a cursor that is a number', (s) => ({ [s.cursor]: 42 }), /= 42 is not a date-time/],
      ['a resume position of the wrong shape', () => ({ resume: { at: { page: { nested: true } } } }), /"resume" is invalid/],
      ['a resume position that is a string', () => ({ resume: { at: 'page 2' } }), /"resume" is invalid/],
      ['a resume position with a negative skip', () => ({ resume: { at: { skip: -1 } } }), /"resume" is invalid/],
      ['a resume with an unknown key', () => ({ resume: { at: {}, more: 'yes' } }), /"resume" is invalid/],
    ];

    it.each(aloneCases)(
      '%s fails that stream alone: one TRACE ERROR config_error saying what to do, the other stream is read, exit 1',
      async (_name, make, says) => {
        const s = setup(vendor);
        const input = validConfig(vendor);
        const result = await run('read', { config: input, catalog: catalogFor(s), state: [entry(s.incremental.name, make(s))] });
        const errors = errorsOf(result);
        expect(errors, shown(result)).toHaveLength(1);
        expect(errors[0]).toMatchObject({ failure_type: 'config_error', stream_descriptor: { name: s.incremental.name } });
        expect(errors[0]?.message).toMatch(new RegExp(`saved state of stream ${s.incremental.name} cannot be read`));
        expect(errors[0]?.message).toMatch(says);
        expect(errors[0]?.message).toMatch(/Clear data/);
        expect(statusesOf(result, s.incremental.name).at(-1)).toBe('INCOMPLETE');
        expect(recordsOf(result, s.incremental.name)).toEqual([]);
        expect(statusesOf(result, s.other.name).at(-1)).toBe('COMPLETE');
        expect(recordsOf(result, s.other.name).length).toBeGreaterThan(0);
        expect(result.code).toBe(1);
        expectClean(result, input);
      },
    );

    it.each([
      ['an empty file', ''],
      ['blank lines', '\n  \n'],
      ['null', 'null'],
      ['{}', '{}'],
      ['[]', '[]'],
    ])('a state file holding %s is no state: both streams are read from the start, exit 0', async (_name, text) => {
      const s = setup(vendor);
      const input = validConfig(vendor);
      const result = await run('read', { config: input, catalog: catalogFor(s), state: raw(text) });
      expect(errorsOf(result), shown(result)).toEqual([]);
      expect(result.code).toBe(0);
      for (const stream of [s.incremental.name, s.other.name]) {
        expect(statusesOf(result, stream).at(-1)).toBe('COMPLETE');
        expect(recordsOf(result, stream).length, stream).toBeGreaterThan(0);
      }
      expectClean(result, input);
    });
  });
});
