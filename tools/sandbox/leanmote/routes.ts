import { ApiFailure, type Reply, type RequestContext } from '../http.js';
import { Router, type Params } from '../router.js';
import type { Churn } from '../churn.js';
import { arrayList, rangeList, type FilterCache, type IndexList, type Table } from '../table.js';
import { isoSeconds } from '../time.js';
import type { DataRecord, Gateway, Mount } from '../vendor.js';
import { LEANMOTE_CREDENTIALS, LEANMOTE_REFUSED_TOKENS } from './credentials.js';
import { LeanmoteData, type Member } from './data.js';
import { leanmoteError, listPage, single, type ListSource } from './envelope.js';
import type { ResolvedLeanmote } from './options.js';

export const LEANMOTE_PREFIX = '/leanmote/v1';

/** The connector stream each route serves, for `leanmoteForbidden`. */
type Stream =
  | 'organizations'
  | 'organization_members'
  | 'teams'
  | 'team_members'
  | 'team_managers'
  | 'users'
  | 'tasks'
  | 'boards'
  | 'interactions'
  | 'calendars'
  | 'calendar_events'
  | 'apps'
  | 'git_apps'
  | 'git_repositories'
  | 'git_commits'
  | 'git_pull_requests'
  | 'dashboard_views'
  | 'dashboard_catalog';

const FORBIDDEN_MESSAGES: Partial<Record<Stream, string>> = {
  organizations: 'You do not have permission to access this organization',
  organization_members: 'You do not have permission to access this organization',
  teams: 'You do not have permission to access this team',
  team_members: 'You do not have permission to access this team',
  team_managers: 'You do not have permission to access this team',
  users: 'You do not have permission to access this user',
  git_apps: 'You do not have permission to access this git integration resource',
  git_repositories: 'You do not have permission to access this git integration resource',
  git_commits: 'You do not have permission to access this git integration resource',
  git_pull_requests: 'You do not have permission to access this git integration resource',
  dashboard_views: 'You do not have permission to access this dashboard resource',
  dashboard_catalog: 'You do not have permission to access this dashboard resource',
};

/** Whether created times never decrease from index `from` - 1 to the end of a table (generated records are in order). */
function nonDecreasingFrom(from: number, size: number, createdMs: (i: number) => number): boolean {
  for (let i = Math.max(1, from); i < size; i++) if (createdMs(i) < createdMs(i - 1)) return false;
  return true;
}

/** Whether created times never decrease along a list. */
function nonDecreasing(list: IndexList, createdMs: (i: number) => number): boolean {
  for (let p = 1; p < list.length; p++) if (createdMs(list.at(p)) < createdMs(list.at(p - 1))) return false;
  return true;
}

const created = (record: DataRecord) => Date.parse(String(record['created_at']));

