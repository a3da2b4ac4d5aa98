import { emailFor, personName, type PersonName } from '../names.js';
import { hash32, ObjectIds, Rng } from '../random.js';
import { FilterCache, Table } from '../table.js';
import { ANCHOR_MS, DAY, YEAR } from '../time.js';
import { CITIES, DEPARTMENTS, LEVELS, LOCATION_KINDS, TEAM_NAMES, TITLES, type City } from './pools.js';

export const DOMAIN = 'example-leap.com';
const FANOUT = 5;

/** Record counts at a scale; children per parent stay bounded so totals grow linearly. */
export function leapsomeCounts(scale: number) {
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  return {
    employees: Math.max(6, n(150)),
    teams: Math.max(4, n(16)),
    workLocations: n(110),
    goals: n(260),
    goalTags: Math.min(500, n(24)),
    reviewCycles: n(45),
    absences: n(420),
    timesheets: n(320),
    payrollCycles: n(110),
    feedback: n(260),
  };
}
export type LeapsomeCounts = ReturnType<typeof leapsomeCounts>;

export type EmployeeStatus = 'created' | 'active' | 'invited' | 'removed' | 'deactivated' | 'preBoardingInvited' | 'preBoardingActive';

/** Everything about one person that the Content API and SCIM render in their own shapes. */
export interface Person {
  index: number;
  name: PersonName;
  email: string;
  createdMs: number;
  lastModifiedMs: number;
  startMs: number;
  endMs: number | undefined;
  status: EmployeeStatus;
  manager: number | undefined;
  teams: number[];
  department: number;
  location: number | undefined;
  title: string;
  level: string;
  birthday: string;
  gender: 'male' | 'female' | 'diverse';
  externalId: string | undefined;
}

export interface Team {
  index: number;
  name: string;
  createdMs: number;
  lastModifiedMs: number;
  externalId: string | undefined;
}

/**
 * The Leapsome tenant's organisation: people in a management tree (manager of i is (i-1)/5, so the
 * tree needs no storage), teams, departments and the id spaces every other generator uses.
 */
export class LeapsomeWorld {
  readonly counts: LeapsomeCounts;
  readonly cache = new FilterCache();
  readonly people: Table<Person>;
  readonly teams: Table<Team>;
  private readonly idSpaces = new Map<string, ObjectIds>();

  constructor(
    readonly seed: number,
    readonly scale: number,
  ) {
    this.counts = leapsomeCounts(scale);
    this.people = new Table(this.counts.employees, (i) => this.generatePerson(i), 65536);
    this.teams = new Table(this.counts.teams, (i) => this.generateTeam(i), 65536);
  }

  ids(tag: string): ObjectIds {
    let space = this.idSpaces.get(tag);
    if (!space) {
      space = new ObjectIds(this.seed, `leapsome:${tag}`);
      this.idSpaces.set(tag, space);
    }
    return space;
  }

  rng(...parts: Array<string | number>): Rng {
    return Rng.of(this.seed, 'leapsome', ...parts);
  }

  /** People that existed when the data were generated; structures such as review blocks use only them. */
  get basePeople(): number {
    return this.people.baseCount;
  }

  person(i: number): Person {
    return this.people.get(i);
  }

  userId(i: number): string {
    return this.ids('user').make(i, this.people.get(i).createdMs);
  }

  /** The person behind a user id, if it is one of ours. */
  userIndex(id: string): number | undefined {
    const i = this.ids('user').decode(id);
    return i !== undefined && this.people.has(i) && this.userId(i) === id ? i : undefined;
  }

  /** The `User` object of goals: `{id, email, fullName, preferredName}`. */
  userRef(i: number): Record<string, unknown> {
    const p = this.people.get(i);
    return { id: this.userId(i), email: p.email, fullName: p.name.full, preferredName: p.name.preferred ?? p.name.full };
  }

  directReports(i: number): number[] {
    const out: number[] = [];
    for (let r = FANOUT * i + 1; r <= FANOUT * i + FANOUT && r < this.basePeople; r++) out.push(r);
    return out;
  }

  teamId(t: number): string {
    return this.ids('team').make(t, this.teams.get(t).createdMs);
  }

  teamIndex(id: string): number | undefined {
    const t = this.ids('team').decode(id);
    return t !== undefined && this.teams.has(t) && this.teamId(t) === id ? t : undefined;
  }

  teamRef(t: number): { id: string; name: string } {
    return { id: this.teamId(t), name: this.teams.get(t).name };
  }

  departmentRef(d: number): { id: string; name: string } {
    return { id: this.ids('department').make(d, ANCHOR_MS - 9 * YEAR), name: DEPARTMENTS[d % DEPARTMENTS.length] as string };
  }

  /** Fixed-list groups (business units, cost centres, ...): ids are stable per (kind, position). */
  groupRef(kind: string, names: readonly string[], k: number): { id: string; name: string } {
    return { id: this.ids(kind).make(k, ANCHOR_MS - 9 * YEAR), name: names[k % names.length] as string };
  }

