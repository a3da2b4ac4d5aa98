import type { HttpResponse } from './http/client.js';
import { pick, type PageToken, type Paginator } from './pagination.js';

/**
 * Where the pages of a list start, for a paginator that can start a page at any record. A read with
 * such a paginator starts every page one record early, on the last record it delivered: when records
 * were inserted or deleted before the page being read, that record is not where it was, and the read
 * finds it again (stepping back if the list moved back past it) and goes on right after it. Nothing
 * that stayed in the list is skipped, nothing already delivered comes twice, whatever moved.
 *
 * This needs the list to keep its order: a record may be added or removed anywhere, but records that
 * stay keep their order relative to each other (an order by creation or by a key that never changes).
 */
export interface Positions {
  /** The position (0-based) of the first record of a token's page: where a resumed read starts. */
  of(token: PageToken | undefined): number;
  /** The token a read resumes from to start at `position`. */
  token(position: number): PageToken;
  /**
   * A page that starts at or before position `at` and holds it, unless the list ends before: the token
   * to ask for it, the position of its first record and how many records it can hold (at most).
   * `served` is the most records one response of this list has held so far (undefined before the
   * first): a page size no larger is served whole.
   */
  page(at: number, served: number | undefined): { token: PageToken; start: number; size: number };
}

/** A paginator whose pages can start at any record (see `Positions`). */
export interface OverlappingPaginator extends Paginator {
  readonly positions: Positions;
}

export function isOverlapping(paginator: Paginator): paginator is OverlappingPaginator {
  return (paginator as Partial<OverlappingPaginator>).positions !== undefined;
}

/**
 * Offsets (`offsetLimit`, DRF's limit/offset, `first` 0) and SCIM's `startIndex` (`first` 1): a page
 * starts at whatever position is asked for, so each page is asked for from one record early. The
 * paginator's tokens are positions counted from `first`.
 */
export function overlapping<P extends Paginator>(paginator: P, first: 0 | 1 = 0): P & OverlappingPaginator {
  return {
    ...paginator,
    positions: {
      of: (token) => Math.max(0, Number(token ?? first) - first),
      token: (position) => position + first,
      page: (at) => ({ token: at + first, start: at, size: paginator.pageSize ?? Number.POSITIVE_INFINITY }),
    },
  };
}

/**
 * Page numbers with a page size the client sets on every request (Leapsome's `page` and `pageSize`):
 * page n of size s holds the records from (n − first)·s on. A page of the same size cannot start one
 * record early, but a page of another size can: for each request this paginator picks the size, at
 * most `size` and no more than the server has served in one page, and the page number whose page
 * holds the last record read and as many records after it as possible. The overlap costs a few
 * records a page (at size 100, every page of a list of up to millions of records brings at least 54
 * new ones; at 1000, at least 665), and never a page the server would cut short.
 *
 * Tokens in states are positions; a state written when these lists were read by page number holds a
 * page number, which read as a position starts earlier than it did: records come again, none is lost.
 * The list ends on an empty page, at `total` when the API reports one, or where a page holds nothing
 * after the last record read.
 */
export function resizablePages(options: {
  param: string;
  sizeParam: string;
  size: number;
  first: 0 | 1;
  /** The API's total, a dotted path into the body. */
  total?: string;
  /** The highest page number the API accepts. */
  maxPage?: number;
}): OverlappingPaginator {
  const { first } = options;
  const decode = (token: PageToken | undefined): { page: number; size: number } => {
    if (typeof token === 'string') {
      const [page, size] = token.split(':').map(Number);
      return { page: page ?? first, size: size ?? options.size };
    }
    // A position: the page of full size that starts there or before.
    const at = Math.max(0, Number(token ?? 0));
    return { page: Math.floor(at / options.size) + first, size: options.size };
  };
  const totalOf = (response: HttpResponse): number | undefined => {
    if (!options.total) return undefined;
    const value = Number(pick(response.body, options.total));
    return Number.isFinite(value) && value >= 0 ? value : undefined;
  };
  return {
    pageSize: options.size,
    params: (token) => {
      const { page, size } = decode(token);
      return { [options.param]: page, [options.sizeParam]: size };
    },
    next: ({ response, records, token }) => {
      if (records.length === 0) return undefined;
      const { page, size } = decode(token);
      const following = (page - first) * size + records.length;
      const total = totalOf(response);
      return total !== undefined && following >= total ? undefined : following;
    },
    total: totalOf,
    positions: {
      of: (token) => (typeof token === 'string' ? (decode(token).page - first) * decode(token).size : Math.max(0, Number(token ?? 0))),
      token: (position) => position,
      page: (at, served) => {
        const limit = Math.max(1, Math.min(options.size, served ?? options.size));
        // The size whose page holding `at` reaches furthest past it; among those, the largest.
        let best = { page: Math.floor(at / limit), size: limit, after: -1 };
        const consider = (size: number) => {
          const page = Math.floor(at / size);
          const after = (page + 1) * size - at - 1;
          const allowed = options.maxPage === undefined || page + first <= options.maxPage;
          if (allowed && after > best.after) best = { page, size, after };
        };
        for (let size = limit; size >= Math.ceil(limit / 2); size--) consider(size);
        if (best.after <= 0) for (let size = Math.ceil(limit / 2) - 1; size >= 1; size--) consider(size);
        return { token: `${best.page + first}:${best.size}`, start: best.page * best.size, size: best.size };
      },
    },
  };
}
