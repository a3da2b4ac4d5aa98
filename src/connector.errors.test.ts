import { http, HttpResponse } from 'msw';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryKeyOf } from '../tools/sandbox/index.js';
import type { LeapsomePermission } from '../tools/sandbox/leapsome/options.js';
import { configuredCatalog, Files, onlyStreams, runInProcess, type ConnectorOutput } from '../tools/testing/harness.js';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';
import type { ConfiguredAirbyteCatalog } from './protocol/generated.js';

const env = useSandbox();
const files = new Files();
let catalog: ConfiguredAirbyteCatalog;

beforeAll(async () => {
  catalog = configuredCatalog((await env.connector.discover(leapsomeConfig(env.sb))).catalog());
});
afterAll(() => files.dispose());

const config = (overrides = {}) => leapsomeConfig(env.sb, overrides);
const url = (path: string) => `${env.sb.mounts.leapsome}${path}`;
const only = (names: string[]): ConfiguredAirbyteCatalog => onlyStreams(catalog, names);
const read = (config: unknown, catalog: unknown, state?: unknown) => env.connector.read(config, catalog, state);
const truthOf = (stream: string) => env.sb.truth('leapsome', stream);

/** The run printed exactly one message, a config_error trace, and exited 1. */
function expectConfigError(result: ConnectorOutput, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.messages.map((m) => m.type)).toEqual(['TRACE']);
  const [error] = result.errors();
  expect(error?.failure_type).toBe('config_error');
  expect(error?.message).toMatch(pattern);
}

describe('config errors', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['invalid JSON', '{"platform": {', /--config file .* is not valid JSON/],
    ['no platform', { start_date: '2020-01-01T00:00:00Z' }, /platform/],
    ['a missing api_key', { platform: { vendor: 'leapsome' } }, /platform\.api_key/],
    ['an empty api_key', { platform: { vendor: 'leapsome', api_key: '' } }, /platform\.api_key/],
    ['an unknown vendor', { platform: { vendor: 'lattice', api_key: 'x' } }, /Invalid discriminator value.*'leapsome'[\s\S]*platform\.vendor/],
    ['a start_date that is not a date-time', { platform: { vendor: 'leapsome', api_key: 'k3y-value' }, start_date: 'last year' }, /start_date/],
    ['a base_url that is not a URL', { platform: { vendor: 'leapsome', api_key: 'k3y-value', base_url: 'leapsome' } }, /platform\.base_url/],
  ];

  for (const command of ['check', 'discover', 'read'] as const) {
    it.each(cases)(`${command} with %s: TRACE ERROR config_error naming the field, exit 1`, async (_name, config, pattern) => {
      const argv = [command, '--config', files.write('config.json', config)];
      if (command === 'read') argv.push('--catalog', files.write('catalog.json', only(['goals'])));
      expectConfigError(await runInProcess(argv), pattern);
    });
  }

  it('a missing config file', async () => {
    expectConfigError(await runInProcess(['check', '--config', `${files.dir}/nope.json`]), /Cannot read the --config file .*nope\.json: ENOENT/);
  });

  it('no --config at all', async () => {
    expectConfigError(await runInProcess(['discover']), /Missing --config FILE/);
  });

  it('an unknown command', async () => {
    expectConfigError(await runInProcess(['sync']), /Unknown command "sync"/);
  });

  it('a validation error never echoes the secret', async () => {
    const result = await runInProcess([
      'check',
      '--config',
      files.write('config.json', { platform: { vendor: 'leapsome', api_key: 'sup3r-secret-value', base_url: 'x' } }),
    ]);
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).not.toContain('sup3r-secret-value');
  });
});

