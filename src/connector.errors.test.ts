import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createMswServer, requestsTo } from '../tools/testing/engine/msw.js';
import { errorTracesOf, recordsOf, statesOf, statusesOf } from '../tools/testing/engine/messages.js';
import type { ConfiguredAirbyteCatalog } from './protocol/generated.js';
import { configure, discover, Files, read, runConnector, type ConnectorRun } from '../tools/testing/connector.js';
import { fakeLeapsome, LEAPSOME_URL, leapsomeConfig, type FakeLeapsome } from '../tools/testing/fake-leapsome.js';

const msw = createMswServer();
const files = new Files();
let catalog: ConfiguredAirbyteCatalog;

beforeAll(async () => {
  msw.listen();
  catalog = configure(await discover(files, leapsomeConfig()));
});
afterEach(() => msw.reset());
afterAll(() => {
  msw.close();
  files.dispose();
});

function useFake(): FakeLeapsome {
  const fake = fakeLeapsome();
  msw.server.use(...fake.handlers);
  return fake;
}

const only = (names: string[]): ConfiguredAirbyteCatalog => ({ streams: catalog.streams.filter((s) => names.includes(s.stream.name)) });

/** The run printed exactly one message, a config_error trace, and exited 1. */
function expectConfigError(result: ConnectorRun, pattern: RegExp): void {
  expect(result.code).toBe(1);
  expect(result.messages.map((m) => m.type)).toEqual(['TRACE']);
  const [error] = errorTracesOf(result.messages);
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
      expectConfigError(await runConnector(argv), pattern);
    });
  }

  it('a missing config file', async () => {
    expectConfigError(await runConnector(['check', '--config', `${files.dir}/nope.json`]), /Cannot read the --config file .*nope\.json: ENOENT/);
  });

  it('no --config at all', async () => {
    expectConfigError(await runConnector(['discover']), /Missing --config FILE/);
  });

  it('an unknown command', async () => {
    expectConfigError(await runConnector(['sync']), /Unknown command "sync"/);
  });

  it('a validation error never echoes the secret', async () => {
    const result = await runConnector(['check', '--config', files.write('config.json', { platform: { vendor: 'leapsome', api_key: 'sup3r-secret-value', base_url: 'x' } })]);
    expect(result.code).toBe(1);
    expect(result.lines.join('\n')).not.toContain('sup3r-secret-value');
  });
});