  /** Custom attribute ids, keyed by ObjectId as in Leapsome's SCIM schema. */
  customAttributeIds(): [string, string] {
    const ids = this.ids('customAttribute');
    return [ids.make(0, ANCHOR_MS - 4 * YEAR), ids.make(1, ANCHOR_MS - 4 * YEAR)];
  }

  /** Person i; `created` marks a new hire added by a mutation at that time, starting two weeks later. */
  generatePerson(i: number, created?: number): Person {
    const rng = this.rng('person', i);
    const base = this.basePeople;
    const name = personName(this.seed, 'leapsome', i);
    // Earlier index, earlier hire: managers (lower indexes) mostly joined before their reports.
    const span = 9.5 * YEAR;
    const startMs =
      created !== undefined
        ? Math.floor(created / DAY) * DAY + 14 * DAY
        : Math.floor((ANCHOR_MS - 10 * YEAR + (i / base) * span + rng.int(20) * DAY) / DAY) * DAY;
    const future = startMs > (created ?? ANCHOR_MS);
    const leaver = !future && i > 0 && rng.bool(0.12);
    const endMs = leaver ? Math.min(ANCHOR_MS - DAY, startMs + (180 + rng.int(1500)) * DAY) : undefined;
    let status: EmployeeStatus;
    if (created !== undefined) status = 'invited';
    else if (future) status = rng.bool(0.5) ? 'preBoardingInvited' : 'preBoardingActive';
    else if (leaver) status = rng.bool(0.8) ? 'deactivated' : 'removed';
    else
      status = rng.weighted([
        ['active', 94],
        ['invited', 4],
        ['created', 2],
      ] as const);
    const createdMs = created ?? startMs - (7 + rng.int(30)) * DAY;
    const lastModifiedMs = created ?? Math.min(ANCHOR_MS - DAY, createdMs + rng.int(Math.max(1, ANCHOR_MS - createdMs)));
    const manager = i === 0 ? undefined : i < base ? Math.floor((i - 1) / FANOUT) : rng.int(Math.min(base, 30));
    const teams = [1 + (hash32(this.seed, 'team-of', i) % (this.counts.teams - 1))];
    if (rng.bool(0.25)) {
      const second = 1 + rng.int(this.counts.teams - 1);
      if (!teams.includes(second)) teams.push(second);
    }
    if (i < base && FANOUT * i + 1 < base) teams.unshift(0); // "Managers (Auto)"
    const department = (teams[teams.length - 1] as number) % DEPARTMENTS.length;
    const location = rng.bool(0.05) ? undefined : rng.bool(0.8) ? rng.int(Math.min(12, this.counts.workLocations)) : rng.int(this.counts.workLocations);
    return {
      index: i,
      name,
      email: emailFor(name, i, DOMAIN),
      createdMs,
      lastModifiedMs: Math.max(createdMs, lastModifiedMs),
      startMs,
      endMs,
      status,
      manager,
      teams,
      department,
      location,
      title: i === 0 ? 'CEO' : rng.pick(TITLES),
      level: rng.pick(LEVELS),
      birthday: `${1960 + rng.int(42)}-${String(1 + rng.int(12)).padStart(2, '0')}-${String(1 + rng.int(28)).padStart(2, '0')}`,
      gender: rng.weighted([
        ['female', 48],
        ['male', 48],
        ['diverse', 4],
      ] as const),
      externalId: rng.bool(0.7) ? `azure-ad:${rng.hex(8)}-${rng.hex(4)}` : undefined,
    };
  }

  /** Team t; `created` marks one created by a mutation at that time. */
  generateTeam(t: number, created?: number): Team {
    const rng = this.rng('team', t);
    const cycle = Math.floor(t / TEAM_NAMES.length);
    const name = `${TEAM_NAMES[t % TEAM_NAMES.length]}${cycle > 0 ? ` ${cycle + 1}` : ''}`;
    const createdMs = created ?? ANCHOR_MS - 9 * YEAR + Math.floor((t / this.counts.teams) * 8 * YEAR) + rng.int(30) * DAY;
    return {
      index: t,
      name,
      createdMs,
      lastModifiedMs: created ?? createdMs + rng.int(ANCHOR_MS - createdMs),
      externalId: rng.bool(0.6) ? `azure-ad-group:${rng.hex(8)}` : undefined,
    };
  }

  /** City of a work location; location 0 is "Remote" and has none. */
  city(location: number): City | undefined {
    return location === 0 ? undefined : (CITIES[(location - 1) % CITIES.length] as City);
  }

  /** "Berlin Office", "München HQ", ..., unique per location. */
  locationName(location: number): string {
    if (location === 0) return 'Remote';
    const k = location - 1;
    const city = CITIES[k % CITIES.length] as City;
    const kind = LOCATION_KINDS[Math.floor(k / CITIES.length) % LOCATION_KINDS.length] as string;
    const round = Math.floor(k / (CITIES.length * LOCATION_KINDS.length));
    return `${city.city} ${kind}${round > 0 ? ` ${round + 1}` : ''}`;
  }

  locationId(location: number): string {
    return this.ids('workLocation').make(location, ANCHOR_MS - 8 * YEAR + location * DAY);
  }
}
