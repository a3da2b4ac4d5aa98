import type { Churn } from '../churn.js';
import { ApiFailure, containsFold, intParam, json, must, servedPageSize, type RequestContext } from '../http.js';
import type { Router } from '../router.js';
import { rangeList, type IndexList, type Table } from '../table.js';
import { DAY } from '../time.js';
import type { DataRecord } from '../vendor.js';
import type { LeapsomeData } from './data.js';
import type { LeapsomePermission } from './options.js';
import { dateParam, enumParam, filterKey, objectIdParam } from './params.js';
import { employee } from './people.js';

/** The 403 messages are the spec's own descriptions of each missing permission. */
const PERMISSION_MESSAGES: Record<LeapsomePermission, string> = {
  timesheets: 'Insufficient permissions. Permission to manage time tracking policies is required.',
  payroll: 'Insufficient permissions. Permission to manage payroll policies is required.',
  absences: 'Insufficient permissions. Admin access to absence management is required.',
  access_roles: 'Insufficient permissions. Super Admin access role is required.',
};

function pageOf<T>(list: IndexList, get: (i: number) => T, offset: number, limit: number): T[] {
  const out: T[] = [];
  for (let p = offset; p < Math.min(list.length, offset + limit); p++) out.push(get(list.at(p)));
  return out;
}

function filtered(data: LeapsomeData, stream: string, ctx: RequestContext, names: readonly string[], size: number, matches: (i: number) => boolean): IndexList {
  const key = filterKey(stream, ctx.query, names);
  return key ? data.world.cache.get(key, size, matches) : rangeList(size);
}

/** A list of a table's records, as churn serves it to a request starting at `offset`. */
function churned<T>(data: LeapsomeData, churn: Churn, table: Table<T>, offset: number, build: () => IndexList): IndexList {
  return churn.serve({ table, list: () => table.ordered(build()), changed: () => data.world.cache.clear() }, offset);
}

/** Offset/limit endpoints whose schema nevertheless declares `meta {page, pageSize, totalCount}`. */
function offsetPage(ctx: RequestContext, list: (offset: number) => IndexList, get: (i: number) => DataRecord) {
  const offset = must(intParam(ctx.query, 'offset', { min: 0, default: 0 }));
  const limit = servedPageSize(ctx, must(intParam(ctx.query, 'limit', { min: 1, max: 1000, default: 100 })));
  const served = list(offset);
  return json(200, { data: pageOf(served, get, offset, limit), meta: { page: Math.floor(offset / limit) + 1, pageSize: limit, totalCount: served.length } });
}

const EMPLOYEE_STATUSES = ['created', 'active', 'invited', 'removed', 'deactivated', 'preBoardingInvited', 'preBoardingActive'] as const;

function listEmployees(data: LeapsomeData, ctx: RequestContext, churn: Churn) {
  const { world } = data;
  const page = must(intParam(ctx.query, 'page', { min: 1, default: 1 }));
  const pageSize = servedPageSize(ctx, must(intParam(ctx.query, 'pageSize', { min: 1, max: 1000, default: 100 })));
  const email = ctx.query.get('email') || undefined;
  const employeeId = objectIdParam(ctx.query, 'employeeId');
  const displayedName = ctx.query.get('displayedName') || undefined;
  const status = enumParam(ctx.query, 'status', EMPLOYEE_STATUSES);
  const list = churned(data, churn, world.people, (page - 1) * pageSize, () =>
    filtered(data, 'employees', ctx, ['email', 'employeeId', 'displayedName', 'status'], world.people.size, (i) => {
      const p = world.person(i);
      if (email && p.email.toLowerCase() !== email.toLowerCase()) return false;
      if (employeeId && world.userId(i) !== employeeId) return false;
      if (displayedName && !containsFold(p.name.preferred ?? p.name.full, displayedName)) return false;
      if (status && p.status !== status) return false;
      return true;
    }),
  );
  const rows = pageOf(list, (i) => employee(world, i), (page - 1) * pageSize, pageSize);
  return json(200, { data: rows, meta: { page, pageSize, totalCount: list.length } });
}

