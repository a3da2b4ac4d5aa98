import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mswTransport } from '../../../tools/testing/engine/msw.js';
import { Files, runInProcess, type ConnectorOutput, type Inputs } from '../../../tools/testing/harness.js';

/**
 * The PE365 vendor driven through the connector's commands, with msw standing in for the API. Each
 * test installs a fake API: a function from the request to a response body (or a Response).
 */

const BASE = 'http://pe365.test/api/v2';
const USER = 'api-user-7';
const KEY = 'k3y-Secret-Value-99';
const BASIC = Buffer.from(`${USER}:${KEY}`).toString('base64');

type Fake = (url: URL, request: Request) => unknown;
let fake: Fake = () => HttpResponse.json({ detail: 'Not found.' }, { status: 404 });
const seen: URL[] = [];
const server = setupServer(
  http.all('*', ({ request }) => {
    const url = new URL(request.url);
    seen.push(url);
    if (request.headers.get('authorization') !== `Basic ${BASIC}`) {
      return HttpResponse.json({ detail: 'Invalid username/password.' }, { status: 401, headers: { 'www-authenticate': 'Basic realm="api"' } });
    }
    const answer = fake(url, request);
    return answer instanceof Response ? answer : HttpResponse.json(answer as Record<string, unknown>);
  }),
);

const files = new Files();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  seen.length = 0;
});
afterAll(() => {
  server.close();
  files.dispose();
});

function config(extra: Record<string, unknown> = {}, platform: Record<string, unknown> = {}) {
  return {
    platform: { vendor: 'pe365', username: USER, api_key: KEY, base_url: BASE, ...platform },
    requests_per_second: 100,
    retry_base_delay_seconds: 0,
    max_retries: 2,
    ...extra,
  };
}

const cli = (args: string[], inputs: Inputs): Promise<ConnectorOutput> => runInProcess([...args, ...files.flags(inputs)], { transport: mswTransport });

function catalog(stream: string, mode: 'full_refresh' | 'incremental' = 'full_refresh') {
  return {
    streams: [
      { stream: { name: stream, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] }, sync_mode: mode, destination_sync_mode: 'append' },
    ],
  };
}

const stateOf = (stream: string, blob: Record<string, unknown>) => [{ type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: blob } }];

const read = (stream: string, options: { mode?: 'full_refresh' | 'incremental'; state?: Record<string, unknown>; config?: Record<string, unknown> } = {}) =>
  cli(['read'], {
    config: options.config ?? config(),
    catalog: catalog(stream, options.mode),
    ...(options.state ? { state: stateOf(stream, options.state) } : {}),
  });

const lastState = (out: ConnectorOutput) => out.states().at(-1)?.stream?.stream_state;
const estimates = (out: ConnectorOutput) => out.estimates().map((e) => e.row_estimate);

/** A DRF LimitOffsetPagination list over `items`, with absolute links built like DRF's. */
function drfList(url: URL, items: unknown[], options: { maxLimit?: number; defaultLimit?: number } = {}) {
  const limit = Math.min(Number(url.searchParams.get('limit') ?? options.defaultLimit ?? 100), options.maxLimit ?? 1000);
  const offset = Number(url.searchParams.get('offset') ?? 0);
  const link = (o: number) => `${url.origin}${url.pathname}?limit=${limit}&offset=${o}`;
  return {
    count: items.length,
    next: offset + limit >= items.length ? null : link(offset + limit),
    previous: offset <= 0 ? null : link(Math.max(0, offset - limit)),
    results: items.slice(offset, offset + limit),
  };
}

const users = (n: number) => Array.from({ length: n }, (_, i) => ({ api_id: `u-${i}`, name: `User ${i}` }));
const idsOf = (records: Record<string, unknown>[]) => records.map((r) => r['api_id']);
const requestsTo = (path: string) => seen.filter((u) => u.pathname === path);

