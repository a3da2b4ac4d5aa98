import { createHash } from 'node:crypto';
import { TextDecoder } from 'node:util';
import { ConnectorError, HttpError, NetworkError, describe } from '../../engine/errors.js';
import type { ApiClient } from '../../engine/http/client.js';
import { DeadlineExceeded } from '../../engine/http/transport.js';
import { sleep } from '../../engine/http/retry.js';
import type { Row } from '../../engine/stream.js';
import { TruncatedFileError } from '../../engine/formats/csv.js';
import { ReportRowParser } from './report-rows.js';

export interface ReportTiming {
  /** How long one job may stay unfinished, from its start. */
  timeoutMs: number;
  /** First wait between two polls of the task; it doubles up to `pollMaxMs`. */
  pollBaseMs: number;
  pollMaxMs: number;
  /** Jobs per cycle: a download link that expired or is refused starts a new job. */
  maxJobs: number;
  /** Downloads per job: a body that breaks off is downloaded again, skipping the rows already emitted (if unchanged). */
  maxDownloads: number;
  now?: () => number;
}

export const DEFAULT_TIMING: Omit<ReportTiming, 'timeoutMs' | 'pollBaseMs'> = { pollMaxMs: 30_000, maxJobs: 3, maxDownloads: 4 };

const COMPLETED = new Set(['completed', 'complete']); // the enum says "completed", the prose "complete"
const FAILED = new Set(['failed', 'error']);

/**
 * The rows of one review cycle's calibration report: start the job, poll its task until it is
 * completed, download the file within the link's life (15 minutes) and parse it as it streams. Rows
 * are numbered from 1 in file order; a download that breaks off is repeated and resumes after the
 * last row emitted, and an expired link starts a new job. A repeated download skips only the rows it
 * serves exactly as they were sent: from the first row that differs (a new job's report may have
 * changed), every row is sent again, and its key (cycle, row number) makes the new version win.
 */
export async function* calibrationReportRows(api: ApiClient, cycleUuid: string, timing: ReportTiming, log: (message: string) => void): AsyncGenerator<Row> {
  const progress: Progress = { emitted: 0, digests: [] };
  let lastProblem = '';
  for (let job = 1; job <= timing.maxJobs; job++) {
    const link = await runJob(api, cycleUuid, timing, log);
    let previousEnding: string | undefined;
    for (let download = 1; download <= timing.maxDownloads; download++) {
      try {
        const outcome = yield* downloadRows(api, link, cycleUuid, progress, previousEnding, log);
        if (outcome.done) {
          log(`calibration_reports: review cycle ${cycleUuid}: ${progress.emitted} rows (${outcome.format}).`);
          return;
        }
        // No Content-Length vouched for the body and it did not end as files do: maybe cut off.
        previousEnding = outcome.ending;
        lastProblem = 'the file ended without a final line break';
      } catch (error) {
        if (error instanceof HttpError && error.status >= 400 && error.status < 500) {
          lastProblem = `the download link was refused (HTTP ${error.status}${error.bodySnippet.includes('expired') ? ', expired' : ''})`;
          log(`calibration_reports: review cycle ${cycleUuid}: ${lastProblem}; starting the report again.`);
          break;
        }
        if (!(error instanceof TruncatedFileError || error instanceof NetworkError || isBodyError(error))) throw error;
        lastProblem = describe(error);
      }
      log(`calibration_reports: review cycle ${cycleUuid}: download ${download} incomplete (${lastProblem}); downloading again after row ${progress.emitted}.`);
    }
  }
  throw new ConnectorError(
    `Could not download the calibration report of review cycle ${cycleUuid} from Reflektive after ${timing.maxJobs} report jobs: ${lastProblem}.`,
    'transient_error',
  );
}

/** Starts the report job and polls its task until it completes; resolves to the download link. */
async function runJob(api: ApiClient, cycleUuid: string, timing: ReportTiming, log: (message: string) => void): Promise<string> {
  const now = timing.now ?? Date.now;
  const started = now();
  const taskUuid = await startJob(api, cycleUuid);
  for (let poll = 0; ; poll++) {
    const response = await api.request({ path: `/v1/task/${encodeURIComponent(taskUuid)}` }).catch((error: unknown) => {
      // Not "the partition is gone" (which the engine skips): the cycle exists, its task vanished.
      if (error instanceof HttpError && error.status === 404) {
        throw new ConnectorError(
          `Reflektive lost the report task ${taskUuid} of review cycle ${cycleUuid} (HTTP 404). The next sync tries again.`,
          'transient_error',
          { cause: error },
        );
      }
      throw error;
    });
    const task = (response.body as { data?: { status?: unknown; metadata?: Record<string, unknown> | null } } | null)?.data;
    const status = String(task?.status ?? '').toLowerCase();
    if (COMPLETED.has(status)) {
      const link = task?.metadata?.['link'];
      if (typeof link !== 'string' || link === '') {
        throw new ConnectorError(
          `Reflektive completed the calibration report of review cycle ${cycleUuid} (task ${taskUuid}) without a download link.`,
          'system_error',
        );
      }
      log(`calibration_reports: review cycle ${cycleUuid}: report task ${taskUuid} completed after ${poll + 1} polls.`);
      return new URL(link, api.options.baseUrl).toString();
    }
    if (FAILED.has(status)) {
      const reason = reasonOf(task?.metadata);
      throw new ConnectorError(
        `Reflektive could not build the calibration report of review cycle ${cycleUuid}: task ${taskUuid} ended "${status}"${reason ? ` (${reason})` : ''}. The other cycles are still read; the next sync tries this one again.`,
        'transient_error',
      );
    }
    const delay = Math.min(timing.pollMaxMs, Math.max(10, timing.pollBaseMs) * 2 ** poll);
    if (now() - started + delay > timing.timeoutMs) {
      throw new ConnectorError(
        `The calibration report of review cycle ${cycleUuid} was not ready after ${formatDuration(timing.timeoutMs)} (task ${taskUuid} still "${status || 'unknown'}"). Raise calibration_report_timeout_minutes, or try again later.`,
        'transient_error',
      );
    }
    await sleep(delay);
  }
}

