import { queryParamOf, type PageToken, type PageView, type Paginator } from '../../engine/pagination.js';
import type { z } from 'zod';
import type { StreamDefinition } from '../../engine/stream.js';
import { reflektiveStream, type ReflektiveApis } from './apis.js';
import type { HttpResponse, Query } from '../../engine/http/client.js';
import { calibrationCycles, DEFAULT_REPORT_TIMEOUT_MINUTES, type ReflektiveConfig } from './config.js';
import { calibrationReportRows, DEFAULT_TIMING } from './report.js';
import * as schema from './schemas.js';

/** Fixed by the API; there is no page-size parameter. */
export const FEEDBACK_PAGE_SIZE = 200;

/**
 * `created_after` in UNIX seconds, always sent: without it the API returns only the last 24 hours.
 * The server's filter is strict (after, not at) and the engine has already floored the lower bound
 * to its second, so asking from one second earlier re-reads the boundary second whole: a record
 * sharing the cursor's second comes back rather than being lost.
 */
export function createdAfter(lowerBound: string | undefined): number {
  if (lowerBound === undefined) return 0;
  const ms = Date.parse(lowerBound);
  return Number.isNaN(ms) ? 0 : Math.max(0, Math.floor(ms / 1000) - 1);
}

/** The page number of a link, even a malformed one such as `…?created_after=N?page=2`. */
export function pageOfLink(link: unknown): number | undefined {
  if (typeof link !== 'string') return undefined;
  const match = /[?&]page=(\d+)/.exec(link);
  return match ? Number(match[1]) : undefined;
}

/**
 * Whether another page follows. Only the presence of `links.next` says so (no `links` at all means a
 * single page); the link itself is never followed, as the documented one is malformed
 * (`?created_after=N?page=2` reads as page 1 again). The next request is built from our own
 * parameters and the page number. `links.last`, where it names a page, caps the walk.
 */
export function hasNextPage(response: HttpResponse): boolean {
  const links = (response.body as { links?: { next?: unknown; last?: unknown } | null } | null)?.links;
  if (typeof links?.next !== 'string' || links.next === '') return false;
  const current = Number(queryParamOf(response.url, 'page') ?? 1);
  const last = pageOfLink(links.last);
  return last === undefined || current < last;
}

const feedbackParams = ({ cursor }: { cursor: string | undefined }): Query => ({ created_after: createdAfter(cursor) });

/**
 * A time window of feedback: `created_after` and `created_before` in UNIX seconds, `before` undefined
 * for an open window (up to the server's now), the page within it, and the page size the server was
 * seen to serve. Whether `created_before` takes in its own second is undocumented: a window is counted
 * on for the seconds strictly between its bounds only, and the next one starts one second before the
 * last one's `created_before` (a record both bring is left out the second time).
 */
interface Window {
  after: number;
  before: number | undefined;
  page: number;
  size: number;
}

const windowToken = (w: Window): string => `${w.after}:${w.before ?? ''}:${w.page}:${w.size}`;

function windowOf(token: string): Window {
  const [after, before, page, size] = token.split(':');
  return { after: Number(after), before: before ? Number(before) : undefined, page: Number(page) || 1, size: Number(size) || FEEDBACK_PAGE_SIZE };
}

/** The server's clock (its Date header), else ours, in UNIX seconds. */
function serverNow(response: HttpResponse): number {
  const date = Date.parse(response.headers.get('date') ?? '');
  return Math.floor((Number.isNaN(date) ? Date.now() : date) / 1000);
}

/** Windows aim at this share of a page, so that one sized on the records of the last still fits. */
const FILL = 0.75;

const secondOf = (record: unknown): number => Math.floor(Date.parse(String((record as { created_at?: unknown } | null)?.created_at)) / 1000);

/**
 * What follows a page of a time window: a narrower window where this one holds more than a page (this
 * page is then left out: the narrower windows bring its records), the next page of a window too
 * narrow to narrow further, or the next window, sized for about `FILL` of a page at the density of
 * this one. How the records are ordered only makes the sizes better or worse, never the result.
 */
