import { json, servedPageSize, text, type Reply, type RequestContext } from '../http.js';
import type { IndexList } from '../table.js';
import type { DataRecord } from '../vendor.js';

/**
 * Page sizes are undocumented; the sandbox chooses DRF LimitOffsetPagination with
 * `default_limit = 100` and `max_limit = 1000`.
 */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** DRF's `_positive_int`: invalid or non-positive (when strict) values fall back to the default. */
function positiveInt(raw: string | null, fallback: number, strict: boolean, cutoff?: number): number {
  if (raw === null || !/^\s*[+-]?\d+\s*$/.test(raw)) return fallback;
  const value = Number(raw);
  if (value < 0 || (strict && value === 0)) return fallback;
  return cutoff === undefined ? value : Math.min(value, cutoff);
}

/** DRF's `replace_query_param`/`remove_query_param`: rewrites one key, then sorts all keys. */
function withParams(ctx: RequestContext, set: Record<string, string | undefined>): string {
  const params = new URLSearchParams(ctx.query);
  for (const [k, v] of Object.entries(set)) {
    params.delete(k);
    if (v !== undefined) params.set(k, v);
  }
  const entries = [...params.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(entries).toString();
  return `${ctx.origin}${ctx.prefix}${ctx.path}${query ? `?${query}` : ''}`;
}

/** The position a request's page starts at, as LimitOffsetPagination reads `offset`. */
export function drfOffset(ctx: RequestContext): number {
  return positiveInt(ctx.query.get('offset'), 0, false);
}

/** `{count, next, previous, results}` with absolute links, exactly as LimitOffsetPagination builds them. */
export function drfPage(ctx: RequestContext, list: IndexList, render: (i: number) => DataRecord): Reply {
  const limit = servedPageSize(ctx, positiveInt(ctx.query.get('limit'), DEFAULT_LIMIT, true, MAX_LIMIT));
  const offset = drfOffset(ctx);
  const count = list.length;
  const results: DataRecord[] = [];
  for (let p = offset; p < Math.min(count, offset + limit); p++) results.push(render(list.at(p)));
  const next = offset + limit >= count ? null : withParams(ctx, { limit: String(limit), offset: String(offset + limit) });
  const previous = offset <= 0 ? null : withParams(ctx, { limit: String(limit), offset: offset - limit <= 0 ? undefined : String(offset - limit) });
  return json(200, { count, next, previous, results });
}

export function drfError(status: number, detail: string, headers: Record<string, string> = {}): Reply {
  return json(status, { detail }, headers);
}

/** Django with DEBUG off: HTML error pages outside DRF views. */
export function djangoPage(status: 404 | 500): Reply {
  const title = status === 404 ? 'Not Found' : 'Server Error (500)';
  const body =
    status === 404
      ? '<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n'
      : `<!doctype html>\n<html lang="en">\n<head>\n  <title>${title}</title>\n</head>\n<body>\n  <h1>${title}</h1><p></p>\n</body>\n</html>\n`;
  return text(status, body, 'text/html; charset=utf-8');
}
