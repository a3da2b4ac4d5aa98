/**
 * The Leanmote vendor driven through the connector's commands, with msw standing in for the API. The
 * fake answers with Leanmote's envelope (`{status, data, meta}`; errors `{status: "error", error:
 * {code, message}}`); each test installs a function from the request to a response body (or a Response).
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildCatalog } from '../../engine/catalog.js';
import type { Transport } from '../../engine/http/transport.js';
import { silentLogger } from '../../engine/logger.js';
import { fastRetry } from '../../../tools/testing/engine/reader.js';
import { mswTransport } from '../../../tools/testing/engine/msw.js';
import { Files, runInProcess, type ConnectorOutput, type Inputs } from '../../../tools/testing/harness.js';
import { clientsOf, describeLimits } from '../vendor.js';
import { leanmote } from './index.js';

const BASE = 'http://leanmote.test/v1';
const KEY = 'lm-api-Token-Secret-4242';

type Row = Record<string, unknown>;
type Fake = (url: URL, request: Request) => unknown;

const notFound = () => HttpResponse.json({ status: 'error', error: { code: 'NOT_FOUND', message: 'Resource not found' } }, { status: 404 });
let fake: Fake = notFound;
const seen: URL[] = [];
const headers: Headers[] = [];
const server = setupServer(
  http.all('*', async ({ request }) => {
    const url = new URL(request.url);
    seen.push(url);
    headers.push(request.headers);
    if (request.headers.get('authorization') !== `Bearer ${KEY}`) {
      return HttpResponse.json({ status: 'error', error: { code: 'UNAUTHORIZED', message: 'Invalid authentication token' } }, { status: 401 });
    }
    const answer = await fake(url, request);
    return answer instanceof Response ? answer : HttpResponse.json(answer as Row);
  }),
);

const files = new Files();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  seen.length = 0;
  headers.length = 0;
  fake = notFound;
});
afterAll(() => {
  server.close();
  files.dispose();
});

function config(extra: Row = {}, platform: Row = {}) {
  return {
    platform: { vendor: 'leanmote', api_key: KEY, base_url: BASE, ...platform },
    requests_per_second: 100,
    retry_base_delay_seconds: 0,
    max_retries: 2,
    ...extra,
  };
}

const cli = (args: string[], inputs: Inputs): Promise<ConnectorOutput> => runInProcess([...args, ...files.flags(inputs)], { transport: mswTransport });

function catalog(streams: string[], mode: 'full_refresh' | 'incremental' = 'full_refresh') {
  return {
    streams: streams.map((name) => ({
      stream: { name, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
      sync_mode: mode,
      destination_sync_mode: 'append',
    })),
  };
}

const stateOf = (stream: string, blob: Row) => [{ type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: blob } }];

const read = (streams: string | string[], options: { mode?: 'full_refresh' | 'incremental'; state?: Row; config?: Row } = {}) => {
  const names = [streams].flat();
  return cli(['read'], {
    config: options.config ?? config(),
    catalog: catalog(names, options.mode),
    ...(options.state ? { state: stateOf(names[0] as string, options.state) } : {}),
  });
};

const lastState = (out: ConnectorOutput, stream: string) => out.committedState(stream);
const estimates = (out: ConnectorOutput) => out.estimates().map((e) => e.row_estimate);
const idsOf = (records: Row[]) => records.map((r) => r['id']);
const requestsTo = (path: string) => seen.filter((u) => u.pathname === path);
const warnings = (out: ConnectorOutput) => out.messages.filter((m) => m.log?.level === 'WARN').map((m) => m.log?.message ?? '');

interface PageOptions {
  /** The most records the server serves a page, whatever is asked. */
  cap?: number;
  /** How the server counts its pages: by what it serves (default), by what was asked, or not at all. */
  totalPages?: 'served' | 'asked' | 'none';
  /** Whether meta has `total` (default true). */
  total?: boolean;
  /** Honour created_at[gte] and sort/order like the documents say (default true). */
  filters?: boolean;
}

/** One page of `items` in Leanmote's envelope, paged by `page` and `per_page` (default 50, at most 100). */
function envelope(url: URL, items: Row[], options: PageOptions = {}) {
  let list = items;
  if (options.filters ?? true) {
    const from = url.searchParams.get('created_at[gte]');
    if (from !== null) list = list.filter((r) => typeof r['created_at'] === 'string' && Date.parse(r['created_at']) >= Date.parse(from));
    if (url.searchParams.get('sort') === 'created_at') {
      const asc = url.searchParams.get('order') === 'asc';
      list = [...list].sort((a, b) => (asc ? 1 : -1) * (Date.parse(String(a['created_at'])) - Date.parse(String(b['created_at']))));
    }
  }
  const asked = Math.min(Number(url.searchParams.get('per_page') ?? 50), 100);
  const size = Math.min(asked, options.cap ?? asked);
  const page = Number(url.searchParams.get('page') ?? 1);
  const totalPages = { served: Math.ceil(list.length / size), asked: Math.ceil(list.length / asked), none: undefined }[options.totalPages ?? 'served'];
  return {
    status: 'success',
    data: list.slice((page - 1) * size, page * size),
    meta: {
      page,
      per_page: size,
      ...((options.total ?? true) ? { total: list.length } : {}),
      ...(totalPages === undefined ? {} : { total_pages: totalPages }),
      sort: url.searchParams.get('sort') ?? 'created_at',
      order: url.searchParams.get('order') ?? 'desc',
    },
  };
}

