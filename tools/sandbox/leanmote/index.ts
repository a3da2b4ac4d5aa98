import { Churn } from '../churn.js';
import type { ResolvedOptions } from '../options.js';
import { Rng } from '../random.js';
import { FilterCache, type Table } from '../table.js';
import { changes, defineFake, keyString, type DataRecord, type VendorChanges, type VendorModule } from '../vendor.js';
import { LEANMOTE_CREDENTIALS } from './credentials.js';
import { LeanmoteData } from './data.js';
import { LEANMOTE_KEYS } from './keys.js';
import { leanmoteOptions, type ResolvedLeanmote } from './options.js';
import { BURST_LIMIT, HOURLY_LIMIT, leanmoteQuotaOptions, LeanmoteQuota } from './quota.js';
import { LEANMOTE_PREFIX, leanmoteMount } from './routes.js';

const GIT_CHILDREN = new Set(['git_repositories', 'git_commits', 'git_pull_requests']);

/** The records of a table that exist (churn may have deleted some), rendered. */
function* all<T>(table: Table<T>, render: (i: number) => DataRecord): Generator<DataRecord> {
  for (let i = 0; i < table.size; i++) if (!table.isDeleted(i)) yield render(i);
}

/** Indexes of a table's records that exist. */
function* existing<T>(table: Table<T>): Generator<number> {
  for (let i = 0; i < table.size; i++) if (!table.isDeleted(i)) yield i;
}

function* gitApps(d: LeanmoteData): Generator<number> {
  for (let a = 0; a < d.apps.size; a++) if (d.isGitApp(a)) yield a;
}

/** Every record a full sync emits, in creation order, parents before their children. */
function* leanmoteTruth(d: LeanmoteData, stream: string, gitRoutes: boolean): Generator<DataRecord> {
  if (GIT_CHILDREN.has(stream) && !gitRoutes) return;
  switch (stream) {
    case 'organizations':
      return yield* all(d.organizations, (o) => d.organization(o));
    case 'organization_members':
      for (const o of existing(d.organizations)) for (const m of d.members(o)) yield { ...d.member(m), organization_id: d.orgId(o) };
      return;
    case 'teams':
      return yield* all(d.teams, (t) => d.team(t));
    case 'team_members':
      for (const t of existing(d.teams)) for (const u of d.teamMembers(t)) if (!d.users.isDeleted(u)) yield { ...d.teamMember(u), team_id: d.teamId(t) };
      return;
    case 'team_managers':
      for (const t of existing(d.teams)) for (const u of d.teamManagers(t)) if (!d.users.isDeleted(u)) yield { ...d.teamManager(u), team_id: d.teamId(t) };
      return;
    case 'users':
      return yield* all(d.users, (u) => d.user(u));
    case 'tasks':
      return yield* d.tasks.all();
    case 'boards':
      return yield* d.boards.all();
    case 'interactions':
      return yield* d.interactions.all();
    case 'calendars':
      return yield* d.calendars.all();
    case 'calendar_events':
      return yield* d.calendarEvents.all();
    case 'apps':
      return yield* d.apps.all();
    case 'git_apps':
      for (const a of gitApps(d)) yield d.apps.get(a);
      return;
    case 'git_repositories':
      for (const a of gitApps(d))
        for (const r of d.repositoriesOf(a)) if (!d.repositories.isDeleted(r)) yield { ...d.repositories.get(r), git_app_id: d.appId(a) };
      return;
    case 'git_commits':
    case 'git_pull_requests': {
      const table = stream === 'git_commits' ? d.commits : d.pullRequests;
      for (const a of gitApps(d)) {
        for (const r of d.repositoriesOf(a)) {
          if (d.repositories.isDeleted(r)) continue;
          const stamps = { git_app_id: d.appId(a), repository_id: d.repoId(r) };
          for (const record of table.list(r)) yield { ...record, ...stamps };
        }
      }
      return;
    }
    case 'dashboard_views':
      return yield* d.dashboardViews.all();
    case 'dashboard_catalog':
      return yield* d.catalog();
    default:
      throw new Error(`unknown leanmote stream: ${stream}`);
  }
}

/**
 * No Leanmote record has a documented `updated_at`, so a change to one could not be synced
 * incrementally: a round only inserts, created now, into the streams with `created_at`
 * (organizations, teams, users, commits, pull requests). The memberships that come with new
 * organizations, teams and users are reported under their own streams.
 */
