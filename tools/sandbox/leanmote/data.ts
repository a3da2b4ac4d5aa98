import { emailFor, personName, type PersonName } from '../names.js';
import { hash32, Rng, unit } from '../random.js';
import { ChildTable, Table } from '../table.js';
import { ANCHOR_MS, DAY, HOUR, isoSeconds, MINUTE } from '../time.js';
import type { DataRecord } from '../vendor.js';
import {
  BOARD_KINDS,
  BOARD_PROVIDERS,
  BRANCHES,
  CATALOG,
  COMMIT_MESSAGES,
  EVENT_TITLES,
  GIT_PROVIDERS,
  INTERACTION_KINDS,
  LANGUAGES,
  ORGANIZATIONS,
  OTHER_PROVIDERS,
  PR_TITLES,
  REPO_PREFIXES,
  REPO_SUFFIXES,
  TASK_TITLES,
  TEAMS,
  TIMEZONES,
  TITLES,
  VIEW_NAMES,
} from './pools.js';

/**
 * Record counts at a scale. Scale 1 is a mid-size account: several organizations, ~50 teams, ~300
 * users and four git integrations with ~500 repositories between them, so that a full sync needs
 * well over the 1000 requests of an hour once it fans out to every team and repository.
 */
export function leanmoteCounts(scale: number) {
  const n = (base: number, min: number) => Math.max(min, Math.round(base * scale));
  return {
    organizations: n(6, 2),
    teams: n(50, 3),
    users: n(300, 12),
    boards: n(18, 2),
    tasks: n(900, 5),
    interactions: n(1200, 5),
    calendars: n(40, 2),
    calendarEvents: n(800, 5),
    gitApps: n(4, 1),
    otherApps: n(6, 2),
    repositories: n(500, 2),
    dashboardViews: n(24, 3),
  };
}

/** Commit and pull-request ids carry their repository: `cmt_<repository number><5-digit position>`. */
const CHILD_SLOTS = 100_000;

export interface OrgCore {
  index: number;
  name: string;
  createdMs: number;
  /** The user who created an organization during a mutation: its only member. */
  creator?: number;
}

export interface UserCore {
  index: number;
  name: PersonName;
  email: string;
  title: string;
  createdMs: number;
}

export interface TeamCore {
  index: number;
  org: number;
  name: string;
  createdMs: number;
}

export interface Member {
  user: number;
  role: string;
}

/** Where a record's created time falls: spread over [from, to) by index, never decreasing, in whole seconds. */
function spread(seed: number, tag: string, i: number, n: number, from: number, to: number): number {
  const at = from + ((i + unit(seed, 'lm-spread', tag, i)) * (to - from)) / n;
  return Math.floor(at / 1000) * 1000;
}

const seconds = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * The Leanmote account. Records are rebuilt from their index on demand; ids are `<prefix>_<index + 1>`
 * (`org_1`, `team_77`, `usr_42`), so lookups need no tables. Created times grow with the index in
 * every list, so lists in creation order are index ranges.
 */
export class LeanmoteData {
  readonly counts: ReturnType<typeof leanmoteCounts>;
  readonly organizations: Table<OrgCore>;
  readonly users: Table<UserCore>;
  readonly teams: Table<TeamCore>;
  readonly boards: Table<DataRecord>;
  readonly tasks: Table<DataRecord>;
  readonly interactions: Table<DataRecord>;
  readonly calendars: Table<DataRecord>;
  readonly calendarEvents: Table<DataRecord>;
  readonly apps: Table<DataRecord>;
  readonly repositories: Table<DataRecord>;
  readonly commits: ChildTable<DataRecord>;
  readonly pullRequests: ChildTable<DataRecord>;
  readonly dashboardViews: Table<DataRecord>;