const errorBody = (status: number, code: string, message: string) => HttpResponse.json({ status: 'error', error: { code, message } }, { status });

/** Users created one hour apart from 2025-01-01T00:00:00Z, newest first as the API sorts by default. */
const users = (n: number): Row[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `usr_${i}`,
    name: `User ${i}`,
    email: `user${i}@example.com`,
    created_at: new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().replace('.000Z', 'Z'),
  })).reverse();

describe('spec', () => {
  it('offers the leanmote variant: a secret API token and an optional base URL defaulting to https://api.leanmote.com/v1', async () => {
    const out = await cli(['spec'], {});
    type Property = Record<string, unknown>;
    type Variant = { title: string; required: string[]; properties: Record<string, Property> };
    const properties = (out.spec()?.connectionSpecification as Record<string, unknown> | undefined)?.['properties'] as {
      platform: { oneOf: Variant[] };
      requests_per_second: Property;
    };
    const variant = properties.platform.oneOf.find((v) => v.properties['vendor']?.['const'] === 'leanmote') as Variant;
    expect(variant.title).toBe('Leanmote');
    expect(variant.required).toEqual(['vendor', 'api_key']);
    expect(Object.keys(variant.properties)).toEqual(['vendor', 'api_key', 'base_url']);
    expect(variant.properties['api_key']?.['airbyte_secret']).toBe(true);
    expect(variant.properties['api_key']?.['description']).toMatch(/Settings → API Tokens/);
    expect(variant.properties['base_url']?.['default']).toBe('https://api.leanmote.com/v1');
    expect(properties.requests_per_second['description']).toContain(
      'Leanmote 5 (and at most 100 per minute and 1000 per hour unless this is set), as documented',
    );
  });
});

describe('check', () => {
  it('succeeds with one request for one user, with the token as a Bearer header', async () => {
    fake = (url) => envelope(url, users(3));
    const out = await cli(['check'], { config: config() });
    expect(out.connectionStatus()?.status).toBe('SUCCEEDED');
    expect(seen.map((u) => `${u.pathname}${u.search}`)).toEqual(['/v1/users?per_page=1']);
    expect(headers[0]?.get('authorization')).toBe(`Bearer ${KEY}`);
  });

  it('fails on a rejected token with Leanmote’s code and message, and never prints the token', async () => {
    const out = await cli(['check'], { config: config({}, { api_key: 'wrong-token-777' }) });
    const status = out.connectionStatus();
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/^Leanmote rejected the API token \(HTTP 401 UNAUTHORIZED: Invalid authentication token\)\. Check api_key/);
    expect(out.stdout).not.toContain('wrong-token-777');
  });

  it('fails naming the base URL when it serves no API (404) or something other than the envelope', async () => {
    fake = () => new HttpResponse('Not Found', { status: 404 });
    let out = await cli(['check'], { config: config() });
    expect(out.connectionStatus()?.status).toBe('FAILED');
    expect(out.connectionStatus()?.message).toMatch(/no API at the base URL http:\/\/leanmote\.test\/v1 \(HTTP 404/);

    fake = () => new HttpResponse('<!doctype html><title>Leanmote</title>', { headers: { 'content-type': 'text/html' } });
    out = await cli(['check'], { config: config() });
    expect(out.connectionStatus()?.status).toBe('FAILED');
    expect(out.connectionStatus()?.message).toMatch(/without a list in the \{status, data, meta\} envelope/);
  });

  it('succeeds with a warning when the token is accepted but its user may not list users (403)', async () => {
    fake = () => errorBody(403, 'FORBIDDEN', 'You do not have permission to access this user');
    const out = await cli(['check'], { config: config() });
    expect(out.connectionStatus()?.status).toBe('SUCCEEDED');
    expect(out.logs().join('\n')).toMatch(/FORBIDDEN: You do not have permission to access this user.*The token was accepted/);
  });
});

describe('auth and secrets', () => {
  it('sends the token as a Bearer header on every request and never prints it, even when the API echoes it', async () => {
    fake = (url, request) =>
      url.pathname === '/v1/teams'
        ? envelope(url, [{ id: 'team_1' }, { id: 'team_2' }])
        : errorBody(400, 'VALIDATION_ERROR', `bad request from ${request.headers.get('authorization')} (token ${KEY})`);
    const out = await read(['teams', 'team_members']);
    expect(out.code).toBe(1);
    expect(headers.length).toBeGreaterThan(1);
    expect(headers.every((h) => h.get('authorization') === `Bearer ${KEY}`)).toBe(true);
    expect(out.errors()).toHaveLength(1);
    expect(out.stdout).not.toContain(KEY);
  });
});