describe('configured catalog errors', () => {
  // As the Python CDK's AbstractSource.read: a stream "not found in the source" fails alone.
  it('an unknown stream fails alone: config_error naming it and INCOMPLETE, the other streams are read, exit 1', async () => {
    const bad = {
      streams: [
        ...only(['goals']).streams,
        { ...only(['goals']).streams[0], stream: { name: 'okrs', json_schema: {}, supported_sync_modes: ['full_refresh'] } },
      ],
    };
    const result = await read(config(), bad);
    expect(result.code).toBe(1);
    const [error, ...others] = result.errors();
    expect(others).toEqual([]);
    expect(error).toMatchObject({ failure_type: 'config_error', stream_descriptor: { name: 'okrs' } });
    expect(error?.message).toMatch(/"okrs" .* not offered by this source.*Refresh the source schema/);
    expect(result.statuses('okrs')).toEqual(['INCOMPLETE']);
    expect(result.statuses('goals')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(result.records('goals').length).toBe(truthOf('goals').length);
  });

  it('incremental on a full-refresh-only stream: config_error, exit 1', async () => {
    const tags = only(['goal_tags']).streams[0];
    const result = await read(config(), { streams: [{ ...tags, sync_mode: 'incremental' }] });
    expectConfigError(result, /goal_tags" supports only full_refresh/);
  });

  it('an invalid sync mode: config_error, exit 1', async () => {
    const goals = only(['goals']).streams[0];
    const result = await read(config(), { streams: [{ ...goals, sync_mode: 'cdc' }] });
    expectConfigError(result, /configured catalog is invalid/);
  });

  it('a cursor field other than the source-defined one: config_error, exit 1', async () => {
    const goals = only(['goals']).streams[0];
    const result = await read(config(), { streams: [{ ...goals, cursor_field: ['createdAt'] }] });
    expectConfigError(result, /source-defined cursor updatedAt, not createdAt/);
  });

  it('a missing --catalog: config_error, exit 1', async () => {
    expectConfigError(await runInProcess(['read', '--config', files.write('config.json', config())]), /Missing --catalog FILE/);
  });
});

describe('state errors', () => {
  const stateCases: Array<[string, unknown, RegExp]> = [
    ['state that is not JSON', 'not json', /--state file .* is not valid JSON/],
    ['a legacy dict state', { goals: { updatedAt: '2024-01-01T00:00:00Z' } }, /not a list of per-stream states/],
    ['a GLOBAL state', [{ type: 'GLOBAL', global: { shared_state: {}, stream_states: [] } }], /only reads STREAM states/],
  ];

  it.each(stateCases)('%s: clear config_error before any request or record, exit 1', async (_name, state, pattern) => {
    const result = await read(config(), only(['goals', 'goal_tags']), state);
    expectConfigError(result, pattern);
    expect(env.msw.requests).toHaveLength(0);
  });

  // As the Python CDK reads each stream in its own try: one stream's unreadable saved state fails
  // that stream alone, with what to do about it; the others are read.
  it.each([
    ['an unknown key', { cursor: 'x' }, /goals cannot be read: it has an unknown key "cursor"/],
    ['a cursor that is not a date', { updatedAt: 42 }, /goals cannot be read: updatedAt = 42 is not a date-time/],
    ['a blob that is not an object', 'yesterday', /goals cannot be read: it is "yesterday", not an object/],
    ['a malformed resume position', { resume: { at: { page: { nested: true } } } }, /goals cannot be read: its "resume" is invalid/],
  ])("%s in one stream's state fails that stream alone, exit 1", async (_name, blob, pattern) => {
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'goals' }, stream_state: blob } }];
    const result = await read(config(), only(['goals', 'goal_tags']), state);
    expect(result.code).toBe(1);
    const errors = result.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ failure_type: 'config_error', stream_descriptor: { name: 'goals' } });
    expect(errors[0]?.message).toMatch(pattern);
    expect(errors[0]?.message).toMatch(/Clear data/);
    expect(result.statuses('goals')).toEqual(['STARTED', 'INCOMPLETE']);
    expect(result.records('goals')).toEqual([]);
    expect(result.statuses('goal_tags')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(result.records('goal_tags').length).toBeGreaterThan(0);
  });

  it.each([
    ['an empty file', ''],
    ['null', 'null'],
    ['{}', '{}'],
    ['[]', '[]'],
    ['blank lines', '\n  \n'],
  ])('a --state file holding %s is no state: a full read, exit 0', async (_name, text) => {
    const result = await read(config(), only(['goals']), text);
    expect(result.code).toBe(0);
    expect(result.records('goals').length).toBe(truthOf('goals').length);
  });

  it('the per-stream array the platform passes is accepted', async () => {
    // A cursor in the middle of the goals' history: the read returns the goals changed at or after it.
    const times = truthOf('goals')
      .map((g) => String(g.updatedAt))
      .sort();
    const cursor = times[Math.floor(times.length / 2)] as string;
    const later = truthOf('goals').filter((g) => Date.parse(String(g.updatedAt)) >= Date.parse(cursor));
    expect(later.length).toBeLessThan(truthOf('goals').length);
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'goals', namespace: null }, stream_state: { updatedAt: cursor } } }];
    const result = await read(config(), only(['goals']), state);
    expect(result.code).toBe(0);
    const keys = (records: Array<Record<string, unknown>>) => records.map((r) => primaryKeyOf('leapsome', 'goals', r)).sort();
    expect(keys(result.records('goals'))).toEqual(keys(later));
  });
});

