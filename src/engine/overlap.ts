import type { PageToken, Paginator } from './pagination.js';

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
   * to ask for it and the position of its first record. `served` is the most records one response of
   * this list has held so far (undefined before the first): a page size no larger is served whole.
   */
  page(at: number, served: number | undefined): { token: PageToken; start: number };
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
      page: (at) => ({ token: at + first, start: at }),
    },
  };
}