function listWorkLocations(data: LeapsomeData, ctx: RequestContext, churn: Churn) {
  const table = data.hr.workLocations;
  const page = must(intParam(ctx.query, 'page', { min: 1, max: 1000, default: 1 }));
  const pageSize = servedPageSize(ctx, must(intParam(ctx.query, 'pageSize', { min: 1, max: 1000, default: 100 })));
  const id = objectIdParam(ctx.query, 'workLocationId');
  const name = ctx.query.get('name') || undefined;
  const status = enumParam(ctx.query, 'status', ['active', 'inactive']);
  const list = churned(data, churn, table, (page - 1) * pageSize, () =>
    filtered(data, 'work-locations', ctx, ['workLocationId', 'name', 'status'], table.size, (i) => {
      const r = table.get(i);
      return (!id || r['id'] === id) && (!name || containsFold(String(r['name']), name)) && (!status || r['status'] === status);
    }),
  );
  return json(200, { data: pageOf(list, (i) => table.get(i), (page - 1) * pageSize, pageSize), meta: { page, pageSize, totalCount: list.length } });
}

/** `/absences`: pages from 1, a bare array, no meta. Start-date filters narrow the scan by binary search. */
function listAbsences(data: LeapsomeData, ctx: RequestContext, churn: Churn) {
  const { hr } = data;
  const table = hr.absences;
  const page = must(intParam(ctx.query, 'page', { min: 1, max: 1000, default: 1 }));
  const pageSize = servedPageSize(ctx, must(intParam(ctx.query, 'pageSize', { min: 1, max: 1000, default: 100 })));
  const from = dateParam(ctx.query, 'absenceStartFrom');
  const until = dateParam(ctx.query, 'absenceStartUntil');
  const status = enumParam(ctx.query, 'status', ['active', 'removed', 'pendingRemoval']);
  const userId = objectIdParam(ctx.query, 'userId');
  const key = filterKey('absences', ctx.query, ['absenceStartFrom', 'absenceStartUntil', 'status', 'userId']);
  const build = (): IndexList => {
    if (!key) return rangeList(table.size);
    // Generated starts are day-aligned (hour-based absences start at 09:00 that day) and sorted by index.
    const lo = from === undefined ? 0 : firstIndex(table.baseCount, (i) => hr.absenceStartMs(i) + DAY > from);
    const hi = until === undefined ? table.baseCount : firstIndex(table.baseCount, (i) => hr.absenceStartMs(i) > until);
    return data.world.cache.get(key, table.size, (i) => {
      if (i < table.baseCount && (i < lo || i >= hi)) return false;
      const r = table.get(i);
      const start = Date.parse(String(r['start']));
      if (from !== undefined && start < from) return false;
      if (until !== undefined && start > until) return false;
      return (!status || r['status'] === status) && (!userId || r['userId'] === userId);
    });
  };
  const list = churned(data, churn, table, (page - 1) * pageSize, build);
  return json(
    200,
    pageOf(list, (i) => table.get(i), (page - 1) * pageSize, pageSize),
  );
}