describe('permission-gated streams', () => {
  it.each<[string, string, LeapsomePermission, RegExp]>([
    ['timesheets', '/time-tracking/timesheets', 'timesheets', /the permission to manage time-tracking policies/],
    ['access_roles', '/access-roles', 'access_roles', /the Super Admin role/],
    ['absences', '/absences', 'absences', /admin access to absence management/],
    ['payroll_cycles', '/payroll-cycles', 'payroll', /the permission to manage payroll policies/],
  ])('a 403 on %s fails it with a config_error naming the permission; the others finish', async (stream, path, lacking, permission) => {
    await env.restart({ forbidden: [lacking] });
    const result = await read(config(), only(['employees', stream, 'feedback']));
    expect(result.code).toBe(1);
    const errors = result.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]?.failure_type).toBe('config_error');
    expect(errors[0]?.stream_descriptor?.name).toBe(stream);
    expect(errors[0]?.message).toMatch(permission);
    expect(errors[0]?.message).toMatch(/HTTP 403/);
    expect(result.statuses(stream).at(-1)).toBe('INCOMPLETE');
    for (const other of ['employees', 'feedback']) {
      expect(result.statuses(other)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      expect(result.states(other).length).toBeGreaterThan(0);
    }
    // A 403 is not retried: it will not change by asking again.
    expect(env.requestsTo(url(path))).toHaveLength(1);
  });
});

describe('transient failures', () => {
  it('429 with Retry-After, 5xx and a reset connection are retried; the read completes with everything', async () => {
    const faults = [
      () => HttpResponse.json({ message: 'slow down' }, { status: 429, headers: { 'Retry-After': '0' } }),
      () => HttpResponse.json({ message: 'oops' }, { status: 500 }),
      () => new HttpResponse('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      () => HttpResponse.error(),
    ];
    // The first attempt of every data request fails, in each of the ways in turn; its retry succeeds.
    const failedOnce = new Set<string>();
    env.msw.server.use(
      http.get(url('/*'), ({ request }) => {
        if (new URL(request.url).pathname.endsWith('/token') || failedOnce.has(request.url)) return undefined;
        failedOnce.add(request.url);
        return (faults[failedOnce.size % faults.length] as () => Response)();
      }),
    );
    const result = await read(config(), only(['goals', 'employees', 'timesheets', 'goal_comments']));
    expect(result.errors()).toEqual([]);
    expect(result.code).toBe(0);
    for (const stream of ['goals', 'employees', 'timesheets', 'goal_comments']) expect(result.records(stream), stream).toHaveLength(truthOf(stream).length);
    expect(failedOnce.size).toBeGreaterThan(15);
  });

  it('a permanent failure: TRACE ERROR transient_error with the stream, INCOMPLETE, the others COMPLETE, exit 1', async () => {
    env.msw.server.use(http.get(url('/employees'), () => HttpResponse.json({ message: 'down for maintenance' }, { status: 503 })));
    const result = await read(config({ max_retries: 2 }), only(['goals', 'employees', 'feedback']));
    expect(result.code).not.toBe(0);
    const errors = result.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ failure_type: 'transient_error', stream_descriptor: { name: 'employees' } });
    expect(errors[0]?.message).toMatch(/HTTP 503 on employees after 3 attempts/);
    expect(env.requestsTo(url('/employees'))).toHaveLength(3);
    expect(result.statuses('employees')).toEqual(['STARTED', 'INCOMPLETE']);
    expect(result.statuses('goals')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(result.statuses('feedback')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    // The failure is also summed up in a final log line.
    expect(result.messages.at(-1)).toMatchObject({ type: 'LOG', log: { level: 'ERROR', message: expect.stringMatching(/1 stream\(s\) failed: employees/) } });
  });

  it('a permanent network failure mid-stream keeps the records and states already emitted', async () => {
    let pages = 0;
    env.msw.server.use(http.get(url('/goals'), () => (++pages > 2 ? HttpResponse.error() : undefined)));
    const result = await read(config({ max_retries: 1 }), only(['goals']));
    expect(result.code).toBe(1);
    expect(result.errors()[0]).toMatchObject({ failure_type: 'transient_error', stream_descriptor: { name: 'goals' } });
    // Two pages of 5, of more goals than that.
    expect(truthOf('goals').length).toBeGreaterThan(10);
    const records = result.records('goals');
    expect(records.map((r) => r.id)).toEqual(
      truthOf('goals')
        .slice(0, 10)
        .map((g) => g.id),
    );
    // The last state resumes after them: at the cursor of the page after the second (the id of its last goal).
    const last = result.states('goals').at(-1);
    expect(last?.stream?.stream_state).toMatchObject({ resume: { at: { page: records.at(-1)?.id } } });
  });
});