describe('configured catalog errors', () => {
  // As the Python CDK's AbstractSource.read: a stream "not found in the source" fails alone.
  it('an unknown stream fails alone: config_error naming it and INCOMPLETE, the other streams are read, exit 1', async () => {
    useFake();
    const bad = { streams: [...only(['goals']).streams, { ...only(['goals']).streams[0], stream: { name: 'okrs', json_schema: {}, supported_sync_modes: ['full_refresh'] } }] };
    const result = await read(files, leapsomeConfig(), bad as ConfiguredAirbyteCatalog);
    expect(result.code).toBe(1);
    const [error, ...others] = errorTracesOf(result.messages);
    expect(others).toEqual([]);
    expect(error).toMatchObject({ failure_type: 'config_error', stream_descriptor: { name: 'okrs' } });
    expect(error?.message).toMatch(/"okrs" .* not offered by this source.*Refresh the source schema/);
    expect(statusesOf(result.messages, 'okrs')).toEqual(['INCOMPLETE']);
    expect(statusesOf(result.messages, 'goals')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(recordsOf(result.messages, 'goals').length).toBeGreaterThan(0);
  });

  it('incremental on a full-refresh-only stream: config_error, exit 1', async () => {
    useFake();
    const tags = only(['goal_tags']).streams[0];
    const result = await read(files, leapsomeConfig(), { streams: [{ ...tags, sync_mode: 'incremental' }] } as ConfiguredAirbyteCatalog);
    expectConfigError(result, /goal_tags" supports only full_refresh/);
  });

  it('an invalid sync mode: config_error, exit 1', async () => {
    const goals = only(['goals']).streams[0];
    const result = await read(files, leapsomeConfig(), { streams: [{ ...goals, sync_mode: 'cdc' }] } as unknown as ConfiguredAirbyteCatalog);
    expectConfigError(result, /configured catalog is invalid/);
  });

  it('a cursor field other than the source-defined one: config_error, exit 1', async () => {
    const goals = only(['goals']).streams[0];
    const result = await read(files, leapsomeConfig(), { streams: [{ ...goals, cursor_field: ['createdAt'] }] } as ConfiguredAirbyteCatalog);
    expectConfigError(result, /source-defined cursor updatedAt, not createdAt/);
  });

  it('a missing --catalog: config_error, exit 1', async () => {
    expectConfigError(await runConnector(['read', '--config', files.write('config.json', leapsomeConfig())]), /Missing --catalog FILE/);
  });
});

describe('state errors', () => {
  const stateCases: Array<[string, unknown, RegExp]> = [
    ['state that is not JSON', 'not json', /--state file .* is not valid JSON/],
    ['a legacy dict state', { goals: { updatedAt: '2024-01-01T00:00:00Z' } }, /not a list of per-stream states/],
    ['a GLOBAL state', [{ type: 'GLOBAL', global: { shared_state: {}, stream_states: [] } }], /only reads STREAM states/],
  ];

  it.each(stateCases)('%s: clear config_error before any request or record, exit 1', async (_name, state, pattern) => {
    useFake();
    const result = await read(files, leapsomeConfig(), only(['goals', 'goal_tags']), state);
    expectConfigError(result, pattern);
    expect(msw.requests).toHaveLength(0);
  });

  // As the Python CDK reads each stream in its own try: one stream's unreadable saved state fails
  // that stream alone, with what to do about it; the others are read.
  it.each([
    ['an unknown key', { cursor: 'x' }, /goals cannot be read: it has an unknown key "cursor"/],
    ['a cursor that is not a date', { updatedAt: 42 }, /goals cannot be read: updatedAt = 42 is not a date-time/],
    ['a blob that is not an object', 'yesterday', /goals cannot be read: it is "yesterday", not an object/],
    ['a malformed resume position', { resume: { at: { page: { nested: true } } } }, /goals cannot be read: its "resume" is invalid/],
  ])('%s in one stream\'s state fails that stream alone, exit 1', async (_name, blob, pattern) => {
    useFake();
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'goals' }, stream_state: blob } }];
    const result = await read(files, leapsomeConfig(), only(['goals', 'goal_tags']), state);
    expect(result.code).toBe(1);
    const errors = errorTracesOf(result.messages);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ failure_type: 'config_error', stream_descriptor: { name: 'goals' } });
    expect(errors[0]?.message).toMatch(pattern);
    expect(errors[0]?.message).toMatch(/Clear data/);
    expect(statusesOf(result.messages, 'goals')).toEqual(['STARTED', 'INCOMPLETE']);
    expect(recordsOf(result.messages, 'goals')).toEqual([]);
    expect(statusesOf(result.messages, 'goal_tags')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(recordsOf(result.messages, 'goal_tags').length).toBeGreaterThan(0);
  });

  it.each([['an empty file', ''], ['null', 'null'], ['{}', '{}'], ['[]', '[]'], ['blank lines', '\n  \n']])(
    'a --state file holding %s is no state: a full read, exit 0',
    async (_name, text) => {
      useFake();
      const result = await runConnector(['read', '--config', files.write('config.json', leapsomeConfig()), '--catalog', files.write('catalog.json', only(['goals'])), '--state', files.write('state.json', text)]);
      expect(result.code).toBe(0);
      expect(recordsOf(result.messages, 'goals').length).toBeGreaterThan(3);
    },
  );

  it('the per-stream array the platform passes is accepted', async () => {
    useFake();
    const state = [{ type: 'STREAM', stream: { stream_descriptor: { name: 'goals', namespace: null }, stream_state: { updatedAt: '2024-01-05T00:00:00Z' } } }];
    const result = await read(files, leapsomeConfig(), only(['goals']), state);
    expect(result.code).toBe(0);
    expect(recordsOf(result.messages, 'goals').map((r) => r.id)).toEqual(['goal4', 'goal5', 'goal6']);
  });
});