describe('page/per_page pagination', () => {
  const sizes = () => seen.map((u) => Number(u.searchParams.get('per_page')));
  /** Exactly these records, each once, in whatever order the list is read. */
  const expectOnce = (records: Row[], expected: Row[]) => {
    expect(records).toHaveLength(expected.length);
    expect(new Set(idsOf(records))).toEqual(new Set(idsOf(expected)));
  };

  it('asks for 100 a page, every record once, and emits meta.total as the estimate', async () => {
    fake = (url) => envelope(url, users(250));
    const out = await read('users');
    expect(out.code).toBe(0);
    expectOnce(out.records(), users(250));
    expect(estimates(out)).toEqual([250]);
    expect(sizes()[0]).toBe(100);
    expect(sizes().every((size) => size <= 100)).toBe(true);
    // Each page starts on the last record read: three pages and a little overlap.
    expect(seen.length).toBeLessThanOrEqual(4);
  });

  it('asks for page_size a page, at most 100', async () => {
    fake = (url) => envelope(url, users(30));
    await read('users', { config: config({ page_size: 1000 }) });
    expect(sizes()).toEqual([100]);
    seen.length = 0;
    await read('users', { config: config({ page_size: 20 }) });
    expect(sizes()[0]).toBe(20);
    expect(sizes().every((size) => size <= 20)).toBe(true);
  });

  it('ends the list at meta.total without asking for an empty page', async () => {
    fake = (url) => envelope(url, users(100));
    const out = await read('users');
    expect(out.records()).toHaveLength(100);
    expect(seen).toHaveLength(1);
  });

  it('reads an empty list with one request and an estimate of 0', async () => {
    fake = (url) => envelope(url, []);
    const out = await read('users');
    expect(out.code).toBe(0);
    expect(out.records()).toEqual([]);
    expect(estimates(out)).toEqual([0]);
    expect(seen).toHaveLength(1);
  });

  for (const totalPages of ['served', 'asked', 'none'] as const) {
    it(`loses nothing when the server serves fewer than per_page (total_pages counted ${totalPages === 'none' ? 'nowhere' : `by the size ${totalPages}`})`, async () => {
      fake = (url) => envelope(url, users(95), { cap: 30, totalPages });
      const out = await read('users');
      expect(out.code).toBe(0);
      expectOnce(out.records(), users(95));
      expect(estimates(out)).toEqual([95]);
    });
  }

  it('reads to an empty page when meta says neither total nor total_pages', async () => {
    fake = (url) => envelope(url, users(95), { cap: 30, totalPages: 'none', total: false });
    const out = await read('users');
    expectOnce(out.records(), users(95));
    expect(estimates(out)).toEqual([]);
  });

  it('resumes from a checkpoint without re-reading earlier pages', async () => {
    fake = (url) => envelope(url, users(250));
    const first = await read('users');
    const checkpoint = first.states('users')[0]?.stream?.stream_state as Row;
    expect(checkpoint?.['resume'], 'a checkpoint after the first page').toBeDefined();
    const before = first.slice(0, first.messages.indexOf(first.messages.find((m) => m.type === 'STATE') as never)).records('users');
    seen.length = 0;
    const out = await read('users', { state: checkpoint });
    const union = new Set(idsOf([...before, ...out.records()]));
    expect(union.size, 'every record, before the checkpoint or after it').toBe(250);
    expect(out.records().length).toBeLessThan(250);
    expect(seen[0]?.searchParams.get('page')).not.toBe('1');
  });

  it('resumes from a page number saved by an earlier version as a position: records come again, none is lost', async () => {
    fake = (url) => envelope(url, users(250));
    const out = await read('users', { state: { resume: { at: { page: 3 } } } });
    // users() lists newest first; the read goes oldest first, so position 3 is past the three oldest.
    expectOnce(out.records(), users(250).slice(0, 247));
  });

  it('reads the dashboard catalog, documented without meta, with one request and no page parameters', async () => {
    const entries = [
      { key: 'overview', name: 'Overview Dashboard', description: 'High-level health and delivery metrics' },
      { key: 'dora', name: 'DORA', description: null },
    ];
    fake = () => ({ status: 'success', data: entries });
    const out = await read('dashboard_catalog');
    expect(out.code).toBe(0);
    expect(out.records()).toEqual(entries);
    expect(seen.map((u) => `${u.pathname}${u.search}`)).toEqual(['/v1/dashboard-views/catalog']);
    expect(estimates(out)).toEqual([]);
  });
});