  constructor(
    readonly seed: number,
    scale: number,
  ) {
    this.counts = leanmoteCounts(scale);
    const c = this.counts;
    this.organizations = new Table(c.organizations, (i) => this.generateOrganization(i));
    this.users = new Table(c.users, (i) => this.generateUser(i), 65536);
    this.teams = new Table(c.teams, (i) => this.generateTeam(i), 4096);
    this.boards = new Table(c.boards, (i) => this.generateBoard(i), 4096);
    this.tasks = new Table(c.tasks, (i) => this.generateTask(i));
    this.interactions = new Table(c.interactions, (i) => this.generateInteraction(i));
    this.calendars = new Table(c.calendars, (i) => this.generateCalendar(i), 4096);
    this.calendarEvents = new Table(c.calendarEvents, (i) => this.generateEvent(i));
    this.apps = new Table(c.gitApps + c.otherApps, (i) => this.generateApp(i), 4096);
    this.repositories = new Table(c.repositories, (i) => this.generateRepository(i), 4096);
    this.commits = new ChildTable(
      (r) => (r < c.repositories ? this.commitCount(r) : 0),
      (r, k) => this.generateCommit(r, k, undefined),
    );
    this.pullRequests = new ChildTable(
      (r) => (r < c.repositories ? this.pullRequestCount(r) : 0),
      (r, k) => this.generatePullRequest(r, k, undefined),
    );
    this.dashboardViews = new Table(c.dashboardViews, (i) => this.generateView(i));
  }

  rng(...parts: Array<string | number>): Rng {
    return Rng.of(this.seed, 'leanmote', ...parts);
  }

  // ─── Ids ──────────────────────────────────────────────────────────────────────────────────────

  /** The index behind `<prefix>_<n>`, if a record of that size has it. */
  static indexOf(prefix: string, id: string, size: number): number | undefined {
    const m = new RegExp(`^${prefix}_([1-9]\\d{0,15})$`).exec(id);
    if (!m) return undefined;
    const i = Number(m[1]) - 1;
    return i < size ? i : undefined;
  }

  orgId = (o: number) => `org_${o + 1}`;
  userId = (u: number) => `usr_${u + 1}`;
  teamId = (t: number) => `team_${t + 1}`;
  repoId = (r: number) => `repo_${r + 1}`;

  appId(a: number): string {
    return `app_${this.appProvider(a).code}_${a + 1}`;
  }

  /** The app index behind an app id (`app_gh_1`), if it exists. */
  appIndex(id: string): number | undefined {
    const m = /^app_([a-z]+)_([1-9]\d{0,15})$/.exec(id);
    if (!m) return undefined;
    const a = Number(m[2]) - 1;
    return a < this.apps.size && this.appProvider(a).code === m[1] ? a : undefined;
  }

  // ─── Organizations, users, memberships ───────────────────────────────────────────────────────

  private generateOrganization(o: number): OrgCore {
    const round = Math.floor(o / ORGANIZATIONS.length);
    const name = `${ORGANIZATIONS[o % ORGANIZATIONS.length]}${round > 0 ? ` ${round + 1}` : ''}`;
    return { index: o, name, createdMs: spread(this.seed, 'org', o, this.counts.organizations, Date.UTC(2018, 0, 1), Date.UTC(2019, 0, 1)) };
  }

  /** An organization created now by a mutation: its creator is its owner and only member. */
  newOrganization(o: number, now: number): OrgCore {
    const base = this.generateOrganization(o);
    return { ...base, name: `${base.name} (new)`, createdMs: seconds(now), creator: this.rng('org-creator', o).int(this.users.baseCount) };
  }

  organization(o: number): DataRecord {
    const org = this.organizations.get(o);
    return { id: this.orgId(o), name: org.name, created_at: isoSeconds(org.createdMs) };
  }

  private generateUser(u: number, createdMs?: number): UserCore {
    const name = personName(this.seed, 'leanmote', u);
    return {
      index: u,
      name,
      email: emailFor(name, u, 'example-leanmote.io'),
      title: TITLES[hash32(this.seed, 'lm-title', u) % TITLES.length] as string,
      createdMs: createdMs ?? spread(this.seed, 'user', u, this.counts.users, Date.UTC(2019, 0, 1), ANCHOR_MS - DAY),
    };
  }