describe('spec', () => {
  it('offers the pe365 variant with a secret key and a region-dependent base URL', async () => {
    const out = await cli(['spec'], {});
    type Property = Record<string, unknown>;
    type Variant = { required: string[]; properties: Record<string, Property> };
    const platform = (out.messages[0]!.spec!.connectionSpecification as { properties: { platform: { oneOf: Variant[] } } }).properties.platform;
    const variant = platform.oneOf.find((v) => v.properties.vendor!.const === 'pe365')!;
    expect(variant.required).toEqual(['vendor', 'username', 'api_key']);
    expect(Object.keys(variant.properties)).toEqual(['vendor', 'username', 'api_key', 'base_url']);
    expect(variant.properties.api_key!.airbyte_secret).toBe(true);
    expect(variant.properties.username!.airbyte_secret).toBeUndefined();
    expect(variant.properties.base_url!.default).toBe('https://pro.weekly10.net/api/v2');
    expect(variant.properties.base_url!.description).toMatch(/region/);
    expect(variant.properties.base_url!.description).toContain('https://pro.weekly10.net/api/v2');
    expect([1, 2, 3].map((o) => Object.keys(variant.properties).find((k) => variant.properties[k]!.order === o))).toEqual(['username', 'api_key', 'base_url']);
  });
});

describe('check', () => {
  it('succeeds with one authenticated request for one user, on a path ending in a slash', async () => {
    fake = (url) => drfList(url, users(3));
    const out = await cli(['check'], { config: config() });
    expect(out.messages.at(-1)?.connectionStatus?.status).toBe('SUCCEEDED');
    expect(seen.map((u) => `${u.pathname}${u.search}`)).toEqual(['/api/v2/users/?limit=1']);
  });

  it('fails naming the username and key when they are wrong, without echoing either secret form', async () => {
    fake = (url) => drfList(url, users(3));
    const out = await cli(['check'], { config: config({}, { api_key: 'wrong-key-123' }) });
    const status = out.messages.at(-1)?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/rejected the API username and API key \(HTTP 401: Invalid username\/password\.\)/);
    expect(status?.message).toMatch(/base URL/);
    expect(out.stdout).not.toContain('wrong-key-123');
    expect(out.stdout).not.toContain(Buffer.from(`${USER}:wrong-key-123`).toString('base64'));
  });

  it('fails when the base URL serves something other than the API (a web page)', async () => {
    fake = () => new HttpResponse('<!doctype html><title>Sign in</title>', { headers: { 'content-type': 'text/html' } });
    const out = await cli(['check'], { config: config() });
    expect(out.messages.at(-1)?.connectionStatus?.status).toBe('FAILED');
    expect(out.messages.at(-1)?.connectionStatus?.message).toMatch(/without a list of results.*\/api\/v2/);
  });
});

describe('auth and secrets', () => {
  it('sends HTTP Basic username:api_key and never prints the key or its Basic form', async () => {
    // A misbehaving API that echoes the credentials in an error body.
    fake = (_url, request) => HttpResponse.json({ detail: `bad request from ${request.headers.get('authorization')} key=${KEY}` }, { status: 400 });
    const out = await read('users');
    expect(out.code).toBe(1);
    expect(out.errors()).toHaveLength(1);
    expect(out.stdout).not.toContain(BASIC);
    expect(out.stdout).not.toContain(KEY);
  });
});