/** The first index in [0, n) where the monotone predicate turns true (n when never). */
function firstIndex(n: number, predicate: (i: number) => boolean): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (predicate(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Payroll filter statuses (draft/active/completed/archived) do not match the record statuses; mapped here. */
const PAYROLL_FILTER: Record<string, readonly string[]> = {
  draft: ['future'],
  active: ['open', 'pendingApproval', 'overdue', 'reopened'],
  completed: ['approved'],
  archived: [],
};

function byUser(ctx: RequestContext): (r: DataRecord, userId: string) => boolean {
  const username = ctx.query.get('username') || undefined;
  const employeeId = objectIdParam(ctx.query, 'employeeId');
  return (r, userId) => (!username || String(r['email']).toLowerCase() === username.toLowerCase()) && (!employeeId || userId === employeeId);
}

export function registerHrRoutes(router: Router, data: LeapsomeData, forbidden: ReadonlySet<LeapsomePermission>, churn: Churn): void {
  const { hr } = data;
  const guard = (permission: LeapsomePermission) => {
    if (forbidden.has(permission)) throw new ApiFailure(403, PERMISSION_MESSAGES[permission]);
  };
  router.get('/employees', (ctx) => listEmployees(data, ctx, churn));
  router.get('/work-locations', (ctx) => listWorkLocations(data, ctx, churn));
  router.get('/absences', (ctx) => {
    guard('absences');
    return listAbsences(data, ctx, churn);
  });
  router.get('/time-tracking/timesheets', (ctx) => {
    guard('timesheets');
    const t: Table<DataRecord> = hr.timesheets;
    const match = byUser(ctx);
    const list = (offset: number) =>
      churned(data, churn, t, offset, () =>
        filtered(data, 'timesheets', ctx, ['username', 'employeeId'], t.size, (i) => {
          const user = t.get(i)['user'] as DataRecord;
          return match(user, String(user['id']));
        }),
      );
    return offsetPage(ctx, list, (i) => t.get(i));
  });
  router.get('/payroll-cycles', (ctx) => {
    guard('payroll');
    const t = hr.payrollCycles;
    const name = ctx.query.get('name') || undefined;
    const status = enumParam(ctx.query, 'status', ['draft', 'active', 'completed', 'archived']);
    const list = (offset: number) =>
      churned(data, churn, t, offset, () =>
        filtered(data, 'payroll-cycles', ctx, ['name', 'status'], t.size, (i) => {
          const r = t.get(i);
          return (!name || containsFold(String(r['name']), name)) && (!status || (PAYROLL_FILTER[status] ?? []).includes(String(r['status'])));
        }),
      );
    return offsetPage(ctx, list, (i) => t.get(i));
  });
  router.get('/payroll-cycles/:cycleId/participants', (ctx, params) => {
    guard('payroll');
    const c = hr.payrollCycleIndex(params['cycleId'] ?? '');
    if (c === undefined) throw new ApiFailure(404, 'Payroll cycle not found.');
    const match = byUser(ctx);
    const rows = hr
      .payrollParticipantIndexes(c)
      .map((e) => hr.payrollParticipant(c, e))
      .filter((r) => match(r, String(r['id'])));
    return offsetPage(
      ctx,
      () => rangeList(rows.length),
      (i) => rows[i] as DataRecord,
    );
  });
  router.get('/feedback', (ctx) => {
    const t = hr.feedback;
    const offset = must(intParam(ctx.query, 'offset', { min: 0, default: 0 }));
    const limit = servedPageSize(ctx, must(intParam(ctx.query, 'limit', { min: 1, max: 1000, default: 100 })));
    const type = enumParam(ctx.query, 'type', ['praise', 'instantFeedback']);
    const receiverId = objectIdParam(ctx.query, 'receiverId');
    const senderId = objectIdParam(ctx.query, 'senderId');
    const list = churned(data, churn, t, offset, () =>
      filtered(data, 'feedback', ctx, ['type', 'receiverId', 'senderId'], t.size, (i) => {
        const r = t.get(i);
        return (
          (!type || r['type'] === type) &&
          (!receiverId || (r['receivers'] as DataRecord[]).some((x) => x['id'] === receiverId)) &&
          (!senderId || (r['sender'] as DataRecord | null)?.['id'] === senderId)
        );
      }),
    );
    return json(200, { data: pageOf(list, (i) => t.get(i), offset, limit), meta: { offset, limit, totalCount: list.length } });
  });
  router.get('/documents/categories', () => json(200, hr.documentCategories()));
  router.get('/access-roles', () => {
    guard('access_roles');
    return json(200, hr.accessRoles());
  });
}