  newUser(u: number, now: number): UserCore {
    return this.generateUser(u, seconds(now));
  }

  user(u: number): DataRecord {
    const x = this.users.get(u);
    return { id: this.userId(u), name: x.name.full, email: x.email, created_at: isoSeconds(x.createdMs) };
  }

  private get baseOrgs(): number {
    return this.organizations.baseCount;
  }

  /** The organization a user belongs to first: generated organizations take users in turn. */
  primaryOrg(u: number): number {
    return u % this.baseOrgs;
  }

  /** Some users are guests of the next organization too. */
  secondaryOrg(u: number): number | undefined {
    const n = this.baseOrgs;
    return n > 1 && u >= n && u % 11 === 5 ? (this.primaryOrg(u) + 1) % n : undefined;
  }

  private role(u: number): string {
    if (u < this.baseOrgs) return 'owner';
    const h = hash32(this.seed, 'lm-role', u) % 100;
    return h < 6 ? 'admin' : h < 22 ? 'manager' : 'member';
  }

  /** Members of organization o in joining (user) order, its own users and guests; deleted users are gone. */
  members(o: number): Member[] {
    return this.allMembers(o).filter((m) => !this.users.isDeleted(m.user));
  }

  private allMembers(o: number): Member[] {
    const org = this.organizations.get(o);
    if (org.creator !== undefined) return [{ user: org.creator, role: 'owner' }];
    const n = this.baseOrgs;
    const size = this.users.size;
    const out: Member[] = [];
    const previous = (o - 1 + n) % n;
    let own = o;
    let guest = n > 1 ? previous : size;
    while (own < size || guest < size) {
      while (guest < size && (guest < n || this.secondaryOrg(guest) !== o)) guest += n;
      if (own < size && (guest >= size || own < guest)) {
        out.push({ user: own, role: this.role(own) });
        own += n;
      } else if (guest < size) {
        out.push({ user: guest, role: 'guest' });
        guest += n;
      }
    }
    return out;
  }

  member(m: Member): DataRecord {
    const x = this.users.get(m.user);
    return { id: this.userId(m.user), name: x.name.full, email: x.email, role: m.role };
  }

  // ─── Teams ─────────────────────────────────────────────────────────────────────────────────────

  private generateTeam(t: number, org?: number, createdMs?: number): TeamCore {
    const round = Math.floor(t / TEAMS.length);
    return {
      index: t,
      org: org ?? t % this.baseOrgs,
      name: `${TEAMS[t % TEAMS.length]}${round > 0 ? ` ${round + 1}` : ''}`,
      createdMs: createdMs ?? spread(this.seed, 'team', t, this.counts.teams, Date.UTC(2019, 1, 1), ANCHOR_MS - 7 * DAY),
    };
  }

  newTeam(t: number, now: number): TeamCore {
    const org = this.rng('new-team-org', t).int(this.baseOrgs);
    const base = this.generateTeam(t, org, seconds(now));
    return { ...base, name: `${base.name} (new)` };
  }

  team(t: number): DataRecord {
    const x = this.teams.get(t);
    return { id: this.teamId(t), organization_id: this.orgId(x.org), name: x.name, created_at: isoSeconds(x.createdMs) };
  }

  /** Teams of organization o, in creation order. */
  teamsOf(o: number): number[] {
    const out: number[] = [];
    const n = this.baseOrgs;
    const base = this.teams.baseCount;
    if (o < n) for (let t = o; t < base; t += n) out.push(t);
    for (let t = base; t < this.teams.size; t++) if (this.teams.get(t).org === o) out.push(t);
    return out;
  }

  /** 4–12 of the organization's own generated users, in user order. */
  teamMembers(t: number): number[] {
    const org = this.teams.get(t).org;
    const n = this.baseOrgs;
    const users = this.users.baseCount;
    const available = org < users ? Math.floor((users - 1 - org) / n) + 1 : 0;
    const rng = this.rng('team-members', t);
    const picks = rng.distinct(available, Math.min(available, 4 + rng.int(9)));
    return picks.map((j) => org + j * n).sort((a, b) => a - b);
  }

