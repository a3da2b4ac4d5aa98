import { ANCHOR_MS, isoMs, ymd } from '../time.js';
import type { DataRecord } from '../vendor.js';
import { BUSINESS_UNITS, COST_CENTERS, DIVISIONS, OTHER_GROUPS } from './pools.js';
import type { LeapsomeWorld, Person } from './world.js';

const LIFECYCLE: Record<Person['status'], string> = {
  active: 'active',
  created: 'hired',
  invited: 'hired',
  removed: 'terminated',
  deactivated: 'terminated',
  preBoardingInvited: 'preBoarding',
  preBoardingActive: 'preBoarding',
};

/** Chain of managers above the direct manager. */
function indirectManagers(world: LeapsomeWorld, p: Person): number[] {
  const out: number[] = [];
  let m = p.manager === undefined ? undefined : world.person(p.manager).manager;
  while (m !== undefined && out.length < 10) {
    out.push(m);
    m = world.person(m).manager;
  }
  return out;
}

/** `GET /employees` item. Optional strings are left out rather than null, as their schema has no `nullable`. */
export function employee(world: LeapsomeWorld, i: number): DataRecord {
  const p = world.person(i);
  const rng = world.rng('employee-extra', i);
  const nameRef = (m: number) => ({ id: world.userId(m), name: world.person(m).name.full });
  const city = p.location === undefined ? undefined : world.city(p.location);
  const currency = city?.currency ?? 'EUR';
  const [attrA, attrB] = world.customAttributeIds();
  const hasComp = rng.bool(0.9);
  const additional = rng.bool(0.3)
    ? [
        {
          id: world.ids('compensation').make(i, p.startMs),
          name: rng.pick(['Annual Bonus', 'Car Allowance', 'Sign-on Bonus', 'Jahresbonus']),
          amount: rng.bool(0.9) ? 1000 * rng.range(1, 15) : null,
          amountType: rng.pick(['fixed', 'variable', null]),
          recurrence: rng.pick(['oneTime', 'monthly', 'every12Months']),
          comment: rng.bool(0.5) ? 'Performance bonus' : null,
          effectiveAt: isoMs(p.startMs),
          validUntil: rng.bool(0.5) ? null : isoMs(ANCHOR_MS + 200 * 86400000),
        },
      ]
    : rng.bool(0.5)
      ? []
      : null;
  return {
    id: world.userId(i),
    email: p.email,
    firstname: p.name.first,
    lastname: p.name.last,
    middlename: p.name.middle,
    fullname: p.name.full,
    displayedName: p.name.preferred ?? p.name.full,
    status: p.status,
    lifecycleStatus: p.status === 'active' && rng.bool(0.03) ? 'leave' : LIFECYCLE[p.status],
    manager: p.manager === undefined ? undefined : nameRef(p.manager),
    additionalManagers: rng.bool(0.08) && i > 1 ? [nameRef(rng.int(Math.min(i, world.basePeople)))] : [],
    indirectManagers: indirectManagers(world, p).map(nameRef),
    startDate: isoMs(p.startMs),
    endDate: p.endMs === undefined ? undefined : isoMs(p.endMs),
    phone: rng.bool(0.7) ? `+49 30 ${rng.range(1000000, 9999999)}` : undefined,
    teams: p.teams.map((t) => world.teamRef(t)),
    departments: [world.departmentRef(p.department)],
    businessUnits: [world.groupRef('businessUnit', BUSINESS_UNITS, i % BUSINESS_UNITS.length)],
    costCenters: rng.bool(0.9) ? [world.groupRef('costCenter', COST_CENTERS, rng.int(COST_CENTERS.length))] : [],
    divisions: [world.groupRef('division', DIVISIONS, (p.location ?? 0) % DIVISIONS.length)],
    otherGroups: rng.bool(0.2) ? [world.groupRef('otherGroup', OTHER_GROUPS, rng.int(OTHER_GROUPS.length))] : [],
    level: p.level,
    title: p.title,
    workLocation: p.location === undefined ? null : { id: world.locationId(p.location), name: world.locationName(p.location) },
    compensation: hasComp
      ? {
          salary: 1000 * rng.range(38, 160),
          currency,
          frequency: rng.weighted([
            ['year', 90],
            ['month', 8],
            ['hour', 2],
          ] as const),
        }
      : null,
    additionalCompensations: additional,
    customAttributes: {
      [attrA]: rng.pick(['Salary Class A', 'Salary Class B', 'Salary Class C']),
      [attrB]: rng.pick(['Permanent', 'Freelancer', 'Working Student']),
    },
  };
}