describe('permission-gated streams', () => {
  it.each([
    ['timesheets', '/time-tracking/timesheets', /the permission to manage time-tracking policies/],
    ['access_roles', '/access-roles', /the Super Admin role/],
    ['absences', '/absences', /admin access to absence management/],
    ['payroll_cycles', '/payroll-cycles', /the permission to manage payroll policies/],
  ])('a 403 on %s fails it with a config_error naming the permission; the others finish', async (stream, path, permission) => {
    const fake = useFake();
    fake.forbidden.add(path);
    const result = await read(files, leapsomeConfig(), only(['employees', stream, 'feedback']));
    expect(result.code).toBe(1);
    const errors = errorTracesOf(result.messages);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.failure_type).toBe('config_error');
    expect(errors[0]?.stream_descriptor?.name).toBe(stream);
    expect(errors[0]?.message).toMatch(permission);
    expect(errors[0]?.message).toMatch(/HTTP 403/);
    expect(statusesOf(result.messages, stream).at(-1)).toBe('INCOMPLETE');
    for (const other of ['employees', 'feedback']) {
      expect(statusesOf(result.messages, other)).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
      expect(statesOf(result.messages, other).length).toBeGreaterThan(0);
    }
    // A 403 is not retried: it will not change by asking again.
    expect(requestsTo(msw, `/v1${path}`)).toHaveLength(1);
  });
});

describe('transient failures', () => {
  it('429 with Retry-After, 5xx and a reset connection are retried; the read completes with everything', async () => {
    const fake = useFake();
    const faults = [
      () => HttpResponse.json({ message: 'slow down' }, { status: 429, headers: { 'Retry-After': '0' } }),
      () => HttpResponse.json({ message: 'oops' }, { status: 500 }),
      () => new HttpResponse('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }),
      () => HttpResponse.error(),
    ];
    // The first attempt of every data request fails, in each of the ways in turn; its retry succeeds.
    const failedOnce = new Set<string>();
    msw.server.use(
      http.get(`${LEAPSOME_URL}/*`, ({ request }) => {
        if (new URL(request.url).pathname.endsWith('/token') || failedOnce.has(request.url)) return undefined;
        failedOnce.add(request.url);
        return (faults[failedOnce.size % faults.length] as () => Response)();
      }),
    );
    const result = await read(files, leapsomeConfig(), only(['goals', 'employees', 'timesheets', 'goal_comments']));
    expect(errorTracesOf(result.messages)).toEqual([]);
    expect(result.code).toBe(0);
    expect(recordsOf(result.messages, 'goals')).toHaveLength(fake.data.goals.length);
    expect(recordsOf(result.messages, 'employees')).toHaveLength(fake.data.employees.length);
    expect(recordsOf(result.messages, 'timesheets')).toHaveLength(fake.data.timesheets.length);
    expect(recordsOf(result.messages, 'goal_comments')).toHaveLength(Object.values(fake.data.comments).flat().length);
    expect(failedOnce.size).toBeGreaterThan(15);
  });

  it('a permanent failure: TRACE ERROR transient_error with the stream, INCOMPLETE, the others COMPLETE, exit 1', async () => {
    useFake();
    msw.server.use(http.get(`${LEAPSOME_URL}/employees`, () => HttpResponse.json({ message: 'down for maintenance' }, { status: 503 })));
    const result = await read(files, leapsomeConfig({ max_retries: 2 }), only(['goals', 'employees', 'feedback']));
    expect(result.code).not.toBe(0);
    const errors = errorTracesOf(result.messages);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ failure_type: 'transient_error', stream_descriptor: { name: 'employees' } });
    expect(errors[0]?.message).toMatch(/HTTP 503 on employees after 3 attempts/);
    expect(requestsTo(msw, '/v1/employees')).toHaveLength(3);
    expect(statusesOf(result.messages, 'employees')).toEqual(['STARTED', 'INCOMPLETE']);
    expect(statusesOf(result.messages, 'goals')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    expect(statusesOf(result.messages, 'feedback')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
    // The failure is also summed up in a final log line.
    expect(result.messages.at(-1)).toMatchObject({ type: 'LOG', log: { level: 'ERROR', message: expect.stringMatching(/1 stream\(s\) failed: employees/) } });
  });

  it('a permanent network failure mid-stream keeps the records and states already emitted', async () => {
    const fake = useFake();
    let pages = 0;
    msw.server.use(http.get(`${LEAPSOME_URL}/goals`, () => (++pages > 2 ? HttpResponse.error() : undefined)));
    const result = await read(files, leapsomeConfig({ max_retries: 1 }), only(['goals']));
    expect(result.code).toBe(1);
    expect(errorTracesOf(result.messages)[0]).toMatchObject({ failure_type: 'transient_error', stream_descriptor: { name: 'goals' } });
    expect(recordsOf(result.messages, 'goals')).toHaveLength(4);
    const last = statesOf(result.messages, 'goals').at(-1);
    expect(last?.stream?.stream_state).toMatchObject({ resume: { at: { page: '4' } } });
    expect(fake.data.goals).toHaveLength(7);
  });
});
