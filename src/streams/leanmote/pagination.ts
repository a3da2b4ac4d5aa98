import { pick, type Paginator } from '../../engine/pagination.js';

/**
 * The documented maximum of `per_page`, and what every list asks for by default (`page_size` is 100
 * unless set lower): with 1000 requests an hour, a smaller page only costs requests.
 */
export const MAX_PER_PAGE = 100;

function countAt(body: unknown, path: string): number | undefined {
  const value = pick(body, path);
  if (value === null || value === undefined || value === '') return undefined;
  const number = Number(value);
  return Number.isInteger(number) && number >= 0 ? number : undefined;
}

/**
 * Whether a page follows page `page` (1-based), which served `served` of the `size` records asked for,
 * by what the envelope declares: `meta.total_pages` and `meta.total`. A page shorter than asked never
 * ends a list by itself (a server may serve fewer than `per_page`, and then numbers its pages by what
 * it serves):
 *
 * - an empty page ends it;
 * - before `total_pages`, another page follows;
 * - on the page `total_pages` calls the last, the list ends if `total` agrees: the pages read, all but
 *   this one full pages of one size between `served` and `size`, make up `total` exactly. If they
 *   cannot (a server counting its pages by the size asked while serving fewer), `total` decides as if
 *   there were no `total_pages`;
 * - by `total` alone, the list ends once every page so far, counted at this page's length, reaches it
 *   (a short last page is counted too low: the empty page after it ends the list);
 * - with neither, the list goes on to an empty page.
 */
export function hasNextPage(page: number, served: number, size: number, totalPages: number | undefined, total: number | undefined): boolean {
  if (served === 0) return false;
  if (totalPages !== undefined && page < totalPages) return true;
  if (total === undefined) return totalPages === undefined;
  if (page * served >= total) return false;
  if (page === totalPages) {
    const fullPage = page === 1 ? served : (total - served) / (page - 1);
    if (Number.isInteger(fullPage) && fullPage >= served && fullPage <= size && (page - 1) * fullPage + served === total) return false;
  }
  return true;
}

/** `page` (from 1) and `per_page`, ended by `meta.total_pages` and `meta.total`; `meta.total` is the estimate. */
export const leanmotePages = (size: number): Paginator => ({
  params: (token) => ({ page: token ?? 1, per_page: size }),
  next: ({ response, records, token }) => {
    const page = Number(token ?? 1);
    return hasNextPage(page, records.length, size, countAt(response.body, 'meta.total_pages'), countAt(response.body, 'meta.total')) ? page + 1 : undefined;
  },
  total: (response) => countAt(response.body, 'meta.total'),
});
