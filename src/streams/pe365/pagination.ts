import { ConnectorError } from '../../engine/errors.js';
import type { HttpResponse } from '../../engine/http/client.js';
import { offsetLimit, queryParamOf, type Paginator } from '../../engine/pagination.js';

interface DrfPage {
  count?: unknown;
  next?: unknown;
  results?: unknown;
}

/**
 * A list's records: DRF's `results`, or the whole body where an endpoint answers a bare array (the
 * legacy API did). Anything else (an HTML page from a wrong base URL, say) is an error, never an
 * empty list: reading on would report success with nothing read.
 */
export function drfResults(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  const results = (body as DrfPage | null)?.results;
  if (Array.isArray(results)) return results;
  const seen = typeof body === 'string' ? `text starting ${JSON.stringify(body.slice(0, 60))}` : (JSON.stringify(body)?.slice(0, 120) ?? String(body));
  throw new ConnectorError(`Perform & Engage 365 answered without a list of results (${seen}). Check that the base URL ends in /api/v2.`, 'system_error');
}

/**
 * Whether another page follows. DRF's own signal is `next` (a URL, null on the last page); where a
 * response lacks the key, `count` (a total) against this page's offset decides. We never follow
 * `next` verbatim: the next offset is ours plus the records received, so a server that silently
 * caps `limit` cannot make us skip records.
 */
export function drfHasNext(response: HttpResponse): boolean {
  const body = response.body as DrfPage | null;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return false;
  if ('next' in body) return typeof body.next === 'string' && body.next !== '';
  const count = Number(body.count);
  const offset = Number(queryParamOf(response.url, 'offset') ?? 0);
  return Number.isFinite(count) && offset + (Array.isArray(body.results) ? body.results.length : 0) < count;
}

/** Django REST Framework's LimitOffsetPagination: `limit`/`offset`, `{count, next, previous, results}`. */
export const drfLimitOffset = (size: number): Paginator => offsetLimit({ size, total: 'count', hasNext: drfHasNext });
