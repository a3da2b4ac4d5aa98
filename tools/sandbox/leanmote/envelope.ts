import { ApiFailure, json, servedPageSize, type Reply, type RequestContext } from '../http.js';
import type { Churn } from '../churn.js';
import type { FilterCache, IndexList, Table } from '../table.js';
import { parseIsoDate } from '../time.js';
import type { DataRecord } from '../vendor.js';

/** Documented: `per_page` defaults to 50, at most 100. Larger values are clamped to 100 silently (the sandbox's choice). */
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;

const CODES: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  429: 'RATE_LIMITED',
  500: 'SERVER_ERROR',
};

/** `{status: "error", error: {code, message}}`, with the documented code of the status. */
export function leanmoteError(status: number, message: string): Reply {
  return json(status, { status: 'error', error: { code: CODES[status] ?? 'SERVER_ERROR', message } });
}

/** A single object, or the catalog: `data` without `meta`. */
export function single(ctx: RequestContext, data: DataRecord | DataRecord[]): Reply {
  const fields = projection(ctx);
  return json(200, { status: 'success', data: Array.isArray(data) ? data.map(fields) : fields(data) });
}

/** `fields=id,name,owner.email`: only those fields (dot paths reach into objects); unknown ones are left out. */
function projection(ctx: RequestContext): (record: DataRecord) => DataRecord {
  const raw = ctx.query.get('fields');
  const paths = (raw ?? '')
    .split(',')
    .map((f) => f.trim())
    .filter((f) => f !== '');
  if (paths.length === 0) return (record) => record;
  return (record) => {
    const out: DataRecord = {};
    for (const path of paths) {
      const parts = path.split('.');
      let from: unknown = record;
      let to: DataRecord = out;
      for (let k = 0; k < parts.length; k++) {
        const part = parts[k] as string;
        if (from === null || typeof from !== 'object' || !(part in (from as DataRecord))) break;
        from = (from as DataRecord)[part];
        if (k === parts.length - 1) {
          to[part] = from;
        } else {
          to[part] ??= {};
          to = to[part] as DataRecord;
        }
      }
    }
    return out;
  };
}

/** One list endpoint: its records, in creation order, and what clients may sort and filter on. */
export interface ListSource {
  /** Names the list (with its parent) in the filter cache. */
  key: string;
  /** Record indexes in creation order (churn's placements included), deleted records left out. */
  list: IndexList;
  /** When record i was created (rendered as `created_at`, or hidden for records without it). */
  createdMs(i: number): number;
  /** Whether created times never decrease along `list`: sorting by created_at is then the list itself. */
  monotonic: boolean;
  /** Whether the records render `created_at`: only then do `created_at[op]` filters apply. */
  filterable: boolean;
  /** Text fields clients may sort on besides created_at, e.g. name and email. */
  sortable: Record<string, (i: number) => string>;
  /** Breaks ties between records that sort alike: their place in creation order (default: position in `list`). */
  rank?(i: number): number;
  render(i: number): DataRecord;
  /** Where churn deletes and inserts this list's records (see churn.ts); none: the list does not churn. */
  churn?: {
    table: Table<unknown>;
    /** A new record created at `createdMs`, appended to the table; returns its index. */
    create(createdMs: number): number;
  };
}

const OPERATORS = ['eq', 'gte', 'lte', 'gt', 'lt'] as const;
type Operator = (typeof OPERATORS)[number];

function positiveInt(ctx: RequestContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1) throw new ApiFailure(400, `${name} must be a positive integer`);
  return Number(raw);
}

/** `created_at[op]=<ISO date or date-time>` bounds; a date alone is midnight UTC. */
function createdFilters(ctx: RequestContext): Array<[Operator, number]> {
  const out: Array<[Operator, number]> = [];
  for (const [name, value] of ctx.query) {
    const m = /^created_at\[([^\]]*)\]$/.exec(name);
    if (!m) continue;
    const op = m[1] as Operator;
    if (!OPERATORS.includes(op)) throw new ApiFailure(400, `Unsupported operator "${m[1]}" for created_at; use one of ${OPERATORS.join(', ')}`);
    const ms = parseIsoDate(value.trim());
    if (ms === undefined) throw new ApiFailure(400, `Invalid date for ${name}: "${value}"`);
    out.push([op, ms]);
  }
  return out;
}

function matches(filters: Array<[Operator, number]>, ms: number): boolean {
  return filters.every(([op, v]) => (op === 'eq' ? ms === v : op === 'gte' ? ms >= v : op === 'lte' ? ms <= v : op === 'gt' ? ms > v : ms < v));
}