function followWindow({ response, records, token }: PageView): { next: PageToken | undefined; discard: boolean } {
  if (typeof token === 'number') {
    // A page number from a state written when the list was read by pages: read on by pages, as then.
    return { next: records.length > 0 && hasNextPage(response) ? token + 1 : undefined, discard: false };
  }
  const now = serverNow(response);
  const w: Window =
    token === undefined
      ? { after: Number(queryParamOf(response.url, 'created_after') ?? 0), before: undefined, page: 1, size: FEEDBACK_PAGE_SIZE }
      : windowOf(token);
  const seconds = records.map(secondOf).filter((second) => Number.isFinite(second));
  if (w.before !== undefined && seconds.some((second) => second > (w.before as number))) {
    // The API does not bound the window by created_before: read the list by page numbers from the
    // stream's lower bound again (records may come twice; none is skipped).
    return { next: 1, discard: true };
  }
  const end = w.before ?? Math.max(now + 1, w.after + 2);
  const width = end - w.after;
  if (records.length > 0 && hasNextPage(response)) {
    // More than a page: this page is full, so its length is the server's page size.
    const size = records.length;
    const lo = Math.min(...seconds);
    const hi = Math.max(...seconds);
    if (w.page > 1) return { next: windowToken({ ...w, page: w.page + 1, size }), discard: false };
    if (seconds.length > 0 && lo === hi && (w.after !== lo - 1 || end !== lo + 1)) {
      // One second holds a page or more: read it alone, strictly inside its window, by pages.
      return { next: windowToken({ after: lo - 1, before: lo + 1, page: 1, size }), discard: true };
    }
    if (width <= 2) return { next: windowToken({ ...w, page: 2, size }), discard: false };
    const pages = pageOfLink((response.body as { links?: { last?: unknown } } | null)?.links?.last) ?? 2;
    // Where the page's seconds come in order, they are likely the window's first: end the narrower
    // window about FILL of their span past the first of them. Otherwise spread the window's count evenly.
    const ordered = seconds.length > 0 && seconds.every((second, i) => i === 0 || second >= (seconds[i - 1] as number));
    const narrower = ordered && lo > w.after ? lo - 1 - w.after + Math.ceil(FILL * (hi - lo + 1)) : Math.floor((width * FILL) / pages);
    return { next: windowToken({ after: w.after, before: w.after + Math.min(width - 1, Math.max(2, narrower)), page: 1, size }), discard: true };
  }
  // Read whole. The open window was the last one.
  if (w.before === undefined) return { next: undefined, discard: false };
  const after = w.before - 1;
  if (after >= now - 1) return { next: windowToken({ after, before: undefined, page: 1, size: w.size }), discard: false };
  const grow = Math.min(4, Math.max(1, (FILL * w.size) / Math.max(1, records.length)));
  const before = Math.min(now, after + Math.max(2, Math.round(width * grow)));
  return { next: windowToken({ after, before, page: 1, size: w.size }), discard: false };
}

/**
 * Feedback by time windows. A page number that shifts when feedback is deleted (or backdated) before
 * it would skip or repeat records, and the API has neither a total nor a page size to choose nor a
 * documented order. A window (`created_after`, `created_before`) that fits in one page (no `links`)
 * is one answer, all of it at once, and records created outside it cannot move into it: the read goes
 * window by window, whatever the order within a page. The first request asks for everything from the
 * stream's lower bound; a window that holds more than a page is narrowed (that page is left out), and
 * the last one, from the server's now, is open (no `created_before`). Only a single second that holds
 * more than a page is read by page numbers.
 */
export function feedbackWindows(): Paginator {
  return {
    pageSize: FEEDBACK_PAGE_SIZE,
    // The windows are sized from the records' creation times.
    readsRecords: true,
    params: (token) => {
      if (token === undefined) return {};
      if (typeof token === 'number') return { page: token };
      const w = windowOf(token);
      return { created_after: w.after, ...(w.before === undefined ? {} : { created_before: w.before }), ...(w.page > 1 ? { page: w.page } : {}) };
    },
    next: (page) => followWindow(page).next,
    discard: (page) => followWindow(page).discard,
  };
}

export function reflektiveStreams(config: ReflektiveConfig): Array<StreamDefinition<z.ZodType, ReflektiveApis>> {
  // v1 and v2 differ only in their record shape: same paging, same created_after filter.
  const feedback = (version: 'v1' | 'v2', recordSchema: typeof schema.FeedbackV1 | typeof schema.FeedbackV2) =>
    reflektiveStream({
      name: `real_time_feedback_${version}`,
      schema: recordSchema,
      primaryKey: [['uuid']],
      request: { path: `/${version}/real-time-feedback`, params: feedbackParams },
      records: 'data',
      paginate: feedbackWindows(),
      incremental: { cursorField: ['created_at'], granularity: 'second' },
    });
  const feedbackV1 = feedback('v1', schema.FeedbackV1);
  const feedbackV2 = feedback('v2', schema.FeedbackV2);

  const cycles = calibrationCycles(config);
  const calibrationReports = reflektiveStream({
    name: 'calibration_reports',
    schema: schema.CalibrationReportRow,
    primaryKey: [['cycle_uuid'], ['row_number']],
    request: { method: 'POST', path: '/v1/reports/reviews' },
    partitions: () => cycles.map((cycle_uuid) => ({ cycle_uuid })),
    // One cycle's failed report must not cost the rows of the others.
    isolatePartitionFailures: true,
    read: ({ api, partition, log }) =>
      calibrationReportRows(
        api,
        partition?.values['cycle_uuid'] as string,
        {
          ...DEFAULT_TIMING,
          timeoutMs: (config.calibration_report_timeout_minutes ?? DEFAULT_REPORT_TIMEOUT_MINUTES) * 60_000,
          // Polls back off like retries: retry_base_delay_seconds sets the first wait.
          pollBaseMs: api.options.retry.baseDelayMs,
        },
        log,
      ),
  });

  // Offered once the config names the cycles: the API cannot list them.
  return [feedbackV1, feedbackV2, ...(cycles.length > 0 ? [calibrationReports] : [])];
}