describe('incremental on created_at', () => {
  const INCREMENTAL = ['organizations', 'teams', 'users'] as const;
  const records = (prefix: string): Row[] => users(250).map((u) => ({ ...u, id: String(u['id']).replace('usr', prefix) }));

  for (const stream of INCREMENTAL) {
    it(`${stream}: asks oldest first from the cursor's day with created_at[gte], emits from the cursor on, and moves it to the newest`, async () => {
      const all = records(stream.slice(0, 3));
      fake = (url) => envelope(url, all);
      const bound = '2025-01-05T10:30:00.000Z';
      const out = await read(stream, { mode: 'incremental', state: { created_at: bound } });
      expect(out.code).toBe(0);
      const expected = all.filter((r) => Date.parse(String(r['created_at'])) >= Date.parse(bound));
      expect(idsOf(out.records())).toEqual(idsOf([...expected].reverse()));
      expect(seen.length).toBeGreaterThan(1);
      for (const url of seen) {
        expect(url.pathname).toBe(`/v1/${stream}`);
        expect(url.searchParams.get('created_at[gte]')).toBe('2025-01-05');
        expect(url.searchParams.get('sort')).toBe('created_at');
        expect(url.searchParams.get('order')).toBe('asc');
        expect(Number(url.searchParams.get('per_page'))).toBeLessThanOrEqual(100);
      }
      expect(seen[0]?.searchParams.get('per_page')).toBe('100');
      expect(lastState(out, stream)).toEqual({ created_at: '2025-01-11T09:00:00.000Z' });
    });
  }

  it('filters on the client side when the API ignores created_at[gte]', async () => {
    const all = users(250);
    fake = (url) => envelope(url, all, { filters: false });
    const bound = '2025-01-10T00:00:00Z';
    const out = await read('users', { mode: 'incremental', state: { created_at: bound } });
    const expected = all.filter((r) => Date.parse(String(r['created_at'])) >= Date.parse(bound));
    expect(new Set(idsOf(out.records()))).toEqual(new Set(idsOf(expected)));
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(all.length);
    // Every page is read, since the server sent them all.
    expect(seen).toHaveLength(3);
    expect(lastState(out, 'users')).toEqual({ created_at: '2025-01-11T09:00:00.000Z' });
  });

  it('reads everything oldest first, with no created_at filter, on the first sync without a start date', async () => {
    const all = users(120);
    fake = (url) => envelope(url, all);
    const out = await read('users', { mode: 'incremental' });
    expect(out.records()).toHaveLength(120);
    expect(out.records()[0]?.['created_at']).toBe('2025-01-01T00:00:00Z');
    expect(seen.every((u) => !u.searchParams.has('created_at[gte]') && u.searchParams.get('order') === 'asc')).toBe(true);
  });

  it('starts at the start date on the first sync', async () => {
    fake = (url) => envelope(url, users(120));
    const out = await read('users', { mode: 'incremental', config: config({ start_date: '2025-01-05T06:00:00Z' }) });
    expect(seen[0]?.searchParams.get('created_at[gte]')).toBe('2025-01-05');
    expect(out.records().every((r) => Date.parse(String(r['created_at'])) >= Date.parse('2025-01-05T06:00:00Z'))).toBe(true);
    expect(out.records()).toHaveLength(120 - 4 * 24 - 6);
  });

  it('full refresh of an incremental stream reads everything, still oldest first', async () => {
    fake = (url) => envelope(url, users(120));
    const out = await read('users', { mode: 'full_refresh', state: { created_at: '2025-01-05T00:00:00Z' } });
    expect(out.records()).toHaveLength(120);
    expect(seen.every((u) => !u.searchParams.has('created_at[gte]') && u.searchParams.get('sort') === 'created_at')).toBe(true);
  });

  it('sends neither filter nor order to the lists that document neither', async () => {
    fake = (url) => envelope(url, [{ id: 'x_1' }]);
    for (const stream of ['tasks', 'boards', 'interactions', 'calendars', 'calendar_events', 'apps', 'git_apps', 'dashboard_views']) {
      seen.length = 0;
      const out = await read(stream);
      expect(out.code, stream).toBe(0);
      expect([...(seen[0]?.searchParams.keys() ?? [])].sort(), stream).toEqual(['page', 'per_page']);
    }
  });

  it('reads on without created_at[gte], sort and order when the API refuses them (400), filtering on the client side', async () => {
    const all = users(150);
    fake = (url) =>
      url.searchParams.has('created_at[gte]') ? errorBody(400, 'VALIDATION_ERROR', 'Unsupported filter created_at') : envelope(url, all, { filters: false });
    const bound = '2025-01-06T00:00:00Z';
    const out = await read('users', { mode: 'incremental', state: { created_at: bound } });
    expect(out.code).toBe(0);
    const expected = all.filter((r) => Date.parse(String(r['created_at'])) >= Date.parse(bound));
    expect(new Set(idsOf(out.records()))).toEqual(new Set(idsOf(expected)));
    expect(seen.map((u) => [...u.searchParams.keys()].sort().join())).toEqual(['created_at[gte],order,page,per_page,sort', 'page,per_page', 'page,per_page']);
    expect(warnings(out).join('\n')).toMatch(
      /refused GET \/v1\/users with created_at\[gte\], sort, order \(HTTP 400 VALIDATION_ERROR: Unsupported filter created_at\)/,
    );
  });
  it('drops the refused parameters for that list alone', async () => {
    fake = (url) => {
      if (url.pathname === '/v1/users' && url.searchParams.has('sort')) return errorBody(400, 'VALIDATION_ERROR', 'Invalid sort field');
      return envelope(url, users(120));
    };
    const out = await read(['users', 'teams'], { mode: 'incremental' });
    expect(out.code).toBe(0);
    expect(out.records('users')).toHaveLength(120);
    expect(out.records('teams')).toHaveLength(120);
    expect(requestsTo('/v1/users').map((u) => u.searchParams.has('sort'))).toEqual([true, false, false]);
    expect(requestsTo('/v1/teams').every((u) => u.searchParams.get('sort') === 'created_at' && u.searchParams.get('order') === 'asc')).toBe(true);
    expect(warnings(out)).toHaveLength(1);
  });
});

