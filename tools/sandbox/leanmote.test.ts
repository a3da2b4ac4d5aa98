import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { primaryKeyOf, startSandbox, type Sandbox, type SandboxOptions } from './index.js';
import { LEANMOTE_CREDENTIALS, LEANMOTE_REFUSED_TOKENS } from './leanmote/credentials.js';
import { LeanmoteQuota, leanmoteQuotaOptions } from './leanmote/quota.js';
import { getJson, keysOf } from './testkit.js';
import { type LeanmoteData, type LeanmoteError, leanmoteHeaders, type LeanmoteList } from './leanmote/testkit.js';
import type { DataRecord } from './vendor.js';

const auth = leanmoteHeaders;

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 9, scale: 0.2 });
});
afterAll(() => sb.close());

const api = (path: string, box: Sandbox = sb) => `${box.mounts.leanmote}${path}`;
/** A Leanmote GET; the body is read as a page of a list unless the caller says otherwise. */
const get = <T = LeanmoteList>(path: string, box: Sandbox = sb, headers: Record<string, string> = auth) => getJson<T>(api(path, box), headers);
const truth = (stream: string, box: Sandbox = sb) => box.truth('leanmote', stream);
const keys = (stream: string, records: DataRecord[], box: Sandbox = sb) => keysOf(records, box.streams('leanmote')[stream] as string[]);

/** Walks a list by page number up to `meta.total_pages`, checking the totals on every page. */
async function walk(path: string, box: Sandbox = sb, perPage = 100): Promise<{ records: DataRecord[]; requests: number }> {
  const records: DataRecord[] = [];
  const sep = path.includes('?') ? '&' : '?';
  let totalPages = 1;
  let total: number | undefined;
  let requests = 0;
  for (let page = 1; page <= totalPages; page++) {
    const res = await get(`${path}${sep}page=${page}&per_page=${perPage}`, box);
    requests++;
    if (res.status !== 200) throw new Error(`GET ${path} page ${page} → ${res.status} ${JSON.stringify(res.body)}`);
    expect(res.body.status).toBe('success');
    total ??= res.body.meta.total;
    expect(res.body.meta.total).toBe(total);
    totalPages = res.body.meta.total_pages;
    records.push(...res.body.data);
  }
  expect(records.length).toBe(total);
  return { records, requests };
}

/** Oldest first: the order of the truth (and of `order=asc`). */
async function walkAsc(path: string, box: Sandbox = sb, perPage = 100) {
  return walk(`${path}${path.includes('?') ? '&' : '?'}order=asc`, box, perPage);
}