  /** One or two of the members, preferring those with a managing role in the organization. */
  teamManagers(t: number): number[] {
    const members = this.teamMembers(t);
    if (members.length === 0) return [];
    const leading = members.filter((u) => ['owner', 'admin', 'manager'].includes(this.role(u)));
    const pool = leading.length > 0 ? leading : members;
    const count = Math.min(pool.length, 1 + (hash32(this.seed, 'lm-managers', t) % 2));
    return pool.slice(0, count);
  }

  teamMember(u: number): DataRecord {
    const x = this.users.get(u);
    return { id: this.userId(u), name: x.name.full, email: x.email, title: x.title };
  }

  /** Undocumented beyond "user-like": a user's record with the title a team member has. */
  teamManager(u: number): DataRecord {
    const x = this.users.get(u);
    return { id: this.userId(u), name: x.name.full, email: x.email, title: x.title, created_at: isoSeconds(x.createdMs) };
  }

  // ─── Boards, tasks, interactions, calendars ──────────────────────────────────────────────────

  /** Like a Jira project key: letters of the board's team and its number. */
  boardKey(b: number): string {
    const team = TEAMS[(b % this.teams.baseCount) % TEAMS.length] as string;
    return `${team
      .normalize('NFD')
      .replace(/[^A-Za-z]/g, '')
      .toUpperCase()
      .slice(0, 4)}${b + 1}`;
  }

  private generateBoard(b: number): DataRecord {
    const t = b % this.teams.baseCount;
    return {
      id: `board_${b + 1}`,
      name: `${this.teams.get(t).name} ${BOARD_KINDS[b % BOARD_KINDS.length]}`,
      provider: BOARD_PROVIDERS[hash32(this.seed, 'lm-board', b) % BOARD_PROVIDERS.length],
      key: this.boardKey(b),
      team_id: this.teamId(t),
      created_at: isoSeconds(spread(this.seed, 'board', b, this.counts.boards, Date.UTC(2020, 0, 1), Date.UTC(2024, 0, 1))),
    };
  }

  /** The board and team of task i, without building the task. */
  taskBoard(i: number): number {
    return hash32(this.seed, 'lm-task-board', i) % this.boards.baseCount;
  }

  taskTeam(i: number): number {
    return this.taskBoard(i) % this.teams.baseCount;
  }

  /** Fields undocumented: the sandbox's choice of what a task synced from Jira, Linear or ClickUp carries. */
  private generateTask(i: number): DataRecord {
    const rng = this.rng('task', i);
    const b = this.taskBoard(i);
    const board = this.boards.get(b);
    const t = this.taskTeam(i);
    const members = this.teamMembers(t);
    const createdMs = spread(this.seed, 'task', i, this.counts.tasks, Date.UTC(2022, 0, 1), ANCHOR_MS - HOUR);
    const status =
      createdMs < ANCHOR_MS - 60 * DAY
        ? rng.weighted([
            ['done', 85],
            ['cancelled', 10],
            ['in_progress', 5],
          ] as const)
        : rng.pick(['todo', 'in_progress', 'in_review', 'done'] as const);
    const assignee = members.length > 0 && rng.bool(0.9) ? (members[rng.int(members.length)] as number) : undefined;
    return {
      id: `task_${i + 1}`,
      key: `${board['key']}-${i + 1}`,
      title: rng.pick(TASK_TITLES),
      type: rng.weighted([
        ['story', 5],
        ['bug', 3],
        ['task', 4],
        ['epic', 1],
      ] as const),
      status,
      priority: rng.pick(['low', 'medium', 'high', 'urgent'] as const),
      story_points: rng.bool(0.7) ? rng.pick([1, 2, 3, 5, 8, 13]) : null,
      board_id: board['id'],
      team_id: this.teamId(t),
      assignee_id: assignee === undefined ? null : this.userId(assignee),
      reporter_id: this.userId(members.length > 0 ? (members[rng.int(members.length)] as number) : rng.int(this.users.baseCount)),
      source: board['provider'],
      created_at: isoSeconds(createdMs),
      completed_at: status === 'done' ? isoSeconds(Math.min(ANCHOR_MS - MINUTE, createdMs + rng.range(1, 40) * DAY)) : null,
    };
  }