export function leanmoteMount(data: LeanmoteData, cache: FilterCache, options: ResolvedLeanmote, gateway: Gateway, churn: Churn): Mount<'leanmote'> {
  const d = data;
  const router = new Router();
  const forbidden = options.forbidden;

  /** A route of a connector stream: 403 when the stream is forbidden. */
  const route = (path: string, stream: Stream, handler: (ctx: RequestContext, params: Params) => Reply) =>
    router.get(path, (ctx, params) =>
      forbidden.has(stream) ? leanmoteError(403, FORBIDDEN_MESSAGES[stream] ?? 'Insufficient permissions') : handler(ctx, params),
    );

  const found = <T>(index: T | undefined, message: string): T => {
    if (index === undefined) throw new ApiFailure(404, message);
    return index;
  };
  /** The index behind `<prefix>_<n>` of a record that exists (churn may have deleted it), or a 404. */
  const lookup = <T>(table: Table<T>, prefix: string, id: string | undefined, message: string): number => {
    const i = LeanmoteData.indexOf(prefix, id ?? '', table.size);
    return found(i !== undefined && table.exists(i) ? i : undefined, message);
  };
  const orgIndex = (p: Params) => lookup(d.organizations, 'org', p['id'], 'Organization not found');
  const teamIndex = (p: Params) => lookup(d.teams, 'team', p['id'], 'Team not found');
  const gitApp = (p: Params) => {
    const a = d.appIndex(p['id'] ?? '');
    return found(a !== undefined && d.isGitApp(a) ? a : undefined, 'Git integration resource not found');
  };
  /** `{repo}` is a repository's id or its name. */
  const repository = (g: number, p: Params) => {
    const wanted = p['repo'] ?? '';
    const byId = LeanmoteData.indexOf('repo', wanted, d.repositories.size);
    const r = byId !== undefined ? (d.repoApp(byId) === g ? byId : undefined) : d.repositoriesOf(g).find((x) => d.repoName(x) === wanted);
    return found(r !== undefined && d.repositories.exists(r) ? r : undefined, 'Git integration resource not found');
  };
  const gitRoutes = (handler: (ctx: RequestContext, params: Params) => Reply) => (ctx: RequestContext, params: Params) =>
    options.gitRoutes ? handler(ctx, params) : leanmoteError(404, 'Resource not found');

  /**
   * A list of a table's records (all, or some in creation order), deleted ones left out. `create`:
   * how churn adds one of its records, when the list churns.
   */
  const tableList = <T>(
    key: string,
    table: Table<T>,
    createdMs: (i: number) => number,
    render: (i: number) => DataRecord,
    sortable: ListSource['sortable'],
    subset?: number[],
    create?: (createdMs: number) => number,
  ): ListSource => {
    const all = subset ? arrayList(subset) : rangeList(table.size);
    const list = table.ordered(all);
    return {
      key,
      list,
      createdMs,
      // Generated records are created in index order, so only what came later needs checking.
      monotonic: list === all && !subset ? nonDecreasingFrom(table.baseCount, table.size, createdMs) : nonDecreasing(list, createdMs),
      filterable: true,
      sortable,
      rank: (i) => table.rankOf(i),
      render,
      ...(create ? { churn: { table: table as Table<unknown>, create } } : {}),
    };
  };
  const recordList = (key: string, table: Table<DataRecord>, sortable: ListSource['sortable'], subset?: number[], churns = false) =>
    tableList(
      key,
      table,
      (i) => created(table.get(i)),
      (i) => table.get(i),
      sortable,
      subset,
      churns ? (ms) => table.insert({ ...table.draft(table.size), created_at: isoSeconds(ms) }) : undefined,
    );
  const byField = (table: Table<DataRecord>, field: string) => (i: number) => String(table.get(i)[field] ?? '');

  const orgCreated = (o: number) => d.organizations.get(o).createdMs;
  const userCreated = (u: number) => d.users.get(u).createdMs;
  const teamCreated = (t: number) => d.teams.get(t).createdMs;
  const teamSort = { name: (t: number) => d.teams.get(t).name };
  const userSort = { name: (u: number) => d.users.get(u).name.full, email: (u: number) => d.users.get(u).email };

  /** People lists without created_at (members): ordered by when the person joined, i.e. user order. */
  const people = (key: string, users: number[], render: (u: number) => DataRecord, withCreatedAt = false): ListSource => {
    const list = arrayList(users.filter((u) => !d.users.isDeleted(u)));
    return { key, list, createdMs: userCreated, monotonic: nonDecreasing(list, userCreated), filterable: withCreatedAt, sortable: userSort, render };
  };

  /** A list rebuilt for every request (mutations and churn change the data), churning where it may. */
  const page = (source: () => ListSource) => (ctx: RequestContext) => listPage(ctx, cache, source, churn);
  const subsetOf = (list: IndexList) => Array.from({ length: list.length }, (_, k) => list.at(k));

  router.get('/health', (ctx) => single(ctx, { status: 'ok' }));

  route(
    '/organizations',
    'organizations',
    page(() =>
      tableList(
        'organizations',
        d.organizations,
        orgCreated,
        (o) => d.organization(o),
        { name: (o) => d.organizations.get(o).name },
        undefined,
        (ms) => d.organizations.insert(d.newOrganization(d.organizations.size, ms)),
      ),
    ),
  );
  route('/organizations/:id', 'organizations', (ctx, p) => single(ctx, d.organization(orgIndex(p))));
  route('/organizations/:id/members', 'organization_members', (ctx, p) => {
    const o = orgIndex(p);
    const members = d.members(o);
    const roles = new Map<number, Member>(members.map((m) => [m.user, m]));
    return listPage(ctx, cache, () =>
      people(
        `org-members:${o}`,
        members.map((m) => m.user),
        (u) => d.member(roles.get(u) as Member),
      ),
    );
  });
  route('/organizations/:id/teams', 'teams', (ctx, p) => {
    const o = orgIndex(p);
    return listPage(ctx, cache, () => tableList(`org-teams:${o}`, d.teams, teamCreated, (t) => d.team(t), teamSort, d.teamsOf(o)));
  });

  route(
    '/teams',
    'teams',
    page(() =>
      tableList(
        'teams',
        d.teams,
        teamCreated,
        (t) => d.team(t),
        teamSort,
        undefined,
        (ms) => d.teams.insert(d.newTeam(d.teams.size, ms)),
      ),
    ),
  );
  route('/teams/:id', 'teams', (ctx, p) => single(ctx, d.team(teamIndex(p))));
  route('/teams/:id/members', 'team_members', (ctx, p) => {
    const t = teamIndex(p);
    return listPage(ctx, cache, () => people(`team-members:${t}`, d.teamMembers(t), (u) => d.teamMember(u)));
  });
  route('/teams/:id/members/:user', 'team_members', (ctx, p) => {
    const t = teamIndex(p);
    const u = lookup(d.users, 'usr', p['user'], 'User not found');
    return single(ctx, d.teamMember(found(d.teamMembers(t).includes(u) ? u : undefined, 'Team member not found')));
  });
  route('/teams/:id/managers', 'team_managers', (ctx, p) => {
    const t = teamIndex(p);
    return listPage(ctx, cache, () => people(`team-managers:${t}`, d.teamManagers(t), (u) => d.teamManager(u), true));
  });
  route('/teams/:id/tasks', 'tasks', (ctx, p) => {
    const t = teamIndex(p);
    const subset = subsetOf(cache.get(`team-tasks:${t}`, d.tasks.size, (i) => d.taskTeam(i) === t));
    return listPage(ctx, cache, () => recordList(`team-tasks:${t}`, d.tasks, { title: byField(d.tasks, 'title') }, subset));
  });
  route('/teams/:id/interactions', 'interactions', (ctx, p) => {
    const t = teamIndex(p);
    const subset = subsetOf(cache.get(`team-interactions:${t}`, d.interactions.size, (i) => d.interactionTeam(i) === t));
    return listPage(ctx, cache, () => recordList(`team-interactions:${t}`, d.interactions, {}, subset));
  });

  route(
    '/users',
    'users',
    page(() =>
      tableList(
        'users',
        d.users,
        userCreated,
        (u) => d.user(u),
        userSort,
        undefined,
        (ms) => d.users.insert(d.newUser(d.users.size, ms)),
      ),
    ),
  );
  route('/users/:id', 'users', (ctx, p) => single(ctx, d.user(lookup(d.users, 'usr', p['id'], 'User not found'))));

  const detail = (table: Table<DataRecord>, prefix: string, message: string) => (ctx: RequestContext, p: Params) =>
    single(ctx, table.get(lookup(table, prefix, p['id'], message)));
  route(
    '/tasks',
    'tasks',
    page(() => recordList('tasks', d.tasks, { title: byField(d.tasks, 'title') }, undefined, true)),
  );
  route('/tasks/:id', 'tasks', detail(d.tasks, 'task', 'Task not found'));
  route(
    '/boards',
    'boards',
    page(() => recordList('boards', d.boards, { name: byField(d.boards, 'name') }, undefined, true)),
  );
  route('/boards/:id/tasks', 'tasks', (ctx, p) => {
    const b = lookup(d.boards, 'board', p['id'], 'Board not found');
    const subset = subsetOf(cache.get(`board-tasks:${b}`, d.tasks.size, (i) => d.taskBoard(i) === b));
    return listPage(ctx, cache, () => recordList(`board-tasks:${b}`, d.tasks, { title: byField(d.tasks, 'title') }, subset));
  });
  route(
    '/interactions',
    'interactions',
    page(() => recordList('interactions', d.interactions, {}, undefined, true)),
  );
  route('/interactions/:id', 'interactions', detail(d.interactions, 'int', 'Interaction not found'));
  route(
    '/calendars',
    'calendars',
    page(() => recordList('calendars', d.calendars, { name: byField(d.calendars, 'name') }, undefined, true)),
  );
  route('/calendars/:id', 'calendars', detail(d.calendars, 'cal', 'Calendar not found'));
  route(
    '/calendar-events',
    'calendar_events',
    page(() => recordList('calendar-events', d.calendarEvents, { title: byField(d.calendarEvents, 'title') }, undefined, true)),
  );
  route('/calendar-events/:id', 'calendar_events', detail(d.calendarEvents, 'evt', 'Calendar event not found'));

  /** Apps carry no created_at: they are listed in the order they were connected. */
  const apps = (key: string, subset: number[]): ListSource => ({
    key,
    list: arrayList(subset),
    createdMs: (a) => d.appConnectedMs(a),
    monotonic: true,
    filterable: false,
    sortable: { name: byField(d.apps, 'name') },
    render: (a) => d.apps.get(a),
  });
  const allApps = Array.from({ length: d.apps.size }, (_, a) => a);
  route('/apps', 'apps', (ctx) => listPage(ctx, cache, () => apps('apps', allApps)));
  route('/apps/:id', 'apps', (ctx, p) => single(ctx, d.apps.get(found(d.appIndex(p['id'] ?? ''), 'App not found'))));
  route('/git/apps', 'git_apps', (ctx) =>
    listPage(ctx, cache, () =>
      apps(
        'git-apps',
        allApps.filter((a) => d.isGitApp(a)),
      ),
    ),
  );
  route(
    '/git/apps/:id/repositories',
    'git_repositories',
    gitRoutes((ctx, p) => {
      const g = gitApp(p);
      return listPage(
        ctx,
        cache,
        () =>
          tableList(
            `repositories:${g}`,
            d.repositories,
            (r) => created(d.repositories.get(r)),
            (r) => d.repositories.get(r),
            { name: byField(d.repositories, 'name') },
            d.repositoriesOf(g),
            (ms) => d.insertRepository(g, ms),
          ),
        churn,
      );
    }),
  );
  /** Commits and pull requests of a repository: in creation order, sorted afresh when a mutation broke it. */
  const childList = (key: string, count: number, get: (k: number) => DataRecord, sortable: ListSource['sortable']): ListSource => {
    const list = rangeList(count);
    const createdMs = (k: number) => created(get(k));
    return { key, list, createdMs, monotonic: nonDecreasing(list, createdMs), filterable: true, sortable, render: get };
  };
  route(
    '/git/apps/:id/repositories/:repo/commits',
    'git_commits',
    gitRoutes((ctx, p) => {
      const r = repository(gitApp(p), p);
      return listPage(ctx, cache, () => childList(`commits:${r}`, d.commits.count(r), (k) => d.commits.get(r, k), {}));
    }),
  );
  route(
    '/git/apps/:id/repositories/:repo/pull-requests',
    'git_pull_requests',
    gitRoutes((ctx, p) => {
      const r = repository(gitApp(p), p);
      return listPage(ctx, cache, () =>
        childList(`pull-requests:${r}`, d.pullRequests.count(r), (k) => d.pullRequests.get(r, k), { title: (k) => String(d.pullRequests.get(r, k)['title']) }),
      );
    }),
  );

  // The catalog before `/dashboard-views/:id`, which would take "catalog" for an id.
  route('/dashboard-views/catalog', 'dashboard_catalog', (ctx) => single(ctx, d.catalog()));
  route(
    '/dashboard-views',
    'dashboard_views',
    page(() => recordList('dashboard-views', d.dashboardViews, { name: byField(d.dashboardViews, 'name') }, undefined, true)),
  );
  route('/dashboard-views/:id', 'dashboard_views', detail(d.dashboardViews, 'view', 'Dashboard view not found'));

  return {
    name: 'leanmote',
    prefix: LEANMOTE_PREFIX,
    rateLimited: true,
    gateway,
    error: (status, message) => leanmoteError(status, status === 429 ? 'Rate limit exceeded' : status === 500 ? 'Internal server error' : message),
    handle: (ctx) => {
      const match = router.match(ctx.method, ctx.path);
      if (match.kind === 'found' && /^\/health\/?$/.test(ctx.path)) return match.handler(ctx, match.params);
      const denied = authenticate(ctx.headers.authorization);
      if (denied) return denied;
      if (match.kind !== 'found') return leanmoteError(404, 'Resource not found');
      try {
        return match.handler(ctx, match.params);
      } catch (e) {
        if (e instanceof ApiFailure) return leanmoteError(e.status, e.message);
        throw e;
      }
    },
  };
}

/** Bearer tokens only ("Tokens without this prefix will be rejected"), with the documented messages. */
function authenticate(header: string | undefined): Reply | undefined {
  if (!header || header.trim() === '') return leanmoteError(401, 'Missing authentication token');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return leanmoteError(401, 'Invalid authentication token');
  if (m[1] === LEANMOTE_CREDENTIALS.apiKey) return undefined;
  if (m[1] === LEANMOTE_REFUSED_TOKENS.expired) return leanmoteError(401, 'Authentication token has expired');
  if (m[1] === LEANMOTE_REFUSED_TOKENS.inactive) return leanmoteError(401, 'Authentication token is inactive');
  return leanmoteError(401, 'Invalid authentication token');
}