describe('DRF limit/offset pagination', () => {
  it('asks for 1000 a page by default: the most any list is asked for, as none is documented', async () => {
    fake = (url) => drfList(url, users(250));
    const out = await read('users');
    expect(out.records()).toHaveLength(250);
    expect(seen.map((u) => u.searchParams.get('limit'))).toEqual(['1000']);
  });

  it('pages by offset until next is null, each page from the last record of the one before, and emits count as the estimate', async () => {
    fake = (url) => drfList(url, users(250));
    const out = await read('users', { config: config({ page_size: 100 }) });
    expect(out.code).toBe(0);
    expect(idsOf(out.records())).toEqual(idsOf(users(250)));
    expect(estimates(out)).toEqual([250]);
    expect(seen.map((u) => u.searchParams.get('offset'))).toEqual(['0', '99', '198']);
    expect(seen.every((u) => u.pathname === '/api/v2/users/' && u.searchParams.get('limit') === '100')).toBe(true);
  });

  it('stops where next is null, without asking for an empty page', async () => {
    // Two pages of 100 hold 199 records when the second starts on the last record of the first.
    fake = (url) => drfList(url, users(199));
    const out = await read('users', { config: config({ page_size: 100 }) });
    expect(idsOf(out.records())).toEqual(idsOf(users(199)));
    expect(seen).toHaveLength(2);
  });

  it('stops on an empty page even when next still points on (a stale count)', async () => {
    fake = (url) => {
      const offset = Number(url.searchParams.get('offset'));
      return {
        count: 300,
        next: `${url.origin}${url.pathname}?limit=100&offset=${offset + 100}`,
        previous: null,
        results: users(150).slice(offset, offset + 100),
      };
    };
    const out = await read('users');
    expect(out.code).toBe(0);
    expect(out.records()).toHaveLength(150);
    // The next offset is ours plus the records received (less the one read again), not the link's.
    // 198 was asked for ahead on the strength of the count, while 99 was on its way, and never used.
    expect(seen.map((u) => u.searchParams.get('offset'))).toEqual(['0', '99', '198', '149']);
  });

  it('reads an empty list with one request', async () => {
    fake = (url) => drfList(url, []);
    const out = await read('users');
    expect(out.code).toBe(0);
    expect(out.records()).toEqual([]);
    expect(estimates(out)).toEqual([0]);
    expect(seen).toHaveLength(1);
  });

  it('loses nothing when the server silently caps limit below what was asked', async () => {
    fake = (url) => drfList(url, users(95), { maxLimit: 30 });
    const out = await read('users', { config: config({ page_size: 100 }) });
    expect(idsOf(out.records())).toEqual(idsOf(users(95)));
    expect(seen.map((u) => u.searchParams.get('offset'))).toEqual(['0', '29', '58', '87']);
  });

  it('falls back to count when a response has no next key', async () => {
    fake = (url) => {
      const { count, results } = drfList(url, users(120));
      return { count, results };
    };
    const out = await read('users', { config: config({ page_size: 100 }) });
    expect(out.records()).toHaveLength(120);
    expect(seen).toHaveLength(2);
  });

  it('reads a bare array (the legacy shape) as one page', async () => {
    fake = () => HttpResponse.json(users(7));
    const out = await read('departments');
    expect(out.code).toBe(0);
    expect(out.records()).toHaveLength(7);
    expect(seen).toHaveLength(1);
  });

  it('uses the configured page size', async () => {
    fake = (url) => drfList(url, users(50));
    await read('users', { config: config({ page_size: 20 }) });
    expect(seen.map((u) => `${u.searchParams.get('limit')}/${u.searchParams.get('offset')}`)).toEqual(['20/0', '20/19', '20/38']);
  });

  it('resumes from a checkpointed offset without re-reading earlier pages', async () => {
    fake = (url) => drfList(url, users(250));
    const out = await read('users', { state: { resume: { at: { page: 200 } } } });
    expect(idsOf(out.records())).toEqual(idsOf(users(250).slice(200)));
    expect(seen.map((u) => u.searchParams.get('offset'))).toEqual(['200']);
  });
});

