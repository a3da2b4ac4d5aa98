import { z } from 'zod';
import { field } from '../../engine/schema.js';

// The docs show one example record per documented list and none for tasks, boards, interactions,
// calendars, calendar events, repositories, commits and pull requests. Every record lists what is
// known and lets any other field through; everything but the keys is nullish, since nothing says
// what is required. Ids are strings in every example ("org_123", "usr_42").
const obj = z.looseObject;
const str = () => z.string().nullish();
const bool = () => z.boolean().nullish();
const ts = () => field.dateTime().nullish();
const id = (example: string) => z.string().describe(`Leanmote id, e.g. "${example}"`);
const stamped = (what: string) => z.string().describe(`Added by the connector: the id of the ${what} the record was listed under`);
const createdAt = () => ts().describe('ISO-8601 UTC; the incremental cursor (filtered with created_at[gte], and again by the connector)');

export const Organization = obj({
  id: id('org_123'),
  name: str(),
  created_at: createdAt(),
});

export const OrganizationMember = obj({
  organization_id: stamped('organization'),
  id: id('usr_42'),
  name: str(),
  email: str(),
  role: str().describe('e.g. "manager"'),
});

export const Team = obj({
  id: id('team_77'),
  organization_id: str(),
  name: str(),
  created_at: createdAt(),
});

export const TeamMember = obj({
  team_id: stamped('team'),
  id: id('usr_42'),
  name: str(),
  email: str(),
  title: str().describe('Job title, e.g. "Engineering Manager"'),
});

export const TeamManager = obj({
  team_id: stamped('team'),
  id: id('usr_42').describe('A user id; the fields of a manager are undocumented and assumed to be those of a team member'),
  name: str(),
  email: str(),
  title: str(),
});

export const User = obj({
  id: id('usr_42'),
  name: str(),
  email: str(),
  created_at: createdAt(),
});

const undocumented = (what: string) =>
  obj({ id: z.string().describe(`Leanmote id of the ${what}; its other fields are undocumented and pass through as sent`) });

export const Task = undocumented('task (from a Jira, Linear or ClickUp board)');
export const Board = undocumented('board');
export const Interaction = undocumented('interaction (cross-tool activity)');
export const Calendar = undocumented('calendar');
export const CalendarEvent = undocumented('calendar event');

export const App = obj({
  id: id('app_gh_1'),
  provider: str().describe('e.g. "github"'),
  name: str(),
  is_active: bool(),
});

export const GitApp = App.describe('A git integration: an app whose provider is a git host');

export const GitRepository = obj({
  git_app_id: stamped('git integration'),
  id: z.string().describe('Leanmote id of the repository; its other fields are undocumented and pass through as sent'),
});

export const GitCommit = obj({
  git_app_id: stamped('git integration'),
  repository_id: stamped('repository'),
  id: z.string().describe('Leanmote id of the commit; its other fields are undocumented and pass through as sent'),
  created_at: createdAt(),
});

export const GitPullRequest = obj({
  git_app_id: stamped('git integration'),
  repository_id: stamped('repository'),
  id: z.string().describe('Leanmote id of the pull request; its other fields are undocumented and pass through as sent'),
  created_at: createdAt(),
});

export const DashboardView = obj({
  id: id('view_21'),
  name: str(),
  type: str().describe('e.g. "overview"'),
  visibility: str().describe('e.g. "private" (shown for a user\'s views)'),
  created_at: ts(),
});

export const DashboardCatalogEntry = obj({
  key: z.string().describe('The dashboard type, e.g. "overview"'),
  name: str(),
  description: str(),
});