describe('Leanmote auth and errors', () => {
  it('accepts only `Bearer <token>` and answers 401 UNAUTHORIZED with the documented messages', async () => {
    const unauthorized = (message: string) => ({ status: 'error', error: { code: 'UNAUTHORIZED', message } });
    expect((await get('/organizations', sb, {})).body).toEqual(unauthorized('Missing authentication token'));
    for (const header of [LEANMOTE_CREDENTIALS.apiKey, `lm-${LEANMOTE_CREDENTIALS.apiKey}`, `Token ${LEANMOTE_CREDENTIALS.apiKey}`, 'Bearer nope']) {
      const res = await get('/organizations', sb, { authorization: header });
      expect(res.status, header).toBe(401);
      expect(res.body, header).toEqual(unauthorized('Invalid authentication token'));
    }
    expect((await get('/users', sb, { authorization: `Bearer ${LEANMOTE_REFUSED_TOKENS.expired}` })).body).toEqual(
      unauthorized('Authentication token has expired'),
    );
    expect((await get('/users', sb, { authorization: `Bearer ${LEANMOTE_REFUSED_TOKENS.inactive}` })).body).toEqual(
      unauthorized('Authentication token is inactive'),
    );
    expect((await get('/users', sb, { authorization: `bearer ${LEANMOTE_CREDENTIALS.apiKey}` })).status).toBe(200);
    expect((await get('/health', sb, {})).body).toEqual({ status: 'success', data: { status: 'ok' } });
  });

  it('answers 404 NOT_FOUND for unknown routes (after auth) and unknown ids', async () => {
    expect((await get('/surveys', sb, {})).status).toBe(401);
    const notFound = (message: string) => ({ status: 'error', error: { code: 'NOT_FOUND', message } });
    expect((await get('/surveys')).body).toEqual(notFound('Resource not found'));
    expect((await get('/organizations/org_999')).body).toEqual(notFound('Organization not found'));
    expect((await get('/organizations/123/members')).body).toEqual(notFound('Organization not found'));
    expect((await get('/teams/team_0/members')).body).toEqual(notFound('Team not found'));
    expect((await get('/users/usr_99999')).body).toEqual(notFound('User not found'));
    expect((await get('/dashboard-views/view_9999')).body).toEqual(notFound('Dashboard view not found'));
    const notGit = truth('apps').find((a) => !['github', 'gitlab', 'bitbucket'].includes(String(a['provider']))) as DataRecord;
    expect((await get(`/git/apps/${notGit['id']}/repositories`)).body).toEqual(notFound('Git integration resource not found'));
    const gitApp = truth('git_apps')[0] as DataRecord;
    expect((await get(`/git/apps/${gitApp['id']}/repositories/repo_99999/commits`)).status).toBe(404);
  });

  it('rejects bad parameters with 400 VALIDATION_ERROR', async () => {
    for (const query of [
      'page=0',
      'page=abc',
      'per_page=0',
      'per_page=-5',
      'sort=email',
      'order=up',
      'created_at[gte]=yesterday',
      'created_at[ne]=2024-01-01',
    ]) {
      const res = await get<LeanmoteError>(`/organizations?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code, query).toBe('VALIDATION_ERROR');
    }
  });
});

describe('Leanmote envelope and lists', () => {
  it('wraps lists in {status, data, meta} and single objects and the catalog in {status, data}', async () => {
    const res = await get('/teams');
    const total = truth('teams').length;
    expect(res.body).toEqual({
      status: 'success',
      data: expect.any(Array),
      meta: { page: 1, per_page: 50, total, total_pages: Math.ceil(total / 50), sort: 'created_at', order: 'desc' },
    });
    expect(res.body.data).toHaveLength(Math.min(50, total));
    const team = truth('teams')[3] as DataRecord;
    expect((await get(`/teams/${team['id']}`)).body).toEqual({ status: 'success', data: team });
    const catalog = await get<LeanmoteData<DataRecord[]>>('/dashboard-views/catalog');
    expect(catalog.body).toEqual({ status: 'success', data: truth('dashboard_catalog') });
    expect(catalog.body.data[0]).toEqual({ key: 'overview', name: 'Overview Dashboard', description: 'High-level health and delivery metrics' });
  });

  it('shapes records as documented, with ids like org_123, team_77 and usr_42 and created_at in whole seconds with Z', () => {
    const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
    const org = truth('organizations')[0] as DataRecord;
    expect(Object.keys(org)).toEqual(['id', 'name', 'created_at']);
    expect(org['id']).toMatch(/^org_\d+$/);
    expect(org['created_at']).toMatch(iso);
    expect(Object.keys(truth('teams')[0] as DataRecord)).toEqual(['id', 'organization_id', 'name', 'created_at']);
    expect(Object.keys(truth('users')[0] as DataRecord)).toEqual(['id', 'name', 'email', 'created_at']);
    expect(Object.keys(truth('organization_members')[0] as DataRecord).sort()).toEqual(['email', 'id', 'name', 'organization_id', 'role']);
    expect(Object.keys(truth('team_members')[0] as DataRecord).sort()).toEqual(['email', 'id', 'name', 'team_id', 'title']);
    expect(Object.keys(truth('apps')[0] as DataRecord)).toEqual(['id', 'provider', 'name', 'is_active']);
    expect(truth('git_apps')[0]).toMatchObject({ id: expect.stringMatching(/^app_gh_\d+$/), provider: 'github', is_active: true });
    expect(Object.keys(truth('dashboard_views')[0] as DataRecord)).toEqual(['id', 'name', 'type', 'visibility', 'created_at']);
    for (const stream of ['tasks', 'boards', 'interactions', 'calendars', 'calendar_events', 'git_repositories', 'git_commits', 'git_pull_requests']) {
      for (const record of truth(stream).slice(0, 20)) {
        expect(record['id'], stream).toEqual(expect.any(String));
        expect(record['created_at'], stream).toMatch(iso);
      }
    }
    expect(truth('users').some((u) => u['name'] === 'Zoë Ødegård')).toBe(true);
  });

  const lists: Array<[string, string]> = [
    ['/organizations', 'organizations'],
    ['/teams', 'teams'],
    ['/users', 'users'],
    ['/tasks', 'tasks'],
    ['/boards', 'boards'],
    ['/interactions', 'interactions'],
    ['/calendars', 'calendars'],
    ['/calendar-events', 'calendar_events'],
    ['/apps', 'apps'],
    ['/git/apps', 'git_apps'],
    ['/dashboard-views', 'dashboard_views'],
  ];
  for (const [path, stream] of lists) {
    it(`walks ${path} oldest first by page number to exactly the truth`, async () => {
      const result = await walkAsc(path, sb, 25);
      expect(result.records).toEqual(truth(stream));
      expect(result.records.length).toBeGreaterThan(0);
    });
  }

  it('walks every child list to the truth, with the parent ids the connector stamps', async () => {
    const stamped: Record<string, DataRecord[]> = {
      organization_members: [],
      team_members: [],
      team_managers: [],
      git_repositories: [],
      git_commits: [],
      git_pull_requests: [],
    };
    const push = (stream: string, records: DataRecord[], stamps: DataRecord) => stamped[stream]?.push(...records.map((r) => ({ ...r, ...stamps })));
    for (const org of truth('organizations'))
      push('organization_members', (await walkAsc(`/organizations/${org['id']}/members`)).records, { organization_id: org['id'] });
    for (const team of truth('teams')) {
      push('team_members', (await walkAsc(`/teams/${team['id']}/members`)).records, { team_id: team['id'] });
      push('team_managers', (await walkAsc(`/teams/${team['id']}/managers`)).records, { team_id: team['id'] });
    }
    for (const app of truth('git_apps')) {
      const repositories = (await walkAsc(`/git/apps/${app['id']}/repositories`)).records;
      push('git_repositories', repositories, { git_app_id: app['id'] });
      for (const repo of repositories) {
        const stamps = { git_app_id: app['id'], repository_id: repo['id'] };
        push('git_commits', (await walkAsc(`/git/apps/${app['id']}/repositories/${repo['id']}/commits`)).records, stamps);
        push('git_pull_requests', (await walkAsc(`/git/apps/${app['id']}/repositories/${repo['id']}/pull-requests`)).records, stamps);
      }
    }
    for (const [stream, records] of Object.entries(stamped)) {
      expect(records.length, stream).toBeGreaterThan(0);
      expect(records, stream).toEqual(truth(stream));
    }
  });

  it('keeps every primary key unique in every stream', () => {
    for (const stream of Object.keys(sb.streams('leanmote'))) {
      const records = truth(stream);
      expect(records.length, stream).toBeGreaterThan(0);
      expect(new Set(records.map((r) => primaryKeyOf('leanmote', stream, r))).size, stream).toBe(records.length);
    }
  });

  it('puts some users in two organizations and every team member in the team’s organization', () => {
    const members = truth('organization_members');
    const orgsOf = new Map<unknown, Set<unknown>>();
    for (const m of members) orgsOf.set(m['id'], (orgsOf.get(m['id']) ?? new Set()).add(m['organization_id']));
    expect([...orgsOf.values()].some((orgs) => orgs.size > 1)).toBe(true);
    expect(members.some((m) => m['role'] === 'guest')).toBe(true);
    const orgOfTeam = new Map(truth('teams').map((t) => [t['id'], t['organization_id']]));
    for (const m of truth('team_members')) expect(orgsOf.get(m['id'])?.has(orgOfTeam.get(m['team_id']))).toBe(true);
  });

  it('accepts a repository’s name for {repo}', async () => {
    const repo = truth('git_repositories')[1] as DataRecord;
    const byName = await walkAsc(`/git/apps/${repo['git_app_id']}/repositories/${repo['name']}/commits`);
    const byId = await walkAsc(`/git/apps/${repo['git_app_id']}/repositories/${repo['id']}/commits`);
    expect(byName.records).toEqual(byId.records);
  });

  it('serves single objects and `fields` projections', async () => {
    const user = truth('users')[5] as DataRecord;
    expect((await get<LeanmoteData>(`/users/${user['id']}`)).body.data).toEqual(user);
    expect((await get<LeanmoteData>(`/users/${user['id']}?fields=id,email`)).body.data).toEqual({ id: user['id'], email: user['email'] });
    const listed = await get('/users?order=asc&per_page=2&fields=id,name');
    expect(listed.body.data).toEqual(
      truth('users')
        .slice(0, 2)
        .map((u) => ({ id: u['id'], name: u['name'] })),
    );
    const member = truth('team_members')[0] as DataRecord;
    const { team_id, ...record } = member;
    expect((await get<LeanmoteData>(`/teams/${team_id}/members/${member['id']}`)).body.data).toEqual(record);
  });
});

describe('Leanmote pagination', () => {
  it('counts total and total_pages, defaults to 50 per page, clamps per_page above 100 to 100, and serves empty pages past the end', async () => {
    const total = truth('users').length;
    expect(total).toBeGreaterThan(50);
    const first = await get('/users');
    expect(first.body.meta).toMatchObject({ page: 1, per_page: 50, total, total_pages: Math.ceil(total / 50) });
    const clamped = await get('/users?per_page=500');
    expect(clamped.body.data).toHaveLength(Math.min(100, total));
    expect(clamped.body.meta).toMatchObject({ per_page: 100, total, total_pages: Math.ceil(total / 100) });
    const past = await get(`/users?page=${Math.ceil(total / 25) + 1}&per_page=25`);
    expect(past.status).toBe(200);
    expect(past.body.data).toEqual([]);
    expect(past.body.meta.total).toBe(total);
    const last = await get(`/users?page=${Math.ceil(total / 7)}&per_page=7&order=asc`);
    expect(last.body.data).toEqual(truth('users').slice((Math.ceil(total / 7) - 1) * 7));
  });

  it('honours the sandbox page cap: every paginated list serves at most pageCap records, meta follows the size served', async () => {
    const capped = await startSandbox({ seed: 9, scale: 0.2, pageCap: 7 });
    try {
      const first = await get('/users?per_page=100', capped);
      const total = truth('users', capped).length;
      expect(first.body.data).toHaveLength(7);
      expect(first.body.meta).toMatchObject({ per_page: 7, total, total_pages: Math.ceil(total / 7) });
      const walked = await walkAsc('/users', capped, 100);
      expect(walked.requests).toBe(Math.ceil(total / 7));
      expect(walked.records).toEqual(truth('users', capped));
      const app = truth('git_apps', capped)[0] as DataRecord;
      const repo = (await walkAsc(`/git/apps/${app['id']}/repositories`, capped)).records[0] as DataRecord;
      const commits = await walkAsc(`/git/apps/${app['id']}/repositories/${repo['id']}/commits`, capped);
      expect(
        keys(
          'git_commits',
          commits.records.map((c) => ({ ...c, git_app_id: app['id'], repository_id: repo['id'] })),
          capped,
        ),
      ).toEqual(
        keys(
          'git_commits',
          truth('git_commits', capped).filter((c) => c['repository_id'] === repo['id']),
          capped,
        ),
      );
      for (const path of ['/teams', '/tasks', '/interactions', '/calendar-events', `/organizations/${truth('organizations', capped)[0]?.['id']}/members`]) {
        expect((await get(`${path}?per_page=100`, capped)).body.data, path).toHaveLength(7);
      }
      // The catalog is not paginated: served whole.
      expect((await get<LeanmoteData<DataRecord[]>>('/dashboard-views/catalog', capped)).body.data).toHaveLength(8);
    } finally {
      await capped.close();
    }
  });
});

describe('Leanmote sort and order', () => {
  it('sorts by created_at, newest first by default; desc is the exact reverse of asc', async () => {
    const desc = await walk('/users');
    const asc = await walkAsc('/users');
    expect(asc.records).toEqual(truth('users'));
    expect(desc.records).toEqual([...asc.records].reverse());
    const created = desc.records.map((u) => String(u['created_at']));
    expect(created).toEqual([...created].sort().reverse());
  });

  it('sorts by name and, for users and members, by email', async () => {
    const byName = await walk('/users?sort=name&order=asc');
    const names = byName.records.map((u) => String(u['name']));
    expect(names).toEqual([...names].sort());
    expect(keys('users', byName.records)).toEqual(keys('users', truth('users')));
    const byEmail = await walk('/users?sort=email&order=desc');
    const emails = byEmail.records.map((u) => String(u['email']));
    expect(emails).toEqual([...emails].sort().reverse());
    const org = truth('organizations')[0] as DataRecord;
    const members = await walk(`/organizations/${org['id']}/members?sort=email&order=asc`);
    expect(members.records.map((m) => m['email'])).toEqual(members.records.map((m) => String(m['email'])).sort());
    const teams = await walk('/teams?sort=name&order=desc');
    expect(teams.records.map((t) => t['name'])).toEqual(
      teams.records
        .map((t) => String(t['name']))
        .sort()
        .reverse(),
    );
    expect((await get('/teams?sort=email')).status).toBe(400);
    expect((await get('/teams?per_page=1')).body.meta).toMatchObject({ sort: 'created_at', order: 'desc' });
    expect((await get('/teams?per_page=1&sort=name&order=ASC')).body.meta).toMatchObject({ sort: 'name', order: 'asc' });
  });
});

describe('Leanmote created_at filters', () => {
  const cases: Array<[string, string]> = [
    ['/organizations', 'organizations'],
    ['/teams', 'teams'],
    ['/users', 'users'],
  ];
  for (const [path, stream] of cases) {
    it(`honours created_at[gte] (and the other operators) on ${path}`, async () => {
      const records = truth(stream);
      const pivot = String((records[Math.floor(records.length / 2)] as DataRecord)['created_at']);
      const at = Date.parse(pivot);
      const expectFilter = async (query: string, keep: (ms: number) => boolean) => {
        const got = await walkAsc(`${path}?${query}`);
        expect(got.records, query).toEqual(records.filter((r) => keep(Date.parse(String(r['created_at'])))));
      };
      await expectFilter(`created_at[gte]=${pivot}`, (ms) => ms >= at);
      await expectFilter(`created_at%5Bgte%5D=${encodeURIComponent(pivot)}`, (ms) => ms >= at);
      await expectFilter(`created_at[gt]=${pivot}`, (ms) => ms > at);
      await expectFilter(`created_at[lt]=${pivot}`, (ms) => ms < at);
      await expectFilter(`created_at[lte]=${pivot}`, (ms) => ms <= at);
      await expectFilter(`created_at[eq]=${pivot}`, (ms) => ms === at);
      const day = pivot.slice(0, 10);
      await expectFilter(`created_at[gte]=${day}&created_at[lte]=${day}T23:59:59Z`, (ms) => ms >= Date.parse(day) && ms <= Date.parse(`${day}T23:59:59Z`));
      const desc = await walk(`${path}?created_at[gte]=${pivot}`);
      expect(desc.records).toEqual(records.filter((r) => Date.parse(String(r['created_at'])) >= at).reverse());
    });
  }

  it('honours created_at[gte] on commits and pull requests of a repository', async () => {
    for (const stream of ['git_commits', 'git_pull_requests']) {
      const all = truth(stream);
      const repoId = (all[Math.floor(all.length / 3)] as DataRecord)['repository_id'];
      const records = all.filter((c) => c['repository_id'] === repoId);
      const first = records[0] as DataRecord;
      const pivot = String((records[Math.floor(records.length / 2)] as DataRecord)['created_at']);
      const path = `/git/apps/${first['git_app_id']}/repositories/${repoId}/${stream === 'git_commits' ? 'commits' : 'pull-requests'}`;
      const got = await walkAsc(`${path}?created_at[gte]=${pivot}`);
      const strip = ({ git_app_id, repository_id, ...rest }: DataRecord) => rest;
      expect(got.records, stream).toEqual(records.filter((r) => String(r['created_at']) >= pivot).map(strip));
      expect(got.records.length, stream).toBeGreaterThan(0);
    }
  });

  it('ignores created_at filters on lists whose records have no created_at', async () => {
    const org = truth('organizations')[0] as DataRecord;
    const all = await walkAsc(`/organizations/${org['id']}/members`);
    const filtered = await walkAsc(`/organizations/${org['id']}/members?created_at[gte]=2099-01-01`);
    expect(filtered.records).toEqual(all.records);
  });
});

describe('Leanmote mutations', () => {
  it('inserts organizations, teams, users, commits and pull requests created now, found by created_at[gte]', async () => {
    const box = await startSandbox({ seed: 4, scale: 0.1 });
    try {
      const before = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
      const sizes = Object.fromEntries(Object.keys(box.streams('leanmote')).map((s) => [s, truth(s, box).length]));
      const summary = box.mutate({ updates: 3, inserts: 2 });
      const changes = summary.leanmote ?? {};
      expect(Object.keys(changes).sort()).toEqual([
        'git_commits',
        'git_pull_requests',
        'organization_members',
        'organizations',
        'team_managers',
        'team_members',
        'teams',
        'users',
      ]);
      for (const stream of ['organizations', 'teams', 'users', 'git_commits', 'git_pull_requests']) {
        expect(changes[stream]?.updated, stream).toEqual([]);
        expect(changes[stream]?.inserted, stream).toHaveLength(2);
        const now = truth(stream, box);
        expect(now.length, stream).toBe((sizes[stream] as number) + 2);
        const fresh = now.filter((r) => String(r['created_at']) >= before);
        expect(keys(stream, fresh, box).sort(), stream).toEqual([...(changes[stream]?.inserted ?? [])].sort());
      }
      for (const [path, stream] of [
        ['/organizations', 'organizations'],
        ['/teams', 'teams'],
        ['/users', 'users'],
      ] as const) {
        const got = await walkAsc(`${path}?created_at[gte]=${before}`, box);
        expect(keys(stream, got.records, box), stream).toEqual([...(changes[stream]?.inserted ?? [])].sort());
        // Newest first by default: the new records lead the first page.
        const newest = await get(`${path}?per_page=2`, box);
        expect(keys(stream, newest.body.data, box).sort()).toEqual([...(changes[stream]?.inserted ?? [])].sort());
      }
      const memberKeys = new Set(truth('organization_members', box).map((m) => primaryKeyOf('leanmote', 'organization_members', m)));
      for (const k of changes['organization_members']?.inserted ?? []) expect(memberKeys.has(k)).toBe(true);
      const commit = truth('git_commits', box).find((c) => primaryKeyOf('leanmote', 'git_commits', c) === changes['git_commits']?.inserted[0]) as DataRecord;
      const got = await walkAsc(`/git/apps/${commit['git_app_id']}/repositories/${commit['repository_id']}/commits?created_at[gte]=${before}`, box);
      expect(got.records.map((c) => c['id'])).toContain(commit['id']);
    } finally {
      await box.close();
    }
  });
});

describe('Leanmote churn', () => {
  /** Pages by number until an empty page, as a client that trusts page numbers does. */
  async function walkNumbers(path: string, box: Sandbox): Promise<DataRecord[]> {
    const records: DataRecord[] = [];
    for (let page = 1; ; page++) {
      const res = await get(`${path}&page=${page}`, box);
      expect(res.status).toBe(200);
      if (res.body.data.length === 0) return records;
      records.push(...res.body.data);
    }
  }

  it('deletes records before the page asked for and inserts records there, oldest or newest first', async () => {
    const box = await startSandbox({ seed: 3, scale: 0.5, churn: { everyRequests: 2, insert: 1, delete: 1 } });
    try {
      for (const order of ['asc', 'desc']) {
        const watch = box.watch('leanmote');
        const before = box.churned('leanmote');
        const read = await walkNumbers(`/users?per_page=10&order=${order}`, box);
        const after = box.churned('leanmote');
        const { throughout, inserted, deleted } = watch.lifetimes('users');
        // A record may be inserted and deleted within the read: counted by churn, in neither set.
        expect(after.deleted - before.deleted, order).toBeGreaterThanOrEqual(deleted.size);
        expect(after.inserted - before.inserted, order).toBeGreaterThanOrEqual(inserted.size);
        expect(deleted.size, order).toBeGreaterThan(3);
        expect(inserted.size, order).toBeGreaterThan(3);
        const keysRead = keys('users', read, box);
        // Each deletion before the page moved a record not yet read back past it: skipped.
        expect([...throughout].filter((k) => !keysRead.includes(k)).length, order).toBeGreaterThan(0);
        // Each insertion before the next page moved a record already read forward onto it: read twice.
        expect(keysRead.length - new Set(keysRead).size, order).toBeGreaterThan(0);
        // New records were placed among the old ones, not at the end.
        const created = read.map((u) => String(u['created_at']));
        expect(created, order).toEqual(order === 'asc' ? [...created].sort() : [...created].sort().reverse());
      }
    } finally {
      await box.close();
    }
  });

  it('leaves deleted records out of the truth, their lookups and their children', async () => {
    const box = await startSandbox({ seed: 3, scale: 0.5, churn: { everyRequests: 1, insert: 0, delete: 1 } });
    try {
      const watch = box.watch('leanmote');
      await walkNumbers('/teams?per_page=5&order=asc', box);
      const { deleted } = watch.lifetimes('teams');
      expect(deleted.size).toBeGreaterThan(2);
      const team = (JSON.parse([...deleted][0] as string) as string[])[0] as string;
      expect((await get<LeanmoteError>(`/teams/${team}`, box)).body.error.code).toBe('NOT_FOUND');
      expect((await get(`/teams/${team}/members`, box)).status).toBe(404);
      expect(truth('team_members', box).some((m) => m['team_id'] === team)).toBe(false);
      expect(truth('teams', box).some((t) => t['id'] === team)).toBe(false);
    } finally {
      await box.close();
    }
  });
});

describe('Leanmote options', () => {
  it('answers 404 on the git repository routes of an account without them; git apps are still listed', async () => {
    const box = await startSandbox({ seed: 9, scale: 0.1, leanmoteGitRoutes: false });
    try {
      const app = truth('git_apps', box)[0] as DataRecord;
      expect((await get('/git/apps', box)).status).toBe(200);
      for (const path of [
        `/git/apps/${app['id']}/repositories`,
        `/git/apps/${app['id']}/repositories/repo_1/commits`,
        `/git/apps/${app['id']}/repositories/repo_1/pull-requests`,
      ]) {
        expect((await get(path, box)).body, path).toEqual({ status: 'error', error: { code: 'NOT_FOUND', message: 'Resource not found' } });
      }
      for (const stream of ['git_repositories', 'git_commits', 'git_pull_requests']) expect(truth(stream, box), stream).toEqual([]);
      expect(Object.keys(box.mutate().leanmote ?? {})).not.toContain('git_commits');
    } finally {
      await box.close();
    }
  });

  it('answers 403 FORBIDDEN on the endpoints of forbidden streams', async () => {
    const box = await startSandbox({ seed: 9, scale: 0.1, leanmoteForbidden: ['team_managers', 'interactions'] });
    try {
      const team = truth('teams', box)[0] as DataRecord;
      expect((await get(`/teams/${team['id']}/managers`, box)).body).toEqual({
        status: 'error',
        error: { code: 'FORBIDDEN', message: 'You do not have permission to access this team' },
      });
      expect((await get('/interactions', box)).status).toBe(403);
      expect((await get(`/teams/${team['id']}/members`, box)).status).toBe(200);
    } finally {
      await box.close();
    }
    await expect(startSandbox({ leanmoteForbidden: ['surveys'] })).rejects.toThrow(/unknown stream "surveys"/);
  });
});

describe('Leanmote volume', () => {
  it('at scale 1, a full sync at 100 records a page needs more than the 1000 requests of an hour', async () => {
    const box = await startSandbox({ seed: 42, scale: 1 });
    try {
      const count = (stream: string) => truth(stream, box).length;
      expect(count('organizations')).toBeGreaterThanOrEqual(5);
      expect(count('teams')).toBe(50);
      expect(count('users')).toBe(300);
      expect(count('git_apps')).toBeGreaterThanOrEqual(3);
      const pages = (n: number) => Math.max(1, Math.ceil(n / 100));
      const perParent = (stream: string, parent: (r: DataRecord) => string) => {
        const counts = new Map<string, number>();
        for (const r of truth(stream, box)) counts.set(parent(r), (counts.get(parent(r)) ?? 0) + 1);
        return counts;
      };
      let requests = 0;
      for (const stream of [
        'organizations',
        'teams',
        'users',
        'tasks',
        'boards',
        'interactions',
        'calendars',
        'calendar_events',
        'apps',
        'git_apps',
        'dashboard_views',
      ])
        requests += pages(count(stream));
      requests += 1; // the catalog
      for (const org of truth('organizations', box))
        requests += pages(perParent('organization_members', (m) => String(m['organization_id'])).get(String(org['id'])) ?? 0);
      for (const team of truth('teams', box)) {
        requests += pages(perParent('team_members', (m) => String(m['team_id'])).get(String(team['id'])) ?? 0);
        requests += pages(perParent('team_managers', (m) => String(m['team_id'])).get(String(team['id'])) ?? 0);
      }
      const commits = perParent('git_commits', (c) => String(c['repository_id']));
      const pulls = perParent('git_pull_requests', (c) => String(c['repository_id']));
      for (const app of truth('git_apps', box)) requests += pages(truth('git_repositories', box).filter((r) => r['git_app_id'] === app['id']).length);
      for (const repo of truth('git_repositories', box)) requests += pages(commits.get(String(repo['id'])) ?? 0) + pages(pulls.get(String(repo['id'])) ?? 0);
      expect(requests).toBeGreaterThan(1000);
      expect(requests).toBeLessThan(2000);
    } finally {
      await box.close();
    }
  });
});

describe('Leanmote rate-limit windows (on fake time)', () => {
  const HOUR = 3_600_000;
  const quota = (sharedQuota = 0) => new LeanmoteQuota(leanmoteQuotaOptions(1, sharedQuota));

  it('lets 100 requests through in any minute, turns the 101st away with Retry-After, and counts it', () => {
    const q = quota();
    for (let k = 0; k < 100; k++) expect(q.admit(1000 + k * 100).retryAfterSeconds, `request ${k}`).toBeUndefined();
    // The first of the 100 arrived at 1000: room again at 61000.
    const over = q.admit(20_000);
    expect(over.retryAfterSeconds).toBe(42);
    expect(over.headers['x-ratelimit-remaining']).toBe('899');
    // Sliding, not per clock minute: at 60 999 the first is still in the window.
    expect(q.admit(60_999).retryAfterSeconds).toBeDefined();
    // The turned-away requests count: two more left the window at 61 000 and 61 100, but two were
    // turned away meanwhile and fill it again.
    expect(q.admit(61_050).retryAfterSeconds).toBeDefined();
    expect(q.admit(80_000).retryAfterSeconds).toBeUndefined();
  });

  it('allows 1000 an hour: the 1001st waits for the oldest to leave, and the headers say so', () => {
    const q = quota();
    const start = Date.UTC(2025, 0, 1, 12);
    // 1000 requests, 3 s apart: never more than 20 in a minute.
    let last = q.admit(start);
    expect(last.headers).toEqual({ 'x-ratelimit-limit': '1000', 'x-ratelimit-remaining': '999', 'x-ratelimit-reset': String((start + HOUR) / 1000) });
    for (let k = 1; k < 1000; k++) last = q.admit(start + k * 3000);
    expect(last.retryAfterSeconds).toBeUndefined();
    expect(last.headers['x-ratelimit-remaining']).toBe('0');
    const at = start + 1000 * 3000;
    const over = q.admit(at);
    expect(over.headers['x-ratelimit-remaining']).toBe('0');
    // Room once the first two (at start and start + 3 s) have left, since the 1001st counted too.
    expect(over.retryAfterSeconds).toBe((start + 3000 + HOUR - at) / 1000);
    expect(q.admit(start + HOUR + 2999).retryAfterSeconds).toBeDefined();
    // Three have left by now, and the two turned away still count: exactly 1000.
    const freed = q.admit(start + HOUR + 6000);
    expect(freed.retryAfterSeconds).toBeUndefined();
    expect(freed.headers['x-ratelimit-remaining']).toBe('0');
    expect(freed.headers['x-ratelimit-reset']).toBe(String((start + 9000 + HOUR) / 1000));
  });

  it('scales both windows: 0.01 gives 100 per 0.6 s and 1000 per 36 s, and Reset moves with them', () => {
    const q = new LeanmoteQuota(leanmoteQuotaOptions(0.01, 0));
    const start = 1_700_000_000_000;
    expect(q.admit(start).headers['x-ratelimit-reset']).toBe(String((start + 36_000) / 1000));
    for (let k = 1; k < 100; k++) q.admit(start + k);
    expect(q.admit(start + 100).retryAfterSeconds).toBe(1);
    expect(q.admit(start + 700).retryAfterSeconds).toBeUndefined();
    // Reset keeps its precision relative to the shortened hour: rounded up to 10 ms, not to a second.
    const off = new LeanmoteQuota(leanmoteQuotaOptions(0.01, 0));
    expect(off.admit(1_700_000_000_123).headers['x-ratelimit-reset']).toBe('1700000036.13');
  });

  it('spends the shared quota of another client: already used at the start, then steadily', () => {
    const q = quota(0.5);
    const start = Date.UTC(2025, 0, 1);
    const first = q.admit(start);
    expect(first.headers['x-ratelimit-remaining']).toBe('499');
    expect(q.counted).toBe(501);
    // Over the next hour the other client keeps 500 in the window: an hour later, with one more of
    // ours, the count is still ~501.
    const later = q.admit(start + HOUR);
    expect(Number(later.headers['x-ratelimit-remaining'])).toBeGreaterThanOrEqual(498);
    expect(Number(later.headers['x-ratelimit-remaining'])).toBeLessThanOrEqual(499);
    // Its requests count in the burst window too: 7.2 s apart, 8 or 9 a minute.
    const burst = quota(0.5);
    let passed = 0;
    for (let k = 0; k < 100; k++) if (burst.admit(start + k).retryAfterSeconds === undefined) passed++;
    expect(passed).toBeGreaterThanOrEqual(91);
    expect(passed).toBeLessThanOrEqual(92);
    q.reset();
    expect(q.admit(start + 2 * HOUR).headers['x-ratelimit-remaining']).toBe('499');
  });
});

describe('Leanmote rate limits over HTTP (scaled windows)', () => {
  const limited = (extra: SandboxOptions = {}) => startSandbox({ seed: 9, scale: 0.05, leanmoteWindowScale: 0.01, rateLimits: { enforce: true }, ...extra });

  it('carries X-RateLimit headers on every response, and turns a burst over 100 away with 429 RATE_LIMITED and Retry-After', async () => {
    const box = await limited();
    try {
      const started = Date.now();
      const responses = await Promise.all(Array.from({ length: 130 }, () => get('/organizations?per_page=1', box)));
      const elapsed = Date.now() - started;
      const ok = responses.filter((r) => r.status === 200);
      const tooMany = responses.filter((r) => r.status === 429);
      // Sent at once, so within the 600 ms window (unless the machine is very slow).
      if (elapsed < 500) {
        expect(ok).toHaveLength(100);
        expect(tooMany).toHaveLength(30);
      }
      expect(ok.length + tooMany.length).toBe(130);
      for (const res of responses) {
        expect(res.headers.get('x-ratelimit-limit')).toBe('1000');
        expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeGreaterThanOrEqual(870);
        expect(Number(res.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(Math.floor(started / 1000) + 36);
      }
      expect(tooMany[0]?.body).toEqual({ status: 'error', error: { code: 'RATE_LIMITED', message: 'Rate limit exceeded' } });
      expect(tooMany[0]?.headers.get('retry-after')).toBe('1');
      expect(box.stats.arrivals['leanmote']).toHaveLength(130);
      expect(box.stats.faults.rateLimited).toBe(tooMany.length);
      // Remaining counts every request, those turned away included.
      const remaining = responses.map((r) => Number(r.headers.get('x-ratelimit-remaining'))).sort((a, b) => a - b);
      expect(remaining[0]).toBe(870);
      await new Promise((resolve) => setTimeout(resolve, 700));
      const after = await get('/organizations?per_page=1', box);
      expect(after.status).toBe(200);
      expect(after.headers.get('x-ratelimit-remaining')).toBe('869');
      box.resetStats();
      expect((await get('/organizations?per_page=1', box)).headers.get('x-ratelimit-remaining')).toBe('999');
    } finally {
      await box.close();
    }
  });

  it('only counts when the limits are not enforced, and shows another client’s share of the quota', async () => {
    const box = await startSandbox({ seed: 9, scale: 0.05, leanmoteWindowScale: 0.01, leanmoteSharedQuota: 0.5 });
    try {
      const responses = await Promise.all(Array.from({ length: 120 }, () => get('/users?per_page=1', box)));
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const remaining = responses.map((r) => Number(r.headers.get('x-ratelimit-remaining')));
      // The other client had spent 500 of the 1000 before the first request; it keeps spending.
      expect(Math.max(...remaining)).toBeLessThanOrEqual(499);
      expect(Math.min(...remaining)).toBeLessThanOrEqual(380);
      expect(box.info()['leanmote']).toMatchObject({
        rateLimits: { hourly: { limit: 1000, windowMs: 36_000 }, burst: { limit: 100, windowMs: 600 }, sharedQuota: 0.5 },
      });
    } finally {
      await box.close();
    }
  });

  it('puts the headers on injected faults too', async () => {
    const box = await startSandbox({ seed: 9, scale: 0.05, faults: { failFirst: 2, failFirstKind: '429', mounts: ['leanmote'] } });
    try {
      const first = await get<LeanmoteError>('/users', box);
      expect(first.status).toBe(429);
      expect(first.body.error.code).toBe('RATE_LIMITED');
      expect(first.headers.get('x-ratelimit-remaining')).toBe('999');
      expect((await get('/users', box)).headers.get('x-ratelimit-remaining')).toBe('998');
      expect((await get('/users', box)).status).toBe(200);
    } finally {
      await box.close();
    }
  });
});
