import type { z } from 'zod';
import { instantOf } from '../../engine/cursor.js';
import { singlePage } from '../../engine/pagination.js';
import type { Incremental, StreamDefinition } from '../../engine/stream.js';
import { leanmoteStream, type LeanmoteApis } from './apis.js';
import { envelopeData } from './envelope.js';
import { resizablePages } from '../../engine/overlap.js';
import { MAX_PER_PAGE } from './pagination.js';
import { clampPageSize, type Settings } from '../vendor.js';
import * as schema from './schemas.js';

/**
 * The day of a lower bound, as the documented filter writes it (`created_at[gte]=2024-01-01`). A day
 * asks for a little more than the bound; the engine keeps only records at or after the bound itself.
 */
const createdFrom = (lowerBound: string): string => {
  const time = instantOf(lowerBound);
  return Number.isNaN(time) ? lowerBound : new Date(time).toISOString().slice(0, 10);
};

/**
 * Records created at or after the cursor, asked of the server and filtered again by the engine (which
 * endpoints honour the bracket filter is undocumented). Nothing documents an `updated_at`: changes to
 * existing records are not caught.
 */
const byCreatedAt: Incremental = { cursorField: ['created_at'], requestParams: (bound) => ({ 'created_at[gte]': createdFrom(bound) }) };

/** Oldest first (the default is newest first): records created during a read land on pages not yet read. */
const oldestFirst = () => ({ sort: 'created_at', order: 'asc' });

/** Every read list of the Leanmote REST API (https://api.leanmote.com/v1). */
export function leanmoteStreams(settings: Settings): Array<StreamDefinition<z.ZodType, LeanmoteApis>> {
  // Each page starts on the last record read (see resizablePages): records added or deleted before
  // it during the read shift the pages, and a page by number alone would skip or repeat them.
  const list = () => ({
    records: envelopeData,
    paginate: resizablePages({ param: 'page', sizeParam: 'per_page', size: clampPageSize(settings, MAX_PER_PAGE), first: 1, total: 'meta.total' }),
  });

  const organizations = leanmoteStream({
    ...list(),
    name: 'organizations',
    schema: schema.Organization,
    primaryKey: [['id']],
    request: { path: '/organizations', params: oldestFirst },
    incremental: byCreatedAt,
  });

  const organizationMembers = leanmoteStream({
    ...list(),
    name: 'organization_members',
    schema: schema.OrganizationMember,
    primaryKey: [['organization_id'], ['id']],
    parent: { stream: organizations, fields: { organization_id: 'id' } },
    request: { path: ({ organization_id }) => `/organizations/${organization_id}/members` },
  });

  const teams = leanmoteStream({
    ...list(),
    name: 'teams',
    schema: schema.Team,
    primaryKey: [['id']],
    request: { path: '/teams', params: oldestFirst },
    incremental: byCreatedAt,
  });

  const teamMembers = leanmoteStream({
    ...list(),
    name: 'team_members',
    schema: schema.TeamMember,
    primaryKey: [['team_id'], ['id']],
    parent: { stream: teams, fields: { team_id: 'id' } },
    request: { path: ({ team_id }) => `/teams/${team_id}/members` },
  });

  const teamManagers = leanmoteStream({
    ...list(),
    name: 'team_managers',
    schema: schema.TeamManager,
    primaryKey: [['team_id'], ['id']],
    parent: { stream: teams, fields: { team_id: 'id' } },
    request: { path: ({ team_id }) => `/teams/${team_id}/managers` },
  });

  const users = leanmoteStream({
    ...list(),
    name: 'users',
    schema: schema.User,
    primaryKey: [['id']],
    request: { path: '/users', params: oldestFirst },
    incremental: byCreatedAt,
  });

  // In the route table, described nowhere else: no record fields, no sort fields, no filters.
  const plain = (name: string, path: string, recordSchema: z.ZodType) =>
    leanmoteStream({ ...list(), name, schema: recordSchema, primaryKey: [['id']], request: { path } });

  const tasks = plain('tasks', '/tasks', schema.Task);
  const boards = plain('boards', '/boards', schema.Board);
  const interactions = plain('interactions', '/interactions', schema.Interaction);
  const calendars = plain('calendars', '/calendars', schema.Calendar);
  const calendarEvents = plain('calendar_events', '/calendar-events', schema.CalendarEvent);
  const apps = plain('apps', '/apps', schema.App);
  const gitApps = plain('git_apps', '/git/apps', schema.GitApp);

  // The routes below a git app are in the API overview only (see client.ts: a 404 fails the stream).
  const gitRepositories = leanmoteStream({
    ...list(),
    name: 'git_repositories',
    schema: schema.GitRepository,
    primaryKey: [['git_app_id'], ['id']],
    parent: { stream: gitApps, fields: { git_app_id: 'id' } },
    request: { path: ({ git_app_id }) => `/git/apps/${git_app_id}/repositories` },
  });

  const gitCommits = leanmoteStream({
    ...list(),
    name: 'git_commits',
    schema: schema.GitCommit,
    primaryKey: [['git_app_id'], ['repository_id'], ['id']],
    parent: { stream: gitRepositories, fields: { git_app_id: 'git_app_id', repository_id: 'id' } },
    request: { path: ({ git_app_id, repository_id }) => `/git/apps/${git_app_id}/repositories/${repository_id}/commits`, params: oldestFirst },
    incremental: byCreatedAt,
  });

  const gitPullRequests = leanmoteStream({
    ...list(),
    name: 'git_pull_requests',
    schema: schema.GitPullRequest,
    primaryKey: [['git_app_id'], ['repository_id'], ['id']],
    parent: { stream: gitRepositories, fields: { git_app_id: 'git_app_id', repository_id: 'id' } },
    request: { path: ({ git_app_id, repository_id }) => `/git/apps/${git_app_id}/repositories/${repository_id}/pull-requests`, params: oldestFirst },
    incremental: byCreatedAt,
  });

  const dashboardViews = plain('dashboard_views', '/dashboard-views', schema.DashboardView);

  const dashboardCatalog = leanmoteStream({
    name: 'dashboard_catalog',
    schema: schema.DashboardCatalogEntry,
    primaryKey: [['key']],
    request: { path: '/dashboard-views/catalog' },
    // Documented without `meta`: one response.
    records: envelopeData,
    paginate: singlePage(),
  });

  return [
    organizations,
    organizationMembers,
    teams,
    teamMembers,
    teamManagers,
    users,
    tasks,
    boards,
    interactions,
    calendars,
    calendarEvents,
    apps,
    gitApps,
    gitRepositories,
    gitCommits,
    gitPullRequests,
    dashboardViews,
    dashboardCatalog,
  ];
}