async function startJob(api: ApiClient, cycleUuid: string): Promise<string> {
  try {
    const response = await api.request({ method: 'POST', path: '/v1/reports/reviews', query: { report_type: 'calibrations', cycle_uuid: cycleUuid } });
    const taskUuid = (response.body as { data?: { task_uuid?: unknown } } | null)?.data?.task_uuid;
    if (typeof taskUuid !== 'string' || taskUuid === '') {
      throw new ConnectorError(`Reflektive started no calibration report for review cycle ${cycleUuid}: its answer has no data.task_uuid.`, 'system_error');
    }
    return taskUuid;
  } catch (error) {
    if (error instanceof HttpError && (error.status === 404 || error.status === 400 || error.status === 422)) {
      throw new ConnectorError(
        `Reflektive refused a calibration report for review cycle ${cycleUuid} (HTTP ${error.status}${error.bodySnippet ? `: ${error.bodySnippet}` : ''}). Check calibration_cycle_uuids.`,
        'config_error',
        { cause: error },
      );
    }
    throw error;
  }
}

interface DownloadOutcome {
  done: boolean;
  format: string;
  /** How an unvouched, unclean end looked: the same ending twice means the file really ends so. */
  ending?: string;
}

/** The rows of a cycle sent so far, each with a digest of its content, to recognise them in a repeat. */
interface Progress {
  emitted: number;
  digests: number[];
}

/** 48 bits of a row's SHA-1: exact in a number, and a chance of one in 10^14 that two rows collide. */
function digestOf(row: Row): number {
  return Number.parseInt(createHash('sha1').update(JSON.stringify(row)).digest('hex').slice(0, 12), 16);
}

/** Downloads the file once, yielding the rows after `progress.emitted`, and any sent before that changed since. */
async function* downloadRows(
  api: ApiClient,
  link: string,
  cycleUuid: string,
  progress: Progress,
  previousEnding: string | undefined,
  log: (message: string) => void,
): AsyncGenerator<Row, DownloadOutcome> {
  // The link is presigned for another host: the API key must not travel with it.
  const response = await api.open({ path: link, anonymous: true, headers: { accept: 'text/csv, application/json;q=0.9, */*;q=0.5' } });
  const parser = new ReportRowParser(response.headers.get('content-type'));
  const decoder = decoderFor(response.headers.get('content-type'));
  let seen = 0;
  let changed = false;
  const numbered = function* (rows: Row[]): Generator<Row> {
    for (const row of rows) {
      seen++;
      const digest = digestOf(row);
      if (seen <= progress.emitted) {
        if (!changed && progress.digests[seen - 1] === digest) continue;
        if (!changed) log(`calibration_reports: review cycle ${cycleUuid}: row ${seen} is not what was sent before; sending the rows again from there.`);
        changed = true;
        progress.digests[seen - 1] = digest;
      } else {
        progress.digests.push(digest);
        progress.emitted = seen;
      }
      yield { ...row, cycle_uuid: cycleUuid, row_number: seen };
    }
  };

  const reader = response.body?.getReader();
  try {
    if (reader) {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        yield* numbered(parser.push(decoder.decode(value, { stream: true })));
      }
    }
    const rest = parser.push(decoder.decode());
    yield* numbered(rest);
    const { rows, cleanEnd } = parser.end();
    const format = parser.detectedFormat ?? 'empty';
    const vouched = response.headers.get('content-length') !== null;
    if (cleanEnd || vouched) {
      yield* numbered(rows);
      return { done: true, format };
    }
    const ending = JSON.stringify([seen + rows.length, rows]);
    if (ending === previousEnding) {
      yield* numbered(rows);
      return { done: true, format };
    }
    return { done: false, format, ending };
  } finally {
    await reader?.cancel().catch(() => undefined);
  }
}

function decoderFor(contentType: string | null): TextDecoder {
  const charset = /charset="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8');
  } catch {
    return new TextDecoder('utf-8');
  }
}

/**
 * A body that broke off while it streamed (transports report those as fetch does, TypeError
 * "terminated" and the like), or that was still streaming when the request's deadline ran out.
 */
function isBodyError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    error instanceof DeadlineExceeded ||
    (error instanceof Error && /terminated|premature|aborted|socket|ECONNRESET/i.test(error.message))
  );
}

function reasonOf(metadata: Record<string, unknown> | null | undefined): string {
  const value = metadata?.['error'] ?? metadata?.['message'] ?? metadata?.['reason'];
  if (typeof value !== 'string') return '';
  return value.length > 200 ? `${value.slice(0, 200)}…` : value;
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.round((ms / 60_000) * 10) / 10} minutes` : `${Math.round(ms / 100) / 10} seconds`;
}