  interactionTeam(i: number): number {
    return hash32(this.seed, 'lm-interaction-team', i) % this.teams.baseCount;
  }

  /** Fields undocumented: one exchange between two people in a tool (a review, a thread, a meeting). */
  private generateInteraction(i: number): DataRecord {
    const rng = this.rng('interaction', i);
    const t = this.interactionTeam(i);
    const members = this.teamMembers(t);
    const kind = rng.pick(INTERACTION_KINDS);
    const user = members.length > 0 ? (members[rng.int(members.length)] as number) : rng.int(this.users.baseCount);
    const other = members.filter((m) => m !== user);
    return {
      id: `int_${i + 1}`,
      type: kind.type,
      source: kind.source,
      user_id: this.userId(user),
      counterpart_id: other.length > 0 && kind.type !== 'meeting' ? this.userId(other[rng.int(other.length)] as number) : null,
      team_id: this.teamId(t),
      participants: kind.type === 'meeting' ? 2 + rng.int(9) : 2,
      created_at: isoSeconds(spread(this.seed, 'interaction', i, this.counts.interactions, Date.UTC(2024, 5, 1), ANCHOR_MS - MINUTE)),
    };
  }

  /** Fields undocumented: a connected calendar and whose it is. */
  private generateCalendar(c: number): DataRecord {
    const rng = this.rng('calendar', c);
    const owner = rng.int(this.users.baseCount);
    const shared = c % 5 === 4;
    return {
      id: `cal_${c + 1}`,
      name: shared ? `${this.teams.get(c % this.teams.baseCount).name} on-call` : `${this.users.get(owner).name.full}`,
      provider: rng.bool(0.7) ? 'google' : 'outlook',
      owner_id: this.userId(owner),
      timezone: rng.pick(TIMEZONES),
      is_shared: shared,
      created_at: isoSeconds(spread(this.seed, 'calendar', c, this.counts.calendars, Date.UTC(2020, 0, 1), Date.UTC(2025, 0, 1))),
    };
  }

  /** Fields undocumented: a meeting on one of the calendars. */
  private generateEvent(e: number): DataRecord {
    const rng = this.rng('event', e);
    const createdMs = spread(this.seed, 'event', e, this.counts.calendarEvents, Date.UTC(2024, 0, 1), ANCHOR_MS - HOUR);
    const start = Math.floor((createdMs + rng.range(1, 21) * DAY) / (30 * MINUTE)) * 30 * MINUTE;
    const recurring = rng.bool(0.35);
    return {
      id: `evt_${e + 1}`,
      calendar_id: `cal_${(hash32(this.seed, 'lm-event-cal', e) % this.calendars.baseCount) + 1}`,
      title: rng.pick(EVENT_TITLES),
      start_at: isoSeconds(start),
      end_at: isoSeconds(start + rng.pick([15, 30, 45, 60, 90, 120]) * MINUTE),
      attendees_count: 1 + rng.int(12),
      is_recurring: recurring,
      created_at: isoSeconds(createdMs),
    };
  }

  // ─── Apps, repositories, commits, pull requests ──────────────────────────────────────────────

  /** Git integrations come first among the apps. */
  isGitApp(a: number): boolean {
    return a < this.counts.gitApps;
  }

  appProvider(a: number): { provider: string; code: string; name: string } {
    const g = this.counts.gitApps;
    return a < g
      ? (GIT_PROVIDERS[a % GIT_PROVIDERS.length] as (typeof GIT_PROVIDERS)[number])
      : (OTHER_PROVIDERS[(a - g) % OTHER_PROVIDERS.length] as (typeof OTHER_PROVIDERS)[number]);
  }

