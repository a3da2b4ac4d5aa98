import type { HttpResponse, Query } from './http/client.js';

/** Where a page starts: a cursor string, a page number or an offset. JSON-serialisable for state. */
export type PageToken = string | number;

export interface PageView {
  response: HttpResponse;
  /** The page's records: read lean, each holds only its primary key and cursor, unless the paginator `readsRecords`. */
  records: unknown[];
  token: PageToken | undefined;
}

/**
 * A pagination strategy: which query parameters fetch a page, which token comes next (undefined when
 * the list is done), and, where the API says so, the total number of records.
 *
 * A page shorter than asked for never ends a list by itself: a server may serve fewer records per
 * page than it documents, without saying so (Leapsome caps review participants at 100), and then
 * every page is short. A list ends on an empty page, on the API's own "no next page" signal, or once
 * the records read reach the total the API declares; where an API gives none of these but a short
 * page, reading on to the empty page costs one request and loses nothing.
 */
export interface Paginator {
  /** The endpoint answers in one response: there is no page to resume from. */
  readonly single?: true;
  /** Records asked for per page, where the paginator asks for a number: what a plan of requests counts with. */
  readonly pageSize?: number;
  /** `next` or `discard` looks at the records' fields, not only at how many there are: the list is never read lean. */
  readonly readsRecords?: true;
  params(token: PageToken | undefined): Query;
  next(page: PageView): PageToken | undefined;
  /**
   * Whether a page's records are left out: a page asked for only to learn something (that a time
   * window holds too many records for one page), whose records a later page brings.
   */
  discard?(page: PageView): boolean;
  total?(response: HttpResponse): number | undefined;
}

/** Reads a dotted path ("meta.totalCount") from a JSON value. */
export function pick(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function numberAt(body: unknown, path: string | undefined): number | undefined {
  if (!path) return undefined;
  const value = Number(pick(body, path));
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

/** An unpaginated list: one request. */
export const singlePage = (): Paginator => ({
  single: true,
  params: () => ({}),
  next: () => undefined,
});

/**
 * Page numbers. `first` is 0 or 1 depending on the API. The list ends on an empty page, when
 * `hasNext` (the API's own "next" signal) says so, or when `total` says every record was served.
 *
 * Against the total, the pages read are counted at the size of the page at hand, never at the size
 * asked for: a server that serves fewer records than asked numbers its pages by what it serves, so
 * page n of a server capping at 37 starts at record 37·(n − first). Every page before this one was a
 * full page of the size it serves, no smaller than this one, so the count is never too high; on a
 * short last page it is too low, and the empty page that follows ends the list.
 */
export function pageNumber(options: {
  param: string;
  sizeParam?: string;
  size: number;
  first: 0 | 1;
  total?: string;
  hasNext?: (response: HttpResponse) => boolean;
}): Paginator {
  return {
    pageSize: options.size,
    params: (token) => ({
      [options.param]: token ?? options.first,
      ...(options.sizeParam ? { [options.sizeParam]: options.size } : {}),
    }),
    next: ({ response, records, token }) => {
      const page = Number(token ?? options.first);
      if (records.length === 0) return undefined;
      if (options.hasNext) return options.hasNext(response) ? page + 1 : undefined;
      const total = numberAt(response.body, options.total);
      if (total !== undefined && (page - options.first + 1) * records.length >= total) return undefined;
      return page + 1;
    },
    total: (response) => numberAt(response.body, options.total),
  };
}

/**
 * Offset and limit. The next offset counts the records received, so a server that serves fewer than
 * `limit` skips none. The list ends on an empty page, when `hasNext` says so, or at the declared total.
 */
export function offsetLimit(options: {
  offsetParam?: string;
  limitParam?: string;
  size: number;
  total?: string;
  hasNext?: (response: HttpResponse) => boolean;
}): Paginator {
  const offsetParam = options.offsetParam ?? 'offset';
  return {
    pageSize: options.size,
    params: (token) => ({ [offsetParam]: token ?? 0, [options.limitParam ?? 'limit']: options.size }),
    next: ({ response, records, token }) => {
      const offset = Number(token ?? 0);
      if (records.length === 0) return undefined;
      if (options.hasNext) return options.hasNext(response) ? offset + records.length : undefined;
      const following = offset + records.length;
      const total = numberAt(response.body, options.total);
      return total !== undefined && following >= total ? undefined : following;
    },
    total: (response) => numberAt(response.body, options.total),
  };
}

/**
 * An opaque cursor handed back by the API. `nextCursor` finds it in the response (body field, a
 * "next" URL, a header); null or absent means the list is done. The API's cursor marks where the
 * page it served ended, so a short page is followed like any other.
 */
export function cursor(options: {
  param: string;
  sizeParam?: string;
  size: number;
  nextCursor: (response: HttpResponse) => string | null | undefined;
}): Paginator {
  return {
    pageSize: options.size,
    params: (token) => ({
      ...(token === undefined ? {} : { [options.param]: token }),
      ...(options.sizeParam ? { [options.sizeParam]: options.size } : {}),
    }),
    next: ({ response, records }) => {
      if (records.length === 0) return undefined;
      const next = options.nextCursor(response);
      return next ? next : undefined;
    },
  };
}

/**
 * SCIM 2.0 (RFC 7644 §3.4.2.4): 1-based `startIndex` and `count`, `totalResults` in the body. A
 * server may return fewer than `count` (the RFC allows it): the next index counts the records
 * received, and the list ends at `totalResults`, else on an empty page.
 */
export function scimIndex(options: { size: number }): Paginator {
  return {
    pageSize: options.size,
    params: (token) => ({ startIndex: token ?? 1, count: options.size }),
    next: ({ response, records, token }) => {
      const start = Number(token ?? 1);
      if (records.length === 0) return undefined;
      const total = numberAt(response.body, 'totalResults');
      const following = start + records.length;
      return total !== undefined && following > total ? undefined : following;
    },
    total: (response) => numberAt(response.body, 'totalResults'),
  };
}

/** The value of a query parameter in a (possibly relative) URL, if any. */
export function queryParamOf(url: unknown, name: string): string | undefined {
  if (typeof url !== 'string' || url === '') return undefined;
  try {
    return new URL(url, 'http://relative.invalid').searchParams.get(name) ?? undefined;
  } catch {
    return undefined;
  }
}