describe('children: one partition per parent, stamped with its id', () => {
  it('organization_members carry organization_id; pages are read for each organization', async () => {
    const members = Array.from({ length: 130 }, (_, i) => ({ id: `usr_${i}`, name: `M ${i}`, email: `m${i}@example.com`, role: 'member' }));
    fake = (url) => {
      if (url.pathname === '/v1/organizations')
        return envelope(url, [
          { id: 'org_1', created_at: '2025-01-01T00:00:00Z' },
          { id: 'org 2/x', created_at: '2025-01-02T00:00:00Z' },
        ]);
      if (url.pathname === '/v1/organizations/org_1/members') return envelope(url, members);
      if (url.pathname === '/v1/organizations/org%202%2Fx/members') return envelope(url, members.slice(0, 3));
      return notFound();
    };
    const out = await read('organization_members');
    expect(out.code).toBe(0);
    const records = out.records();
    expect(records).toHaveLength(133);
    expect(records.filter((r) => r['organization_id'] === 'org_1')).toHaveLength(130);
    expect(records.filter((r) => r['organization_id'] === 'org 2/x').map((r) => r['id'])).toEqual(['usr_0', 'usr_1', 'usr_2']);
    expect(records[0]).toEqual({ ...members[0], organization_id: expect.any(String) });
    expect(requestsTo('/v1/organizations/org_1/members').map((u) => u.searchParams.get('page'))).toEqual(['1', '2']);
    // A child stream has no single total.
    expect(estimates(out)).toEqual([]);
  });

  it('team_members and team_managers carry team_id', async () => {
    fake = (url) => {
      if (url.pathname === '/v1/teams') return envelope(url, [{ id: 'team_77', organization_id: 'org_1', name: 'Platform' }, { id: 'team_78' }]);
      const match = /^\/v1\/teams\/(team_\d+)\/(members|managers)$/.exec(url.pathname);
      if (match) return envelope(url, [{ id: `usr_${match[2]}_${match[1]}`, name: 'Jane Doe', email: 'jane@example.com', title: 'Engineering Manager' }]);
      return notFound();
    };
    const out = await read(['team_members', 'team_managers']);
    expect(out.code).toBe(0);
    expect(out.records('team_members').map((r) => [r['team_id'], r['id']])).toEqual([
      ['team_77', 'usr_members_team_77'],
      ['team_78', 'usr_members_team_78'],
    ]);
    expect(out.records('team_managers').map((r) => [r['team_id'], r['id']])).toEqual([
      ['team_77', 'usr_managers_team_77'],
      ['team_78', 'usr_managers_team_78'],
    ]);
  });

  it('skips a team that vanished between the two requests (404 on its members), with a warning', async () => {
    fake = (url) => {
      if (url.pathname === '/v1/teams') return envelope(url, [{ id: 'team_1' }, { id: 'team_gone' }]);
      if (url.pathname === '/v1/teams/team_1/members') return envelope(url, [{ id: 'usr_1' }]);
      return errorBody(404, 'NOT_FOUND', 'Team not found');
    };
    const out = await read('team_members');
    expect(out.code).toBe(0);
    expect(out.records()).toEqual([{ id: 'usr_1', team_id: 'team_1' }]);
    expect(warnings(out).join('\n')).toMatch(/team_members: skipped team_id=team_gone/);
  });

  it('skips a repository deleted during the read once its commits answered for another; fails on a route no repository answers', async () => {
    const repos = (url: URL) => envelope(url, [{ id: 'repo_1' }, { id: 'repo_gone' }]);
    fake = (url) => {
      if (url.pathname === '/v1/git/apps') return envelope(url, [{ id: 'app_gh_1' }]);
      if (url.pathname === '/v1/git/apps/app_gh_1/repositories') return repos(url);
      if (url.pathname === '/v1/git/apps/app_gh_1/repositories/repo_1/commits') return envelope(url, [{ id: 'c1', created_at: '2025-03-01T00:00:00Z' }]);
      return errorBody(404, 'NOT_FOUND', 'Git integration resource not found');
    };
    const out = await read('git_commits', { config: config({ concurrency: 1 }) });
    expect(out.code).toBe(0);
    expect(out.records().map((r) => [r['repository_id'], r['id']])).toEqual([['repo_1', 'c1']]);
    expect(warnings(out).join('\n')).toMatch(/git_commits: skipped git_app_id=app_gh_1, repository_id=repo_gone/);

    // The same 404 before any repository's commits answered: the route may not exist for this account.
    fake = (url) => {
      if (url.pathname === '/v1/git/apps') return envelope(url, [{ id: 'app_gh_1' }]);
      if (url.pathname === '/v1/git/apps/app_gh_1/repositories') return envelope(url, [{ id: 'repo_gone' }]);
      return errorBody(404, 'NOT_FOUND', 'Git integration resource not found');
    };
    const failed = await read('git_commits');
    expect(failed.code).toBe(1);
    expect(failed.errors()[0]?.message).toMatch(/not in its route table/);
  });

  it("skips a repository deleted before any commits list answered, when another repository's commits, asked for with it, answer", async () => {
    let goneAnswered = () => {};
    const gone = new Promise<void>((resolve) => (goneAnswered = resolve));
    fake = (url) => {
      if (url.pathname === '/v1/git/apps') return envelope(url, [{ id: 'app_gh_1' }]);
      if (url.pathname === '/v1/git/apps/app_gh_1/repositories') return envelope(url, [{ id: 'repo_gone' }, { id: 'repo_1' }]);
      if (url.pathname === '/v1/git/apps/app_gh_1/repositories/repo_1/commits') {
        // Answers only after repo_gone's 404 is on its way back.
        return gone.then(() => envelope(url, [{ id: 'c1', created_at: '2025-03-01T00:00:00Z' }]));
      }
      goneAnswered();
      return errorBody(404, 'NOT_FOUND', 'Git integration resource not found');
    };
    const out = await read('git_commits', { config: config({ concurrency: 2 }) });
    expect(out.errors()).toEqual([]);
    expect(out.records().map((r) => [r['repository_id'], r['id']])).toEqual([['repo_1', 'c1']]);
    expect(warnings(out).join('\n')).toMatch(/git_commits: skipped git_app_id=app_gh_1, repository_id=repo_gone/);
  });

  it('git_commits and git_pull_requests carry git_app_id and repository_id, read oldest first from created_at', async () => {
    fake = (url) => {
      if (url.pathname === '/v1/git/apps') return envelope(url, [{ id: 'app_gh_1', provider: 'github', name: 'GitHub Enterprise', is_active: true }]);
      if (url.pathname === '/v1/git/apps/app_gh_1/repositories')
        return envelope(url, [
          { id: 'repo_1', name: 'api' },
          { id: 'repo_2', name: 'web' },
        ]);
      const match = /^\/v1\/git\/apps\/app_gh_1\/repositories\/(repo_\d)\/(commits|pull-requests)$/.exec(url.pathname);
      if (match) {
        return envelope(url, [
          { id: `${match[2]}-old`, created_at: '2025-01-01T00:00:00Z' },
          { id: `${match[2]}-new`, created_at: '2025-03-01T00:00:00Z' },
        ]);
      }
      return notFound();
    };
    const out = await read(['git_commits'], { mode: 'incremental', state: { created_at: '2025-02-01T00:00:00Z' } });
    expect(out.code).toBe(0);
    expect(out.records()).toEqual([
      { id: 'commits-new', created_at: '2025-03-01T00:00:00Z', git_app_id: 'app_gh_1', repository_id: 'repo_1' },
      { id: 'commits-new', created_at: '2025-03-01T00:00:00Z', git_app_id: 'app_gh_1', repository_id: 'repo_2' },
    ]);
    const commits = seen.filter((u) => u.pathname.endsWith('/commits'));
    expect(commits).toHaveLength(2);
    expect(commits.every((u) => u.searchParams.get('created_at[gte]') === '2025-02-01' && u.searchParams.get('order') === 'asc')).toBe(true);
    expect(lastState(out, 'git_commits')).toEqual({ created_at: '2025-03-01T00:00:00.000Z' });

    seen.length = 0;
    const prs = await read('git_pull_requests');
    expect(prs.records().map((r) => [r['git_app_id'], r['repository_id'], r['id']])).toEqual([
      ['app_gh_1', 'repo_1', 'pull-requests-old'],
      ['app_gh_1', 'repo_1', 'pull-requests-new'],
      ['app_gh_1', 'repo_2', 'pull-requests-old'],
      ['app_gh_1', 'repo_2', 'pull-requests-new'],
    ]);
    expect(seen.filter((u) => u.pathname.endsWith('/pull-requests'))).toHaveLength(2);
    // The parents read for a child are not emitted.
    expect(prs.records('git_repositories')).toEqual([]);
  });
});