  /** When an app was connected: not rendered, but its list is in this order. */
  appConnectedMs(a: number): number {
    return spread(this.seed, 'app', a, this.apps.baseCount, Date.UTC(2019, 0, 1), Date.UTC(2024, 6, 1));
  }

  private generateApp(a: number): DataRecord {
    const p = this.appProvider(a);
    const pool = this.isGitApp(a) ? GIT_PROVIDERS.length : OTHER_PROVIDERS.length;
    const round = Math.floor((this.isGitApp(a) ? a : a - this.counts.gitApps) / pool);
    return {
      id: this.appId(a),
      provider: p.provider,
      name: `${p.name}${round > 0 ? ` (${round + 1})` : ''}`,
      is_active: this.isGitApp(a) || hash32(this.seed, 'lm-app-active', a) % 7 !== 0,
    };
  }

  /** Repositories of git app g, in creation order: every generated repository r with r mod gitApps = g, then new ones. */
  repositoriesOf(g: number): number[] {
    const out: number[] = [];
    const base = this.repositories.baseCount;
    for (let r = g; r < base; r += this.counts.gitApps) out.push(r);
    for (let r = base; r < this.repositories.size; r++) if (this.repoApp(r) === g) out.push(r);
    return out;
  }

  private readonly newRepositoryApps = new Map<number, number>();

  repoApp(r: number): number {
    return this.newRepositoryApps.get(r) ?? r % this.counts.gitApps;
  }

  /** A repository of git app g created at `createdMs`; it has no commits or pull requests yet. */
  insertRepository(g: number, createdMs: number): number {
    const r = this.repositories.size;
    this.newRepositoryApps.set(r, g);
    return this.repositories.insert({ ...this.repositories.draft(r), created_at: isoSeconds(createdMs) });
  }

  private repoCreatedMs(r: number): number {
    return spread(this.seed, 'repo', r, this.counts.repositories, Date.UTC(2016, 0, 1), Date.UTC(2025, 2, 1));
  }

  repoName(r: number): string {
    const n = REPO_PREFIXES.length * REPO_SUFFIXES.length;
    const k = (r * 7 + hash32(this.seed, 'lm-repo-names')) % n;
    const round = Math.floor(r / n);
    return `${REPO_PREFIXES[k % REPO_PREFIXES.length]}-${REPO_SUFFIXES[Math.floor(k / REPO_PREFIXES.length)]}${round > 0 ? `-${round + 1}` : ''}`;
  }

  /** Fields undocumented: what a repository of a git integration carries. */
  private generateRepository(r: number): DataRecord {
    const rng = this.rng('repo', r);
    const g = this.repoApp(r);
    const owner = ['acme', 'acme-labs', 'acme-data', 'acme-mobile'][g % 4] as string;
    const name = this.repoName(r);
    const host = (GIT_PROVIDERS[g % GIT_PROVIDERS.length] as (typeof GIT_PROVIDERS)[number]).host;
    return {
      id: this.repoId(r),
      name,
      full_name: `${owner}/${name}`,
      url: `${host}/${owner}/${name}`,
      default_branch: rng.bool(0.85) ? 'main' : 'master',
      language: rng.pick(LANGUAGES),
      is_private: rng.bool(0.8),
      is_archived: rng.bool(0.07),
      created_at: isoSeconds(this.repoCreatedMs(r)),
    };
  }

  /** Most repositories are small, a few are busy: up to 260 commits. */
  commitCount(r: number): number {
    const h = hash32(this.seed, 'lm-commits', r);
    const band = h % 100;
    const spreadOf = (h >>> 8) % 1000;
    return band < 70 ? 5 + (spreadOf % 56) : band < 90 ? 60 + (spreadOf % 91) : 150 + (spreadOf % 111);
  }

  pullRequestCount(r: number): number {
    return hash32(this.seed, 'lm-prs', r) % 31;
  }

