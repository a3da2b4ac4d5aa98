import { hash32 } from '../random.js';
import { Table } from '../table.js';
import { ANCHOR_MS, DAY, HOUR, isoMs, YEAR } from '../time.js';
import type { DataRecord } from '../vendor.js';
import { ACCESS_ROLES, BADGES, DOCUMENT_CATEGORIES, FEEDBACK_MESSAGES, MONTHS, PROJECTS, STREETS } from './pools.js';
import type { LeapsomeWorld } from './world.js';

const ABSENCE_TYPES = [
  ['paidVacation', 'nonWorkingPaid', 50],
  ['sickLeave', 'nonWorkingPaid', 20],
  ['remoteWork', 'working', 10],
  ['parentalLeave', 'nonWorkingPartiallyPaid', 3],
  ['unpaidVacation', 'nonWorkingUnpaid', 3],
  ['childCare', 'nonWorkingPaid', 3],
  ['familyCare', 'nonWorkingPaid', 2],
  ['educationalLeave', 'nonWorkingPaid', 2],
  ['otherPaidLeave', 'nonWorkingPaid', 2],
  ['longtermSickLeave', 'nonWorkingPartiallyPaid', 1],
  ['quarantine', 'nonWorkingPaid', 1],
  ['gardenLeave', 'nonWorkingPaid', 1],
  ['shortTermAllowance', 'nonWorkingPartiallyPaid', 1],
  ['voluntaryMilitaryService', 'nonWorkingUnpaid', 0.3],
  ['irrevocableExemption', 'nonWorkingPaid', 0.3],
  ['lawfulStrike', 'nonWorkingUnpaid', 0.2],
  ['unlawfulStrike', 'nonWorkingUnpaid', 0.1],
  ['lockout', 'nonWorkingUnpaid', 0.1],
  ['unexcusedAbsence', 'nonWorkingUnpaid', 0.3],
] as const;

/** Absences start between four years before the anchor and two months after it (planned leave). */
const ABSENCE_FROM = ANCHOR_MS - 4 * YEAR;
const ABSENCE_SPAN = 4 * YEAR + 60 * DAY;

const PAYROLL_GROUP = 150;

/** Work locations, absences, timesheets, payroll, feedback and the small fixed lists. */
export class HrData {
  readonly workLocations: Table<DataRecord>;
  readonly absences: Table<DataRecord>;
  readonly timesheets: Table<DataRecord>;
  readonly payrollCycles: Table<DataRecord>;
  readonly feedback: Table<DataRecord>;
  /** Payroll cycles are split into legal entities of at most 150 people, so cycles stay bounded in size. */
  readonly payrollGroups: number;

  constructor(private readonly world: LeapsomeWorld) {
    const c = world.counts;
    this.payrollGroups = Math.max(1, Math.ceil(world.basePeople / PAYROLL_GROUP));
    this.workLocations = new Table(c.workLocations, (i) => this.generateLocation(i));
    this.absences = new Table(c.absences, (i) => this.generateAbsence(i));
    this.timesheets = new Table(c.timesheets, (i) => this.generateTimesheet(i));
    this.payrollCycles = new Table(c.payrollCycles, (i) => this.generatePayrollCycle(i, undefined));
    this.feedback = new Table(c.feedback, (i) => this.generateFeedback(i));
  }

  /** Work location i; `created` marks one created by a mutation at that time. */
  generateLocation(i: number, created?: number): DataRecord {
    const w = this.world;
    const rng = w.rng('location', i);
    const city = w.city(i);
    const legacy = !created && i > 0 && rng.bool(0.15);
    const createdMs = created ?? ANCHOR_MS - 8 * YEAR + Math.floor((i / w.counts.workLocations) * 7.5 * YEAR);
    return {
      id: w.locationId(i),
      name: w.locationName(i),
      status: rng.bool(0.9) ? 'active' : 'inactive',
      remote: i === 0 ? true : legacy ? null : false,
      currency: city?.currency ?? null,
      street: city && rng.bool(0.8) ? rng.pick(STREETS) : null,
      zip: city && rng.bool(0.9) ? city.zip : null,
      city: city?.city ?? null,
      administrativeDivision: city?.division ?? null,
      country: city?.country ?? null,
      dateFormat: city && !legacy ? city.dateFormat : null,
      primary: legacy ? null : i === 1,
      createdAt: legacy ? null : isoMs(createdMs),
      updatedAt: legacy ? null : isoMs(created ?? createdMs + rng.int(ANCHOR_MS - createdMs)),
    };
  }