describe('errors: Leanmote’s code and message in the trace; a missing route fails only its stream', () => {
  it('fails each git stream with a clear message when the account has no git repository routes (404), and reads the other streams', async () => {
    fake = (url) => {
      if (url.pathname === '/v1/git/apps') return envelope(url, [{ id: 'app_gh_1' }, { id: 'app_gl_2' }]);
      if (url.pathname === '/v1/users') return envelope(url, users(3));
      return errorBody(404, 'NOT_FOUND', 'Route not found');
    };
    const out = await read(['git_apps', 'git_repositories', 'git_commits', 'users']);
    expect(out.code).toBe(1);
    expect(out.statuses('git_apps').at(-1)).toBe('COMPLETE');
    expect(out.statuses('users').at(-1)).toBe('COMPLETE');
    expect(out.records('git_apps')).toHaveLength(2);
    expect(out.records('users')).toHaveLength(3);
    for (const stream of ['git_repositories', 'git_commits']) {
      expect(out.statuses(stream).at(-1), stream).toBe('INCOMPLETE');
      const error = out.errors().find((e) => e.stream_descriptor?.name === stream);
      expect(error?.failure_type, stream).toBe('config_error');
      expect(error?.message, stream).toMatch(
        // Either app's: both are asked for at once, and each 404 waits for the other's answer.
        /^Leanmote has no GET \/v1\/git\/apps\/app_g[hl]_\d\/repositories for this account \(HTTP 404 NOT_FOUND: Route not found\)\. The git repository, commit and pull-request routes are in Leanmote's API overview but not in its route table/,
      );
    }
    // A 404 is not retried.
    expect(requestsTo('/v1/git/apps/app_gh_1/repositories').length).toBeLessThanOrEqual(2);
    expect(out.stdout).not.toContain(KEY);
  });

  it('fails a list the account does not serve (404) as a configuration error naming the route', async () => {
    fake = (url) => (url.pathname === '/v1/teams' ? envelope(url, [{ id: 'team_1' }]) : errorBody(404, 'NOT_FOUND', 'Resource not found'));
    const out = await read(['calendars', 'teams']);
    expect(out.code).toBe(1);
    expect(out.statuses('teams').at(-1)).toBe('COMPLETE');
    const error = out.errors()[0];
    expect(error?.stream_descriptor?.name).toBe('calendars');
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toBe(
      "Leanmote has no GET /v1/calendars for this account (HTTP 404 NOT_FOUND: Resource not found): the account's API does not serve this list. Deselect the stream that reads it.",
    );
  });

  it('names FORBIDDEN and its message when the token may not read a list (403)', async () => {
    fake = () => errorBody(403, 'FORBIDDEN', 'You do not have permission to access this team');
    const out = await read('teams');
    const error = out.errors()[0];
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toMatch(
      /^Leanmote refused GET \/v1\/teams \(HTTP 403 FORBIDDEN: You do not have permission to access this team\)\. A token reads what its user may see/,
    );
  });

  it('names VALIDATION_ERROR and its message on a 400 (no optional parameter to drop)', async () => {
    fake = () => errorBody(400, 'VALIDATION_ERROR', 'per_page must be at most 100');
    const out = await read('tasks');
    const error = out.errors()[0];
    expect(error?.message).toBe('Leanmote answered HTTP 400 on tasks: VALIDATION_ERROR: per_page must be at most 100.');
    expect(error?.internal_message).toBe('GET /v1/tasks answered HTTP 400: VALIDATION_ERROR: per_page must be at most 100');
  });

  it('names SERVER_ERROR in the internal message after the retries of a 500', async () => {
    fake = () => errorBody(500, 'SERVER_ERROR', 'Internal server error');
    const out = await read('boards');
    const error = out.errors()[0];
    expect(error?.failure_type).toBe('transient_error');
    expect(error?.message).toMatch(/HTTP 500 on boards after 3 attempts/);
    expect(error?.internal_message).toBe('GET /v1/boards answered HTTP 500 after 3 attempts: SERVER_ERROR: Internal server error');
    expect(seen).toHaveLength(3);
  });

  it('names the token and Leanmote’s words when a token expires during a read (401)', async () => {
    fake = () => errorBody(401, 'UNAUTHORIZED', 'Authentication token has expired');
    const out = await read('apps');
    const error = out.errors()[0];
    expect(error?.failure_type).toBe('config_error');
    expect(error?.message).toMatch(/^Leanmote rejected the API token \(HTTP 401 UNAUTHORIZED: Authentication token has expired\)/);
    expect(seen).toHaveLength(1);
  });

  it('fails on a 200 whose envelope reports an error, with its code and message, instead of reading no records', async () => {
    fake = () => ({ status: 'error', error: { code: 'SERVER_ERROR', message: 'Upstream timeout' } });
    const out = await read('interactions');
    expect(out.code).toBe(1);
    expect(out.errors()[0]?.message).toBe('Reading interactions failed: Leanmote answered with an error (SERVER_ERROR: Upstream timeout).');
  });

  it('fails on a list in the older API’s shape (data is an object) instead of emitting it as one record', async () => {
    fake = () => ({ status: 'success', data: { organizations: [{ id_organization: 1 }], total_count: 1 } });
    const out = await read('organizations');
    expect(out.code).toBe(1);
    expect(out.records()).toEqual([]);
    expect(out.errors()[0]?.message).toMatch(/without a list in the \{status, data, meta\} envelope/);
  });
});

