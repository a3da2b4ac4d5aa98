/**
 * Connector stream → primary key. Child records carry their parents' ids as the connector stamps
 * them: `organization_id` on organization members, `team_id` on team members and managers,
 * `git_app_id` on repositories, `git_app_id` and `repository_id` on commits and pull requests.
 */
export const LEANMOTE_KEYS: Record<string, readonly string[]> = {
  organizations: ['id'],
  organization_members: ['organization_id', 'id'],
  teams: ['id'],
  team_members: ['team_id', 'id'],
  team_managers: ['team_id', 'id'],
  users: ['id'],
  tasks: ['id'],
  boards: ['id'],
  interactions: ['id'],
  calendars: ['id'],
  calendar_events: ['id'],
  apps: ['id'],
  git_apps: ['id'],
  git_repositories: ['git_app_id', 'id'],
  git_commits: ['git_app_id', 'repository_id', 'id'],
  git_pull_requests: ['git_app_id', 'repository_id', 'id'],
  dashboard_views: ['id'],
  dashboard_catalog: ['key'],
};