describe('paths', () => {
  it('reads every stream from its documented path, each ending in a slash', async () => {
    const questions = [{ api_id: 'q-1', text: 'How was your week?', type: 'text', choices: [] }];
    fake = (url) => drfList(url, url.pathname === '/api/v2/questions/' ? questions : []);
    const expected: Record<string, string> = {
      users: '/api/v2/users/',
      departments: '/api/v2/departments/',
      goals: '/api/v2/goals/',
      checkins: '/api/v2/checkins/',
      questions: '/api/v2/questions/',
      question_responses: '/api/v2/questions/q-1/responses/',
      recognitions: '/api/v2/recognition/',
      conversations: '/api/v2/conversations/',
      conversation_templates: '/api/v2/conversation_templates/',
      conversation_plans: '/api/v2/conversation_plans/',
    };
    for (const [stream, path] of Object.entries(expected)) {
      seen.length = 0;
      const out = await read(stream);
      expect(out.code, stream).toBe(0);
      expect(seen.at(-1)?.pathname, stream).toBe(path);
    }
  });

  it('percent-encodes a parent api_id with a colon and stamps the raw id on each response', async () => {
    const questions = [
      { api_id: '580:fef0d7fb-c87a-4607-936f-7a87f9bad6d6', type: 'text' },
      { api_id: 'plain-uuid', type: 'rating' },
    ];
    fake = (url) => {
      if (url.pathname === '/api/v2/questions/') return drfList(url, questions);
      if (url.pathname === '/api/v2/questions/580%3Afef0d7fb-c87a-4607-936f-7a87f9bad6d6/responses/')
        return drfList(url, [{ api_id: 'r-1' }, { api_id: 'r-2' }]);
      if (url.pathname === '/api/v2/questions/plain-uuid/responses/') return drfList(url, [{ api_id: 'r-3' }]);
      return HttpResponse.json({ detail: 'Not found.' }, { status: 404 });
    };
    const out = await read('question_responses');
    expect(out.code).toBe(0);
    const records = out.records().sort((a, b) => String(a['api_id']).localeCompare(String(b['api_id'])));
    expect(records).toEqual([
      { api_id: 'r-1', question_api_id: '580:fef0d7fb-c87a-4607-936f-7a87f9bad6d6' },
      { api_id: 'r-2', question_api_id: '580:fef0d7fb-c87a-4607-936f-7a87f9bad6d6' },
      { api_id: 'r-3', question_api_id: 'plain-uuid' },
    ]);
  });

  it('pages through each question’s responses too', async () => {
    const responses = Array.from({ length: 45 }, (_, i) => ({ api_id: `r-${i}` }));
    fake = (url) => (url.pathname === '/api/v2/questions/' ? drfList(url, [{ api_id: 'q' }]) : drfList(url, responses));
    const out = await read('question_responses', { config: config({ page_size: 20 }) });
    expect(out.records()).toHaveLength(45);
    expect(requestsTo('/api/v2/questions/q/responses/').map((u) => u.searchParams.get('offset'))).toEqual(['0', '19', '38']);
  });
});

describe('checkins: incremental on submission_date through date_from (day granularity)', () => {
  const checkins = [
    { api_id: 'c-unsubmitted', submission_date: null },
    { api_id: 'c-0529', submission_date: '2025-05-29' },
    { api_id: 'c-0530', submission_date: '2025-05-30' },
    { api_id: 'c-0531-a', submission_date: '2025-05-31' },
    { api_id: 'c-0531-b', submission_date: '2025-05-31' },
    { api_id: 'c-0601', submission_date: '2025-06-01' },
  ];
  /** Filters like the API: inclusive, on the submission day; unsubmitted check-ins never match. */
  const api = (url: URL) => {
    const from = url.searchParams.get('date_from');
    return drfList(url, from === null ? checkins : checkins.filter((c) => c.submission_date !== null && c.submission_date >= from));
  };

  it('reads everything, unsubmitted check-ins included, with no date_from the first time', async () => {
    fake = api;
    const out = await read('checkins', { mode: 'incremental' });
    expect(idsOf(out.records())).toEqual(idsOf(checkins));
    expect(seen[0]?.searchParams.has('date_from')).toBe(false);
    expect(lastState(out)).toEqual({ submission_date: '2025-06-01T00:00:00.000Z' });
  });

  it('re-reads the whole boundary day: asks from the day before, keeps the boundary day on', async () => {
    fake = api;
    const out = await read('checkins', { mode: 'incremental', state: { submission_date: '2025-05-31T00:00:00.000Z' } });
    expect(seen[0]?.searchParams.get('date_from')).toBe('2025-05-30');
    expect(idsOf(out.records())).toEqual(['c-0531-a', 'c-0531-b', 'c-0601']);
    expect(lastState(out)).toEqual({ submission_date: '2025-06-01T00:00:00.000Z' });
  });

  it('keeps every record of the boundary day when the cursor has a time of day', async () => {
    fake = api;
    const out = await read('checkins', { mode: 'incremental', state: { submission_date: '2025-05-31T18:30:00Z' } });
    expect(seen[0]?.searchParams.get('date_from')).toBe('2025-05-30');
    expect(idsOf(out.records())).toEqual(['c-0531-a', 'c-0531-b', 'c-0601']);
  });

  it('starts at the start date’s day on the first incremental sync', async () => {
    fake = api;
    const out = await read('checkins', { mode: 'incremental', config: config({ start_date: '2025-05-30T12:00:00Z' }) });
    expect(seen[0]?.searchParams.get('date_from')).toBe('2025-05-29');
    expect(idsOf(out.records())).toEqual(['c-0530', 'c-0531-a', 'c-0531-b', 'c-0601']);
  });

  it('keeps the date filter on every page of the window', async () => {
    fake = api;
    await read('checkins', { mode: 'incremental', state: { submission_date: '2025-05-29T00:00:00.000Z' }, config: config({ page_size: 2 }) });
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((u) => u.searchParams.get('date_from') === '2025-05-28')).toBe(true);
  });
});