describe('discover', () => {
  // The stream table of the contract: name → [primary key, incremental?].
  const TABLE: Record<string, [string[][], boolean]> = {
    organizations: [[['id']], true],
    organization_members: [[['organization_id'], ['id']], false],
    teams: [[['id']], true],
    team_members: [[['team_id'], ['id']], false],
    team_managers: [[['team_id'], ['id']], false],
    users: [[['id']], true],
    tasks: [[['id']], false],
    boards: [[['id']], false],
    interactions: [[['id']], false],
    calendars: [[['id']], false],
    calendar_events: [[['id']], false],
    apps: [[['id']], false],
    git_apps: [[['id']], false],
    git_repositories: [[['git_app_id'], ['id']], false],
    git_commits: [[['git_app_id'], ['repository_id'], ['id']], true],
    git_pull_requests: [[['git_app_id'], ['repository_id'], ['id']], true],
    dashboard_views: [[['id']], false],
    dashboard_catalog: [[['key']], false],
  };

  it('lists the eighteen streams, in order, with their keys, sync modes and created_at cursors, without a request', async () => {
    const out = await cli(['discover'], { config: config() });
    const streams = out.catalog().streams;
    expect(streams.map((s) => s.name)).toEqual(Object.keys(TABLE));
    for (const stream of streams) {
      const [key, incremental] = TABLE[stream.name] as [string[][], boolean];
      expect(stream.source_defined_primary_key, stream.name).toEqual(key);
      expect(stream.supported_sync_modes, stream.name).toEqual(incremental ? ['full_refresh', 'incremental'] : ['full_refresh']);
      if (incremental) expect(stream.default_cursor_field, stream.name).toEqual(['created_at']);
      // Undocumented fields pass through.
      expect((stream.json_schema as Row)['additionalProperties'], stream.name).toBe(true);
    }
    expect(seen).toEqual([]);
  });
});

