import { pageNumber, queryParamOf } from '../../engine/pagination.js';
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

export function reflektiveStreams(config: ReflektiveConfig): Array<StreamDefinition<z.ZodType, ReflektiveApis>> {
  // v1 and v2 differ only in their record shape: same paging, same created_after filter.
  const feedback = (version: 'v1' | 'v2', recordSchema: typeof schema.FeedbackV1 | typeof schema.FeedbackV2) =>
    reflektiveStream({
      name: `real_time_feedback_${version}`,
      schema: recordSchema,
      primaryKey: [['uuid']],
      request: { path: `/${version}/real-time-feedback`, params: feedbackParams },
      records: 'data',
      paginate: pageNumber({ param: 'page', size: FEEDBACK_PAGE_SIZE, first: 1, hasNext: hasNextPage }),
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