describe('client-side cursors on updated_date', () => {
  const conversations = Array.from({ length: 130 }, (_, i) => ({
    api_id: `conv-${i}`,
    status: 'final',
    updated_date: new Date(Date.UTC(2025, 0, 1) + ((i * 7919) % 130) * 3_600_000).toISOString().replace('Z', '000Z'),
  }));

  for (const stream of ['conversations', 'conversation_templates'] as const) {
    it(`${stream}: reads every page, emits records at or after the cursor, and moves the cursor to the newest`, async () => {
      fake = (url) => drfList(url, conversations);
      const bound = '2025-01-05T00:00:00.000Z';
      const out = await read(stream, { mode: 'incremental', state: { updated_date: bound }, config: config({ page_size: 100 }) });
      const expected = conversations.filter((c) => Date.parse(c.updated_date) >= Date.parse(bound));
      expect(new Set(idsOf(out.records()))).toEqual(new Set(idsOf(expected)));
      expect(expected.length).toBeGreaterThan(0);
      expect(expected.length).toBeLessThan(conversations.length);
      expect(seen.map((u) => u.searchParams.get('offset'))).toEqual(['0', '99']);
      expect(seen.every((u) => [...u.searchParams.keys()].sort().join() === 'limit,offset')).toBe(true);
      const newest = conversations.map((c) => Date.parse(c.updated_date)).reduce((a, b) => Math.max(a, b));
      expect(lastState(out)).toEqual({ updated_date: new Date(newest).toISOString() });
    });
  }

  it('full refresh ignores the cursor', async () => {
    fake = (url) => drfList(url, conversations);
    const out = await read('conversations', { mode: 'full_refresh', state: { updated_date: '2025-01-05T00:00:00.000Z' } });
    expect(out.records()).toHaveLength(130);
  });
});

describe('goals', () => {
  it('accepts title or title_name, always emits title, and leaves records that have title as they are', async () => {
    const goals = [
      { api_id: '580:a', title: 'Increase sales by 20%', unit: 'perc', current_value: '20.0000' },
      { api_id: '580:b', title_name: 'Hire two engineers' },
      { api_id: '580:c', title: 'Ship v2', title_name: 'Ship v2' },
    ];
    fake = (url) => drfList(url, goals);
    const out = await read('goals');
    expect(out.records()).toEqual([goals[0], { ...goals[1], title: 'Hire two engineers' }, goals[2]]);
    const warnings = out.messages.filter((m) => m.log?.level === 'WARN');
    expect(warnings).toEqual([]);
  });
});

describe('discover', () => {
  it('lists the ten streams with api_id keys and the two kinds of cursor', async () => {
    const out = await cli(['discover'], { config: config() });
    const streams = out.messages.find((m) => m.type === 'CATALOG')!.catalog!.streams;
    expect(streams.map((s) => s.name)).toEqual([
      'users',
      'departments',
      'goals',
      'checkins',
      'questions',
      'question_responses',
      'recognitions',
      'conversations',
      'conversation_templates',
      'conversation_plans',
    ]);
    expect(streams.every((s) => JSON.stringify(s.source_defined_primary_key) === '[["api_id"]]')).toBe(true);
    const cursors = Object.fromEntries(streams.filter((s) => s.default_cursor_field).map((s) => [s.name, s.default_cursor_field]));
    expect(cursors).toEqual({ checkins: ['submission_date'], conversations: ['updated_date'], conversation_templates: ['updated_date'] });
    expect(seen).toEqual([]);
  });
});