/** A transport that records when each request went out and answers an empty list, with `headers` if given. */
function recordingTransport(headers: () => Record<string, string> = () => ({})): {
  transport: Transport;
  sent: Array<{ url: URL; at: number; authorization: string | null }>;
} {
  const sent: Array<{ url: URL; at: number; authorization: string | null }> = [];
  const transport: Transport = async (url, init) => {
    sent.push({ url: new URL(url), at: Date.now(), authorization: init.headers['authorization'] ?? null });
    return new Response(JSON.stringify({ status: 'success', data: [], meta: { page: 1, per_page: 100, total: 0, total_pages: 0 } }), {
      headers: { 'content-type': 'application/json', ...headers() },
    });
  };
  return { transport, sent };
}

describe('defaults and the documented rate limit', () => {
  it('talks to https://api.leanmote.com/v1 when the config sets no base URL', async () => {
    const { transport, sent } = recordingTransport();
    const platform = { vendor: 'leanmote' as const, api_key: KEY };
    const apis = leanmote.apis(platform, { transport, retry: fastRetry, logger: silentLogger, settings: { pageSize: 100 }, addSecret: () => undefined });
    try {
      await leanmote.check(apis, platform);
    } finally {
      await Promise.all(clientsOf(apis).map((api) => api.close()));
    }
    expect(sent.map((s) => s.url.toString())).toEqual(['https://api.leanmote.com/v1/users?per_page=1']);
    expect(sent[0]?.authorization).toBe(`Bearer ${KEY}`);
  });

  it('declares 1000 an hour, 100 a minute (a tenth of it left to other clients), documented', () => {
    expect(leanmote.limits.api).toEqual({ title: 'API', requestsPerSecond: 5, perMinute: 100, perHour: 1000, minuteHeadroom: 0.1, documented: true });
    expect(describeLimits(leanmote)).toBe('Leanmote 5 (and at most 100 per minute and 1000 per hour unless this is set), as documented');
    expect(buildCatalog(leanmote.streams({ vendor: 'leanmote', api_key: KEY }, { pageSize: 100 })).streams).toHaveLength(18);
  });

  describe('pacing', () => {
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    });
    afterEach(() => vi.useRealTimers());

    /** The most times that fall within one window of `windowMs`. */
    function fullest(times: readonly number[], windowMs: number): number {
      let most = 0;
      for (let last = 0, first = 0; last < times.length; last++) {
        while ((times[last] as number) - (times[first] as number) >= windowMs) first++;
        most = Math.max(most, last - first + 1);
      }
      return most;
    }

    /** Fires 250 requests at once and returns when each went out, in fake milliseconds. */
    async function burst(requestsPerSecond: number | undefined): Promise<number[]> {
      const { transport, sent } = recordingTransport();
      const settings = { pageSize: 100, ...(requestsPerSecond === undefined ? {} : { requestsPerSecond }) };
      const apis = leanmote.apis(
        { vendor: 'leanmote', api_key: KEY },
        { transport, retry: fastRetry, logger: silentLogger, settings, addSecret: () => undefined },
      );
      try {
        const all = Promise.all(Array.from({ length: 250 }, () => apis.api.request({ path: '/users' })));
        await vi.runAllTimersAsync();
        await all;
      } finally {
        await Promise.all(clientsOf(apis).map((api) => api.close()));
      }
      return sent.map((s) => s.at);
    }

    it('by default: 5 a second, and never more than 90 of the 100 requests of any minute (the rest left to other clients)', async () => {
      const times = await burst(undefined);
      expect(times).toHaveLength(250);
      expect(fullest(times, 1_000)).toBe(5);
      expect(fullest(times, 60_000)).toBe(90);
      // 250 requests need three minutes' worth of budget: the last goes out after two minutes.
      expect((times.at(-1) as number) - (times[0] as number)).toBeGreaterThanOrEqual(120_000);
    });

    it('with requests_per_second set, that is the whole of its own pace (the rate-limit headers still hold it to the quota)', async () => {
      const times = await burst(50);
      expect(times).toHaveLength(250);
      expect(fullest(times, 1_000)).toBe(50);
      expect((times.at(-1) as number) - (times[0] as number)).toBeLessThan(5_000);
    });

    it('waits for X-RateLimit-Reset once X-RateLimit-Remaining says the quota is spent (by other clients too)', async () => {
      const reset = Math.floor(Date.now() / 1000) + 600;
      const { transport, sent } = recordingTransport(() => ({ 'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(reset) }));
      const apis = leanmote.apis(
        { vendor: 'leanmote', api_key: KEY },
        { transport, retry: fastRetry, logger: silentLogger, settings: { pageSize: 100 }, addSecret: () => undefined },
      );
      try {
        await apis.api.request({ path: '/users' });
        const second = apis.api.request({ path: '/teams' });
        await vi.runAllTimersAsync();
        await second;
      } finally {
        await Promise.all(clientsOf(apis).map((api) => api.close()));
      }
      expect(sent).toHaveLength(2);
      expect(sent[1]?.at).toBeGreaterThanOrEqual(reset * 1000);
    });
  });
});