  /** Start of absence i; non-decreasing in i so `absenceStartFrom/Until` resolve by binary search. */
  absenceStartMs(i: number): number {
    const n = this.world.counts.absences;
    const slot = ABSENCE_SPAN / n;
    return Math.floor((ABSENCE_FROM + i * slot + ((hash32(this.world.seed, 'absence-t', i) % 997) / 997) * slot * 0.9) / DAY) * DAY;
  }

  /** Absence i; `created` marks leave booked by a mutation at that time, starting a week or more later. */
  generateAbsence(i: number, created?: number): DataRecord {
    const w = this.world;
    const rng = w.rng('absence', i);
    const startMs = created === undefined ? this.absenceStartMs(i) : Math.floor(created / DAY) * DAY + (7 + rng.int(50)) * DAY;
    const [absenceType, activityType] = rng.weighted(ABSENCE_TYPES.map(([t, a, weight]) => [[t, a] as const, weight] as const));
    const hours = absenceType !== 'parentalLeave' && absenceType !== 'longtermSickLeave' && rng.bool(0.12);
    const days = absenceType === 'parentalLeave' ? 60 + rng.int(300) : absenceType === 'longtermSickLeave' ? 42 + rng.int(100) : 1 + rng.int(10);
    const endMs = hours ? startMs + (9 + rng.int(6)) * HOUR : startMs + days * DAY - 1;
    const createdMs = created ?? Math.min(ANCHOR_MS - HOUR, startMs - rng.range(1, 45) * DAY + rng.int(DAY));
    const status = created
      ? 'active'
      : rng.weighted([
          ['active', 88],
          ['removed', 8],
          ['pendingRemoval', 4],
        ] as const);
    const half = !hours && rng.bool(0.1);
    return {
      _id: w.ids('absence').make(i, createdMs),
      createdAt: isoMs(createdMs),
      updatedAt: isoMs(created !== undefined || (status === 'active' && rng.bool(0.7)) ? createdMs : createdMs + rng.int(Math.max(1, ANCHOR_MS - createdMs))),
      userId: w.userId(rng.int(w.basePeople)),
      start: isoMs(hours ? startMs + 9 * HOUR : startMs),
      startDayTime: hours ? '09:00' : undefined,
      startDayDuration: hours ? undefined : half ? rng.pick(['halfDayMorning', 'halfDayAfternoon']) : 'fullDay',
      end: isoMs(endMs),
      endDayTime: hours ? new Date(endMs).toISOString().slice(11, 16) : undefined,
      endDayDuration: hours ? undefined : 'fullDay',
      absenceType,
      activityType,
      status,
      timeUnit: hours ? 'hours' : 'days',
      comment: rng.bool(0.25) ? rng.pick(['Medical appointment', 'Hochzeit 💍', 'Family trip', 'Umzug', 'Rendez-vous médical']) : undefined,
      actualAbsenceDuration: status === 'pendingRemoval' ? null : hours ? (endMs - startMs - 9 * HOUR) / HOUR : days - (half ? 0.5 : 0),
    };
  }

  private generateTimesheet(i: number): DataRecord {
    const w = this.world;
    const rng = w.rng('timesheet', i);
    const n = w.counts.timesheets;
    // Weekly sheets over the year before the anchor; Mondays 00:00 to Sundays 23:59:59.999.
    const weeks = 52;
    const week = Math.floor((i * weeks) / n);
    const monday = Math.floor((ANCHOR_MS - (weeks - week) * 7 * DAY - 4 * DAY) / (7 * DAY)) * 7 * DAY + 4 * DAY;
    const user = rng.int(w.basePeople);
    const p = w.person(user);
    const worked = 20 * 60 + rng.int(25 * 60);
    const overtime = Math.max(0, worked - 40 * 60);
    const duration = (minutes: number) => `PT${Math.floor(minutes / 60)}H${minutes % 60 ? `${minutes % 60}M` : ''}`;
    const recent = week >= weeks - 2;
    return {
      id: w.ids('timesheet').make(i, monday),
      user: { id: w.userId(user), name: p.name.full, email: p.email },
      status: recent ? rng.pick(['open', 'pendingApproval']) : rng.bool(0.97) ? 'closed' : 'pendingApproval',
      startDate: isoMs(monday),
      endDate: isoMs(monday + 7 * DAY - 1),
      hoursWorked: duration(worked),
      compensableHours: duration(worked - rng.int(60)),
      overtimeHours: duration(overtime),
      workDuration: duration(worked + 30 * 5),
      projects: rng
        .sample(
          PROJECTS.map((_, k) => k),
          rng.int(3),
        )
        .map((k) => ({ id: w.ids('project').make(k, ANCHOR_MS - 3 * YEAR), title: PROJECTS[k] })),
    };
  }