/** People SCIM lists: everyone except hard-removed accounts. */
export function inScim(p: Person): boolean {
  return p.status !== 'removed';
}

const SCIM_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const SCIM_ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';

/** SCIM `User`: same person as the employee with the same id, in SCIM's shape. */
export function scimUser(world: LeapsomeWorld, i: number, scimBase: string): DataRecord {
  const p = world.person(i);
  const rng = world.rng('scim-extra', i);
  const id = world.userId(i);
  const [attrA, attrB] = world.customAttributeIds();
  const manager = p.manager === undefined ? undefined : { managerId: world.userId(p.manager), displayName: world.person(p.manager).name.full };
  const employeeRecord = employee(world, i);
  const customs = employeeRecord['customAttributes'] as Record<string, string>;
  return {
    schemas: [SCIM_USER, SCIM_ENTERPRISE],
    id,
    externalId: p.externalId ?? null,
    userName: p.email,
    name: { givenName: p.name.first, familyName: p.name.last, formatted: p.name.full },
    displayName: p.name.preferred ?? p.name.full,
    title: p.title,
    photos: rng.bool(0.6) ? [{ value: `https://eu.ui-avatars.com/api/?name=${encodeURIComponent(p.name.full)}`, type: 'photo' }] : [],
    active: p.status === 'active' || p.status === 'preBoardingActive',
    emails: [{ primary: true, type: 'work', value: p.email }],
    groups: p.teams.map((t) => ({ value: world.teamId(t) })),
    manager: manager ? { value: manager.managerId } : undefined,
    [SCIM_ENTERPRISE]: {
      manager,
      additionalManagers: [],
      attachments: rng.bool(0.2) ? [{ fileName: `Performance-Review-${2020 + rng.int(5)}.pdf`, access: ['MANAGER', 'HR'] }] : [],
      department: world.departmentRef(p.department).name,
      costCenter: ((employeeRecord['costCenters'] as Array<{ name: string }>)[0] ?? { name: undefined }).name,
      division: ((employeeRecord['divisions'] as Array<{ name: string }>)[0] ?? { name: undefined }).name,
      level: p.level,
      startDate: ymd(p.startMs),
      endDate: p.endMs === undefined ? undefined : ymd(p.endMs),
      birthday: p.birthday,
      gender: p.gender,
      employmentType: customs[attrB] === 'Freelancer' ? 'external' : 'internal',
      location: p.location === undefined ? undefined : world.locationName(p.location),
      [attrA]: customs[attrA],
      [attrB]: customs[attrB],
    },
    meta: {
      resourceType: 'User',
      created: isoMs(p.createdMs),
      lastModified: isoMs(p.lastModifiedMs),
      location: `${scimBase}/Users/${id}`,
      version: `W/"${Math.floor(p.lastModifiedMs / 1000).toString(36)}"`,
    },
  };
}

const SCIM_GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';

/** SCIM `Group` (a Leapsome team). `members` is declared with `maxItems: 0`, so it is always empty. */
export function scimGroup(world: LeapsomeWorld, t: number, scimBase: string): DataRecord {
  const team = world.teams.get(t);
  const id = world.teamId(t);
  return {
    schemas: [SCIM_GROUP],
    id,
    displayName: team.name,
    members: [],
    externalId: team.externalId,
    meta: {
      resourceType: 'Group',
      created: isoMs(team.createdMs),
      lastModified: isoMs(team.lastModifiedMs),
      location: `${scimBase}/Groups/${id}`,
      version: `W/"${Math.floor(team.lastModifiedMs / 1000).toString(36)}"`,
    },
  };
}