  /** Commit k of repository r: spread between the repository's creation and the anchor, in order. */
  commitCreatedMs(r: number, k: number): number {
    const from = Math.max(this.repoCreatedMs(r), Date.UTC(2021, 0, 1));
    return spread(this.seed, `commit-${r}`, k, this.commitCount(r), from, ANCHOR_MS - HOUR);
  }

  private author(rng: Rng): { id: string | null; name: string; email: string } {
    if (rng.bool(0.05)) return { id: null, name: 'dependabot[bot]', email: '49699333+dependabot[bot]@users.noreply.github.com' };
    const u = rng.int(this.users.baseCount);
    const x = this.users.get(u);
    return { id: this.userId(u), name: x.name.full, email: x.email };
  }

  /** Fields undocumented: a commit as a git integration reports it. `created` marks one made by a mutation. */
  generateCommit(r: number, k: number, created: number | undefined): DataRecord {
    const rng = this.rng('commit', r, k, created === undefined ? 0 : 1);
    const author = this.author(rng);
    const additions = rng.int(rng.bool(0.1) ? 2000 : 200);
    return {
      id: `cmt_${(r + 1) * CHILD_SLOTS + k + 1}`,
      sha: rng.hex(40),
      message: rng.pick(COMMIT_MESSAGES),
      author_id: author.id,
      author_name: author.name,
      author_email: author.email,
      additions,
      deletions: rng.int(additions + 50),
      files_changed: 1 + rng.int(25),
      created_at: isoSeconds(created ?? this.commitCreatedMs(r, k)),
    };
  }

  pullRequestCreatedMs(r: number, k: number): number {
    const from = Math.max(this.repoCreatedMs(r), Date.UTC(2021, 0, 1));
    return spread(this.seed, `pr-${r}`, k, Math.max(1, this.pullRequestCount(r)), from, ANCHOR_MS - HOUR);
  }

  /** Fields undocumented: a pull (merge) request. `created` marks one opened by a mutation. */
  generatePullRequest(r: number, k: number, created: number | undefined): DataRecord {
    const rng = this.rng('pr', r, k, created === undefined ? 0 : 1);
    const createdMs = created ?? this.pullRequestCreatedMs(r, k);
    const author = this.author(rng);
    const recent = createdMs > ANCHOR_MS - 30 * DAY;
    const state = created !== undefined ? 'open' : recent && rng.bool(0.5) ? 'open' : rng.bool(0.85) ? 'merged' : 'closed';
    const closedMs = state === 'open' ? null : Math.min(ANCHOR_MS - MINUTE, createdMs + rng.range(1, 240) * HOUR);
    const additions = rng.int(1500);
    return {
      id: `pr_${(r + 1) * CHILD_SLOTS + k + 1}`,
      number: k + 1,
      title: rng.pick(PR_TITLES),
      state,
      author_id: author.id,
      source_branch: rng.pick(BRANCHES),
      target_branch: 'main',
      additions,
      deletions: rng.int(additions + 100),
      comments_count: rng.int(25),
      created_at: isoSeconds(createdMs),
      merged_at: state === 'merged' && closedMs !== null ? isoSeconds(closedMs) : null,
      closed_at: closedMs === null ? null : isoSeconds(closedMs),
    };
  }

  // ─── Dashboards ─────────────────────────────────────────────────────────────────────────────────

  private generateView(v: number): DataRecord {
    const round = Math.floor(v / VIEW_NAMES.length);
    return {
      id: `view_${v + 1}`,
      name: `${VIEW_NAMES[v % VIEW_NAMES.length]}${round > 0 ? ` ${round + 1}` : ''}`,
      type: (CATALOG[hash32(this.seed, 'lm-view-type', v) % CATALOG.length] as (typeof CATALOG)[number]).key,
      visibility: ['private', 'team', 'organization'][hash32(this.seed, 'lm-view-visibility', v) % 3],
      created_at: isoSeconds(spread(this.seed, 'view', v, this.counts.dashboardViews, Date.UTC(2021, 0, 1), ANCHOR_MS - DAY)),
    };
  }

  catalog(): DataRecord[] {
    return CATALOG.map((entry) => ({ ...entry }));
  }
}
