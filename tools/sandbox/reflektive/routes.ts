import type { Churn } from '../churn.js';
import { REFLEKTIVE_CREDENTIALS } from './credentials.js';
import { json, servedPageSize, text, type Reply, type RequestContext } from '../http.js';
import { Router } from '../router.js';
import type { IndexList } from '../table.js';
import type { DataRecord, Mount } from '../vendor.js';
import type { ReflektiveData } from './data.js';
import { REPORTS_PREFIX, type Reports } from './reports.js';

export const REFLEKTIVE_PREFIX = '/reflektive';
const PAGE_SIZE = 200;

/**
 * Rails' `String#to_i`: leading digits, else 0. This is why the documented malformed link
 * `?created_after=N?page=2` reads as created_after=N and no page at all: page 1 again.
 */
export function rubyInt(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const m = /^\s*([+-]?\d+)/.exec(value);
  return m ? Number(m[1]) : 0;
}

export function reflektiveError(status: number, message: string): Reply {
  // Throttling is rack-attack's plain-text default; everything else is the spec's `{error}`.
  if (status === 429) return text(429, 'Retry later\n', 'text/plain');
  const headers: Record<string, string> = status === 401 ? { 'www-authenticate': 'Token realm="Application"' } : {};
  return json(status, { error: message }, headers);
}

/**
 * Pagination links as documented: relative, present only when there are more than 200 results, and
 * by default built by appending `?page=N` to the request's query (hence the second `?`).
 */
function links(ctx: RequestContext, page: number, lastPage: number, wellFormed: boolean): Record<string, string> {
  const kept = ctx.rawQuery.split('&').filter((p) => p !== '' && !/^page=/.test(p));
  const base = `${ctx.prefix}${ctx.path}${kept.length ? `?${kept.join('&')}` : ''}`;
  const link = (n: number) => (wellFormed ? `${base}${kept.length ? '&' : '?'}page=${n}` : `${base}?page=${n}`);
  const out: Record<string, string> = { self: page === 1 ? base : link(page) };
  if (page < lastPage) out['next'] = link(page + 1);
  out['last'] = link(lastPage);
  return out;
}

function listFeedback(data: ReflektiveData, ctx: RequestContext, version: 1 | 2, wellFormed: boolean, churn: Churn): Reply {
  const nowSec = Math.floor(ctx.now / 1000);
  // The documented trap: without created_after only the last 24 hours are returned.
  const after = rubyInt(ctx.query.get('created_after')) ?? nowSec - 86400;
  const before = rubyInt(ctx.query.get('created_before')) ?? nowSec;
  const page = Math.max(1, rubyInt(ctx.query.get('page')) ?? 1);
  const size = servedPageSize(ctx, PAGE_SIZE);
  const single = version === 1;
  const table = data.feedback;
  // Churn places its changes before where this request starts in the whole list, all time.
  const all = () => table.ordered(data.window(Number.MIN_SAFE_INTEGER, before, single));
  const whole = churn.active ? all() : undefined;
  let skipped = 0;
  for (let hi = whole?.length ?? 0; skipped < hi; ) {
    const mid = (skipped + hi) >>> 1;
    if (table.get((whole as IndexList).at(mid)).createdSec <= after) skipped = mid + 1;
    else hi = mid;
  }
  if (churn.active)
    churn.serve(
      {
        table,
        list: all,
        // Backdated to the second of the item it goes before, so that the list stays in creation order.
        create: (next) => table.insert(data.generateFeedback(table.size, { sec: table.get(next).createdSec, team: false })),
        changed: () => undefined,
      },
      skipped + (page - 1) * size,
    );
  const list = table.ordered(data.window(after, before, single));
  const rows: DataRecord[] = [];
  for (let p = (page - 1) * size; p < Math.min(list.length, page * size); p++) {
    const f = data.feedback.get(list.at(p));
    rows.push(version === 1 ? data.v1(f) : data.v2(f));
  }
  if (list.length <= size) return json(200, { data: rows });
  return json(200, { links: links(ctx, page, Math.ceil(list.length / size), wellFormed), data: rows });
}

export function reflektiveMount(data: ReflektiveData, reports: Reports, wellFormed: boolean, churn: Churn): Mount<'reflektive'> {
  const router = new Router();
  router.get('/v1/real-time-feedback', (ctx) => listFeedback(data, ctx, 1, wellFormed, churn));
  router.get('/v2/real-time-feedback', (ctx) => listFeedback(data, ctx, 2, wellFormed, churn));
  router.post('/v1/reports/reviews', (ctx) => {
    const type = ctx.query.get('report_type');
    const cycle = ctx.query.get('cycle_uuid');
    if (!type) return reflektiveError(400, 'param is missing or the value is empty: report_type');
    if (type !== 'calibrations') return reflektiveError(400, `Unsupported report_type: ${type}`);
    if (!cycle) return reflektiveError(400, 'param is missing or the value is empty: cycle_uuid');
    if (!reports.knows(cycle)) return reflektiveError(404, 'Review cycle not found');
    return json(200, { data: { task_uuid: reports.start(cycle.toLowerCase(), ctx.now).uuid } });
  });
  router.get('/v1/task/:uuid', (ctx, params) => {
    const status = reports.poll(params['uuid'] ?? '', ctx.now, ctx.origin);
    return status ? json(200, { data: status }) : reflektiveError(404, 'Task not found');
  });

  return {
    name: 'reflektive',
    prefix: REFLEKTIVE_PREFIX,
    rateLimited: true,
    error: reflektiveError,
    handle: (ctx) => {
      const m = /^Token\s+token="?([^",\s]+)"?/i.exec(ctx.headers.authorization ?? '');
      if (m?.[1] !== REFLEKTIVE_CREDENTIALS.apiKey) return reflektiveError(401, 'HTTP Token: Access denied.');
      const match = router.match(ctx.method, ctx.path);
      if (match.kind !== 'found') return reflektiveError(404, 'Not Found');
      return match.handler(ctx, match.params);
    },
  };
}

/** The storage bucket serving report downloads: public, presigned, no API auth. */
export function reportsMount(reports: Reports): Mount<'reports'> {
  return {
    name: 'reports',
    prefix: REPORTS_PREFIX,
    rateLimited: false,
    error: (status, message) =>
      text(
        status,
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${status === 429 ? 'SlowDown' : 'InternalError'}</Code><Message>${message}</Message></Error>`,
        'application/xml',
      ),
    handle: (ctx) => reports.download(ctx.path, ctx.query, ctx.now),
  };
}