/** The first position in [lo, hi) whose created time is not `before` the value (binary search on a monotonic list). */
function firstNot(list: IndexList, createdMs: (i: number) => number, lo: number, hi: number, before: (ms: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (before(createdMs(list.at(mid)))) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const reversed = (list: IndexList): IndexList => ({ length: list.length, at: (p) => list.at(list.length - 1 - p) });

/** The list sorted ascending (ties by creation order) and filtered, before `order` applies. */
function ascending(cache: FilterCache, src: ListSource, sort: string, filters: Array<[Operator, number]>): IndexList {
  if (sort === 'created_at' && src.monotonic) {
    let lo = 0;
    let hi = src.list.length;
    for (const [op, v] of filters) {
      if (op === 'gte' || op === 'eq')
        lo = Math.max(
          lo,
          firstNot(src.list, src.createdMs, 0, src.list.length, (ms) => ms < v),
        );
      if (op === 'gt')
        lo = Math.max(
          lo,
          firstNot(src.list, src.createdMs, 0, src.list.length, (ms) => ms <= v),
        );
      if (op === 'lte' || op === 'eq')
        hi = Math.min(
          hi,
          firstNot(src.list, src.createdMs, 0, src.list.length, (ms) => ms <= v),
        );
      if (op === 'lt')
        hi = Math.min(
          hi,
          firstNot(src.list, src.createdMs, 0, src.list.length, (ms) => ms < v),
        );
    }
    const start = lo;
    return { length: Math.max(0, hi - lo), at: (p) => src.list.at(start + p) };
  }
  const key = `${src.key}|${sort}|${filters.map(([op, v]) => `${op}=${v}`).join('&')}`;
  return cache.remember(key, () => {
    const rows: Array<{ i: number; rank: number; by: string | number }> = [];
    const text = src.sortable[sort];
    for (let p = 0; p < src.list.length; p++) {
      const i = src.list.at(p);
      if (filters.length > 0 && !matches(filters, src.createdMs(i))) continue;
      rows.push({ i, rank: src.rank ? src.rank(i) : p, by: text ? text(i) : src.createdMs(i) });
    }
    rows.sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : a.rank - b.rank));
    return rows.map((r) => r.i);
  });
}

/**
 * A page of a list in the documented envelope: `{status, data, meta: {page, per_page, total,
 * total_pages, sort, order}}`. `page` from 1; `per_page` default 50, above 100 clamped to 100, and
 * capped by the sandbox's `pageCap` (meta.per_page and total_pages follow the size served); a page
 * past the end is empty. `sort` is created_at (default) or one of the list's text fields, `order`
 * desc (default) or asc; desc is the exact reverse of asc, ties included. `created_at[eq|gte|lte|gt|lt]`
 * filter lists whose records carry created_at; other parameters are ignored.
 *
 * `source` is asked again whenever churn has changed the data. Churn inserts a record created with
 * the created_at of the record it goes before (one second later when newest first), so that it sorts
 * before the page asked for in either order.
 */
export function listPage(ctx: RequestContext, cache: FilterCache, source: () => ListSource, churn?: Churn): Reply {
  const page = positiveInt(ctx, 'page', 1);
  const perPage = servedPageSize(ctx, Math.min(MAX_PER_PAGE, positiveInt(ctx, 'per_page', DEFAULT_PER_PAGE)));
  let src = source();
  const sort = ctx.query.get('sort') || 'created_at';
  if (sort !== 'created_at' && !src.sortable[sort]) {
    throw new ApiFailure(400, `Invalid sort field "${sort}"; use one of ${['created_at', ...Object.keys(src.sortable)].join(', ')}`);
  }
  const order = (ctx.query.get('order') || 'desc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw new ApiFailure(400, `Invalid order "${ctx.query.get('order')}"; use asc or desc`);
  const filters = createdFilters(ctx);
  const served = (from: ListSource): IndexList => {
    const sorted = ascending(cache, from, sort, from.filterable ? filters : []);
    return order === 'asc' ? sorted : reversed(sorted);
  };
  const start = (page - 1) * perPage;
  let list = served(src);
  const target = src.churn;
  if (churn && target) {
    list = churn.serve(
      {
        table: target.table,
        list: () => {
          src = source();
          list = served(src);
          return list;
        },
        create: (next) => target.create(src.createdMs(next) + (order === 'desc' ? 1000 : 0)),
        changed: () => cache.clear(),
      },
      start,
    );
  }
  const total = list.length;
  const fields = projection(ctx);
  const data: DataRecord[] = [];
  for (let p = start; p < Math.min(total, start + perPage); p++) data.push(fields(src.render(list.at(p))));
  return json(200, {
    status: 'success',
    data,
    meta: { page, per_page: perPage, total, total_pages: Math.ceil(total / perPage), sort, order },
  });
}