  /** Month of payroll cycle c within its group; the newest month is the anchor's. */
  private payrollMonth(c: number): { start: number; end: number; label: string } {
    const perGroup = Math.ceil(this.world.counts.payrollCycles / this.payrollGroups);
    const back = perGroup - 1 - Math.floor(c / this.payrollGroups);
    const anchor = new Date(ANCHOR_MS);
    const start = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() - back, 1);
    const end = Date.UTC(anchor.getUTCFullYear(), anchor.getUTCMonth() - back + 1, 1) - 1;
    const d = new Date(start);
    return { start, end, label: `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}` };
  }

  payrollGroupOf(c: number): number {
    return c % this.payrollGroups;
  }

  /** A payroll cycle; `createdAt` marks one created by a mutation (next month's, still in the future). */
  generatePayrollCycle(c: number, createdAt: number | undefined): DataRecord {
    const w = this.world;
    const rng = w.rng('payroll', c);
    const month = this.payrollMonth(c);
    const group = this.payrollGroupOf(c);
    const perGroup = Math.ceil(w.counts.payrollCycles / this.payrollGroups);
    const back = perGroup - 1 - Math.floor(c / this.payrollGroups);
    const status =
      createdAt !== undefined
        ? 'future'
        : back === 0
          ? 'open'
          : back === 1
            ? rng.pick(['pendingApproval', 'overdue'])
            : rng.bool(0.97)
              ? 'approved'
              : 'reopened';
    const createdMs = createdAt ?? month.start - 20 * DAY;
    const approvedMs = month.end + (2 + rng.int(5)) * DAY;
    const approver = rng.int(Math.min(w.basePeople, 12));
    const custom = rng.bool(0.1);
    return {
      id: w.ids('payrollCycle').make(c, createdMs),
      name: `Payroll ${month.label}${this.payrollGroups > 1 ? ` – Entity ${group + 1}` : ''}`,
      status,
      startAt: isoMs(month.start),
      endAt: isoMs(month.end),
      customPeriodStartAt: custom ? isoMs(month.start - 5 * DAY) : undefined,
      customPeriodEndAt: custom ? isoMs(month.end - 5 * DAY) : undefined,
      reviewStartAt: isoMs(month.end - 5 * DAY),
      approvalStartAt: isoMs(month.end - 2 * DAY),
      approvedAt: status === 'approved' ? isoMs(approvedMs) : undefined,
      approvedBy: status === 'approved' ? w.userId(approver) : undefined,
      prorateType: ['thirtyDays', 'actualNumberOfMonthDays', 'semiMonthly'][group % 3],
      compensations: {
        salaryTypeCustomName: 'Salary type',
        baseSalaryCustomName: group % 2 === 0 ? 'Base salary' : 'Grundgehalt',
        salaryPerHourCustomName: 'Hourly rate',
        compensableTimeCustomName: 'Compensable time',
        hoursWorkedCustomName: 'Hours worked',
        paidAbsencesCustomName: 'Paid absences',
      },
      createdAt: isoMs(createdMs),
      updatedAt: isoMs(status === 'approved' ? approvedMs : (createdAt ?? Math.min(ANCHOR_MS, createdMs + rng.int(30) * DAY))),
    };
  }

  /** People on a payroll cycle: its entity's members employed during the cycle's period. */
  payrollParticipantIndexes(c: number): number[] {
    const w = this.world;
    const cycle = this.payrollCycles.get(c);
    const from = Date.parse(String(cycle['startAt']));
    const to = Date.parse(String(cycle['endAt']));
    const group = this.payrollGroupOf(c);
    const out: number[] = [];
    for (let e = group; e < w.basePeople; e += this.payrollGroups) {
      const p = w.person(e);
      if (p.startMs <= to && (p.endMs === undefined || p.endMs >= from)) out.push(e);
    }
    return out;
  }

  payrollParticipant(c: number, e: number): DataRecord {
    const w = this.world;
    const p = w.person(e);
    const rng = w.rng('payroll-participant', c, e);
    const cycle = this.payrollCycles.get(c);
    const from = Date.parse(String(cycle['startAt']));
    const to = Date.parse(String(cycle['endAt']));
    const currency = (p.location === undefined ? undefined : w.city(p.location))?.currency ?? 'EUR';
    const hourly = hash32(w.seed, 'hourly', e) % 10 === 0;
    const salary = 1000 * (38 + (hash32(w.seed, 'salary', e) % 120));
    return {
      id: w.userId(e),
      name: p.name.full,
      email: p.email,
      compensations: rng.bool(0.3)
        ? [
            {
              name: 'Monthly bonus',
              amount: 50 * rng.range(2, 40),
              amountType: 'variable',
              recurrence: 'monthly',
              comment: rng.pick(['Sales commission', 'On-call', '']),
              effectiveAt: isoMs(from),
              validUntil: isoMs(to),
            },
          ]
        : [],
      salaryInfoPeriods: [
        hourly
          ? { currency, salary: 18 + (salary % 20), salaryRemunerationPeriod: 'hour', compensationType: 'hourly', baseSalary: 18 + (salary % 20) }
          : { currency, salary, salaryRemunerationPeriod: 'year', compensationType: 'fixed', baseSalary: Math.round(salary / 12) },
      ],
      isActiveParticipant: p.endMs === undefined || p.endMs >= to,
    };
  }

  payrollCycleIndex(id: string): number | undefined {
    const c = this.world.ids('payrollCycle').decode(id);
    return c !== undefined && this.payrollCycles.exists(c) && this.payrollCycles.get(c)['id'] === id ? c : undefined;
  }

  /** Feedback item i; `created` marks one sent during a mutation. */
  generateFeedback(i: number, created?: number): DataRecord {
    const w = this.world;
    const rng = w.rng('feedback', i);
    const n = w.counts.feedback;
    const createdMs = created ?? Math.floor(ANCHOR_MS - 3 * YEAR + (i / n) * 3 * YEAR + rng.int(Math.max(1, Math.floor((3 * YEAR) / n))));
    const praise = rng.bool(0.6);
    const anonymous = !praise && rng.bool(0.1);
    const sender = rng.int(w.basePeople);
    const toTeam = praise && rng.bool(0.15);
    const receivers = toTeam
      ? [w.teamRef(rng.int(w.counts.teams))]
      : rng
          .sample(
            Array.from({ length: Math.min(w.basePeople, 60) }, (_, k) => k).filter((k) => k !== sender),
            praise ? 1 + rng.int(3) : 1,
          )
          .map((u) => ({ id: w.userId(u), name: w.person(u).name.full }));
    return {
      id: w.ids('feedback').make(i, createdMs),
      type: praise ? 'praise' : 'instantFeedback',
      sender: anonymous ? { id: null, name: 'Anonymous' } : { id: w.userId(sender), name: w.person(sender).name.full },
      receivers,
      message: praise && rng.bool(0.05) ? null : rng.pick(FEEDBACK_MESSAGES),
      badge: praise && rng.bool(0.7) ? rng.pick(BADGES) : null,
      visibility: praise ? rng.pick(['public', 'public', 'receiver']) : 'receiver',
      createdAt: isoMs(createdMs),
      likesCount: praise && !created ? rng.int(15) : 0,
      commentsCount: created ? 0 : rng.int(4),
    };
  }

  documentCategories(): DataRecord[] {
    return DOCUMENT_CATEGORIES.map((name, k) => ({ id: this.world.ids('documentCategory').make(k, ANCHOR_MS - 5 * YEAR + k * DAY), name }));
  }

  accessRoles(): DataRecord[] {
    return ACCESS_ROLES.map((r, k) => ({
      id: this.world.ids('accessRole').make(k, ANCHOR_MS - 6 * YEAR + k * DAY),
      name: r.name,
      userScopeType: r.userScopeType,
      isSystemDefault: r.systemDefaultType !== undefined,
      systemDefaultType: r.systemDefaultType,
      active: r.active,
    }));
  }
}