function mutateLeanmote(d: LeanmoteData, rng: Rng, now: number, inserts: number, gitRoutes: boolean): VendorChanges {
  const streams = [
    'organizations',
    'organization_members',
    'teams',
    'team_members',
    'team_managers',
    'users',
    ...(gitRoutes ? ['git_commits', 'git_pull_requests'] : []),
  ];
  const out: VendorChanges = Object.fromEntries(streams.map((s) => [s, changes()]));
  const note = (stream: string, record: DataRecord) => out[stream]?.inserted.push(keyString(LEANMOTE_KEYS[stream] as readonly string[], record));
  for (let k = 0; k < inserts; k++) {
    const o = d.organizations.insert(d.newOrganization(d.organizations.size, now));
    note('organizations', d.organization(o));
    for (const m of d.members(o)) note('organization_members', { ...d.member(m), organization_id: d.orgId(o) });
  }
  for (let k = 0; k < inserts; k++) {
    const t = d.teams.insert(d.newTeam(d.teams.size, now));
    note('teams', d.team(t));
    for (const u of d.teamMembers(t)) if (!d.users.isDeleted(u)) note('team_members', { id: d.userId(u), team_id: d.teamId(t) });
    for (const u of d.teamManagers(t)) if (!d.users.isDeleted(u)) note('team_managers', { id: d.userId(u), team_id: d.teamId(t) });
  }
  for (let k = 0; k < inserts; k++) {
    const u = d.users.insert(d.newUser(d.users.size, now));
    note('users', d.user(u));
    for (const o of [d.primaryOrg(u), d.secondaryOrg(u)]) if (o !== undefined) note('organization_members', { id: d.userId(u), organization_id: d.orgId(o) });
  }
  if (!gitRoutes) return out;
  // Into generated repositories that still exist.
  const repository = () => {
    let r = rng.int(d.repositories.baseCount);
    while (d.repositories.isDeleted(r)) r = (r + 1) % d.repositories.baseCount;
    return r;
  };
  for (let k = 0; k < inserts; k++) {
    const r = repository();
    const c = d.commits.insert(r, d.generateCommit(r, d.commits.count(r), now));
    note('git_commits', { ...d.commits.get(r, c), git_app_id: d.appId(d.repoApp(r)), repository_id: d.repoId(r) });
    const r2 = repository();
    const p = d.pullRequests.insert(r2, d.generatePullRequest(r2, d.pullRequests.count(r2), now));
    note('git_pull_requests', { ...d.pullRequests.get(r2, p), git_app_id: d.appId(d.repoApp(r2)), repository_id: d.repoId(r2) });
  }
  return out;
}

export function createLeanmote(options: ResolvedOptions, own: ResolvedLeanmote): VendorModule<'leanmote', 'leanmote'> {
  const { windowScale, sharedQuota, gitRoutes, forbidden } = own;
  const data = new LeanmoteData(options.seed, options.scale);
  const cache = new FilterCache();
  const quota = leanmoteQuotaOptions(windowScale, sharedQuota);
  const churn = new Churn(options.churn, options.seed, 'leanmote');
  return {
    vendor: 'leanmote',
    mounts: [leanmoteMount(data, cache, own, new LeanmoteQuota(quota), churn)],
    churned: () => churn.counts,
    primaryKeys: LEANMOTE_KEYS,
    truth: (stream) => leanmoteTruth(data, stream, gitRoutes),
    mutate: (round, now, _updates, inserts) => {
      const result = mutateLeanmote(data, Rng.of(options.seed, 'leanmote-mutate', round), now, inserts, gitRoutes);
      cache.clear();
      return result;
    },
    info: () => ({
      gitRoutes,
      forbidden: [...forbidden],
      rateLimits: {
        hourly: { limit: HOURLY_LIMIT, windowMs: quota.hourly.lengthMs },
        burst: { limit: BURST_LIMIT, windowMs: quota.burst.lengthMs },
        sharedQuota,
      },
    }),
  };
}

export const leanmoteFake = defineFake({
  vendor: 'leanmote',
  title: 'Leanmote',
  // At 0.5 the demo's two reads need more than the 1000 requests an hour allows, and the second read
  // would wait for the hour to slide: rightly, but not what a demo should show.
  demo: {
    scale: 0.2,
    why: 'Scale 0.2: Leanmote allows 1000 requests an hour, and both reads of this demo fit in one hour of it. A larger account takes hours (the read logs its plan).',
  },
  create: createLeanmote,
  primaryKeys: LEANMOTE_KEYS,
  mountPaths: { leanmote: LEANMOTE_PREFIX },
  // No requests-per-second limit of the sandbox's: its own gateway keeps the documented windows (quota.ts).
  mounts: { leanmote: { gatewayLimits: `Leanmote: ${BURST_LIMIT} per minute, ${HOURLY_LIMIT} per hour` } },
  credentials: LEANMOTE_CREDENTIALS,
  options: leanmoteOptions,
  platform: (sb) => ({ vendor: 'leanmote', api_key: LEANMOTE_CREDENTIALS.apiKey, base_url: sb.mounts.leanmote }),
  banner: (sb) => [['leanmote', `${sb.mounts.leanmote}  (Authorization: Bearer ${LEANMOTE_CREDENTIALS.apiKey})`]],
});
