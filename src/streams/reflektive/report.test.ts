/**
 * The calibration report job against an msw fake of Reflektive's report and task endpoints and of
 * the storage that serves the download links: polling, failure, timeout, expired links, bodies cut
 * short, CSV and JSON files; and, through the connector's `run`, one partition per cycle.
 *
 * Time is fake: poll and retry waits run on a fake clock that `settle` moves from timer to timer.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { mswTransport } from '../../../tools/testing/engine/msw.js';
import { Files, runInProcess } from '../../../tools/testing/harness.js';
import { ConnectorError } from '../../engine/errors.js';
import { ApiClient } from '../../engine/http/client.js';
import { DeadlineExceeded } from '../../engine/http/transport.js';
import { silentLogger } from '../../engine/logger.js';
import { calibrationReportRows, type ReportTiming } from './report.js';
import { settle } from '../../../tools/testing/fake-time.js';

const BASE = 'http://reflektive.test';
const FILES = 'http://bucket.test';
const KEY = 'refl-secret-key-123';
const CYCLE_A = 'aaaaaaaa-0000-4000-8000-000000000001';
const CYCLE_B = 'bbbbbbbb-0000-4000-8000-000000000002';
const CYCLE_C = 'cccccccc-0000-4000-8000-000000000003';

const CSV = 'employee_uuid,employee_name,comments\nu1,"Müller, José","Needs to ""own"" more."\nu2,Zoë,"Two\nlines"\nu3,Łukasz,\n';
const CSV_ROWS = [
  { employee_uuid: 'u1', employee_name: 'Müller, José', comments: 'Needs to "own" more.' },
  { employee_uuid: 'u2', employee_name: 'Zoë', comments: 'Two\nlines' },
  { employee_uuid: 'u3', employee_name: 'Łukasz', comments: '' },
];

interface Scenario {
  /** Polls answered pending before the task completes (or fails). */
  pendingPolls: number;
  failCycles: string[];
  unknownCycles: string[];
  status: string;
  /** What a download of job n (1-based, per cycle) answers. */
  download: (job: number, download: number, cycle: string) => Response;
}

let scenario: Scenario;
const posts: string[] = [];
const polls: string[] = [];
/** When each poll arrived, on the fake clock. */
const pollTimes: number[] = [];
const downloads: Array<{ url: URL; authorization: string | null }> = [];
const tasks = new Map<string, { cycle: string; job: number; polls: number }>();

const defaults = (): Scenario => ({
  pendingPolls: 2,
  failCycles: [],
  unknownCycles: [],
  status: 'completed',
  download: () => csvResponse(CSV),
});

function csvResponse(text: string, headers: Record<string, string> = {}): Response {
  return new HttpResponse(text, { headers: { 'content-type': 'text/csv; charset=utf-8', ...headers } });
}

/** A body that sends `text` and then breaks off, as a dropped connection does (or, with `why`, as the request's deadline does). */
function brokenResponse(text: string, contentType = 'text/csv', why: Error = new TypeError('terminated')): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text));
      controller.error(why);
    },
  });
  return new HttpResponse(body, { headers: { 'content-type': contentType } });
}

/**
 * A download whose reader gets `text` first and only then the break (msw's responses end before
 * a partial body reaches the reader): marks the response for `withPartialBodies` to serve.
 */
const PARTIAL = new Map<string, string>();
function brokenAfterDelivery(text: string): Response {
  const id = `partial-${PARTIAL.size}`;
  PARTIAL.set(id, text);
  return new HttpResponse(id, { headers: { 'content-type': 'application/x-partial' } });
}

/** The client, with the downloads that `brokenAfterDelivery` marked served as bodies that break off. */
function withPartialBodies(client: ApiClient): ApiClient {
  const open = client.open.bind(client);
  client.open = async (request) => {
    const response = await open(request);
    if (response.headers.get('content-type') !== 'application/x-partial' || !response.body) return response;
    const text = PARTIAL.get(await new Response(response.body).text()) ?? '';
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (pulls++ === 0) controller.enqueue(new TextEncoder().encode(text));
        else controller.error(new TypeError('terminated'));
      },
    });
    return { ...response, headers: new Headers({ 'content-type': 'text/csv' }), body };
  };
  return client;
}

const server = setupServer(
  http.post(`${BASE}/v1/reports/reviews`, ({ request }) => {
    const url = new URL(request.url);
    if (request.headers.get('authorization') !== `Token token=${KEY}`) return HttpResponse.json({ error: 'HTTP Token: Access denied.' }, { status: 401 });
    const cycle = url.searchParams.get('cycle_uuid') ?? '';
    if (url.searchParams.get('report_type') !== 'calibrations') return HttpResponse.json({ error: 'bad report_type' }, { status: 400 });
    if (scenario.unknownCycles.includes(cycle)) return HttpResponse.json({ error: 'Review cycle not found' }, { status: 404 });
    posts.push(cycle);
    const job = posts.filter((c) => c === cycle).length;
    const uuid = `task-${cycle.slice(0, 4)}-${job}`;
    tasks.set(uuid, { cycle, job, polls: 0 });
    return HttpResponse.json({ data: { task_uuid: uuid } });
  }),
  http.get(`${BASE}/v1/task/:uuid`, ({ params, request }) => {
    if (request.headers.get('authorization') !== `Token token=${KEY}`) return HttpResponse.json({ error: 'denied' }, { status: 401 });
    const uuid = String(params['uuid']);
    const task = tasks.get(uuid);
    if (!task) return HttpResponse.json({ error: 'Task not found' }, { status: 404 });
    polls.push(uuid);
    pollTimes.push(Date.now());
    task.polls++;
    if (task.polls <= scenario.pendingPolls) return HttpResponse.json({ data: { uuid, status: 'pending', metadata: {} } });
    if (scenario.failCycles.includes(task.cycle))
      return HttpResponse.json({ data: { uuid, status: 'failed', metadata: { error: 'Report generation failed' } } });
    return HttpResponse.json({ data: { uuid, status: scenario.status, metadata: { link: `${FILES}/${uuid}.file?X-Amz-Signature=abc` } } });
  }),
  http.get(`${FILES}/:name`, ({ params, request }) => {
    const url = new URL(request.url);
    downloads.push({ url, authorization: request.headers.get('authorization') });
    const uuid = String(params['name']).replace(/\.file$/, '');
    const task = tasks.get(uuid)!;
    const n = downloads.filter((d) => d.url.pathname === url.pathname).length;
    return scenario.download(task.job, n, task.cycle);
  }),
);

const files = new Files();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  posts.length = 0;
  polls.length = 0;
  pollTimes.length = 0;
  downloads.length = 0;
  tasks.clear();
});
afterAll(() => {
  server.close();
  files.dispose();
});

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }));
afterEach(() => vi.useRealTimers());

const timing: ReportTiming = { timeoutMs: 5_000, pollBaseMs: 1, pollMaxMs: 20, maxJobs: 3, maxDownloads: 4 };

function api(): ApiClient {
  return new ApiClient({
    name: 'Reflektive API',
    baseUrl: BASE,
    transport: (url, init) => globalThis.fetch(url, init),
    retry: { maxRetries: 2, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 2_000 },
    rateLimit: { requestsPerSecond: 1_000 },
    logger: silentLogger,
    auth: { headers: async () => ({ authorization: `Token token=${KEY}` }) },
  });
}

async function rowsOf(cycle: string, overrides: Partial<ReportTiming> = {}, log: string[] = []) {
  const rows: Array<Record<string, unknown>> = [];
  const read = async () => {
    for await (const row of calibrationReportRows(withPartialBodies(api()), cycle, { ...timing, ...overrides }, (m) => log.push(m))) rows.push(row);
    return rows;
  };
  return settle(read());
}

const numbered = (cycle: string, rows: Array<Record<string, unknown>>) => rows.map((row, i) => ({ ...row, cycle_uuid: cycle, row_number: i + 1 }));

describe('the calibration report job', () => {
  it('starts the report, polls until completed, downloads the CSV without the API key and numbers its rows', async () => {
    scenario = defaults();
    expect(await rowsOf(CYCLE_A)).toEqual(numbered(CYCLE_A, CSV_ROWS));
    expect(posts).toEqual([CYCLE_A]);
    expect(polls).toHaveLength(3);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]!.url.searchParams.get('X-Amz-Signature')).toBe('abc');
    // A presigned link is for another host: the Reflektive key must not travel with it.
    expect(downloads[0]!.authorization).toBeNull();
  });

  it('accepts "complete", the status the prose names, as well as the enum\'s "completed"', async () => {
    scenario = { ...defaults(), status: 'complete', pendingPolls: 0 };
    expect(await rowsOf(CYCLE_A)).toHaveLength(3);
  });

  it('reads a JSON array and JSON lines, and sniffs the format when the content type is generic', async () => {
    const rows = [
      { employee_uuid: 'u1', self_rating: 3.5, manager_rating: null },
      { employee_uuid: 'u2', self_rating: 4, manager_rating: 4.5 },
    ];
    scenario = { ...defaults(), download: () => HttpResponse.json(rows) };
    expect(await rowsOf(CYCLE_A)).toEqual(numbered(CYCLE_A, rows));
    tasks.clear();
    scenario = {
      ...defaults(),
      download: () => new HttpResponse(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`, { headers: { 'content-type': 'binary/octet-stream' } }),
    };
    expect(await rowsOf(CYCLE_B)).toEqual(numbered(CYCLE_B, rows));
    scenario = { ...defaults(), download: () => new HttpResponse(CSV, { headers: { 'content-type': 'application/octet-stream' } }) };
    expect(await rowsOf(CYCLE_C)).toEqual(numbered(CYCLE_C, CSV_ROWS));
  });

  it('a failed task is a clear error naming the cycle and the reason', async () => {
    scenario = { ...defaults(), failCycles: [CYCLE_A] };
    const error = await rowsOf(CYCLE_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(
      new RegExp(`calibration report of review cycle ${CYCLE_A}: task task-aaaa-1 ended "failed" \\(Report generation failed\\)`),
    );
    expect(downloads).toHaveLength(0);
  });

  it('gives up after the timeout with a message that says which setting to raise', async () => {
    scenario = { ...defaults(), pendingPolls: Number.POSITIVE_INFINITY };
    const started = Date.now();
    const error = await rowsOf(CYCLE_A, { timeoutMs: 2 * 60_000, pollBaseMs: 1_000, pollMaxMs: 10_000 }).catch((e: unknown) => e);
    const gaveUp = Date.now();
    expect((error as Error).message).toMatch(/not ready after 2 minutes \(task task-aaaa-1 still "pending"\)\. Raise calibration_report_timeout_minutes/);
    // Polls back off rather than hammer the task: the wait doubles from the base, up to the cap.
    expect(pollTimes[0]).toBe(started);
    const waits = pollTimes.slice(1).map((at, i) => at - pollTimes[i]!);
    expect(waits).toEqual([1_000, 2_000, 4_000, 8_000, ...Array<number>(10).fill(10_000)]);
    // It gives up as soon as the next wait would pass the limit, instead of sleeping past it.
    expect(pollTimes.at(-1)! - started + 10_000).toBeGreaterThan(2 * 60_000);
    expect(gaveUp).toBe(pollTimes.at(-1));
  });

  it('starts the job again when the link has expired (403), and reads the new file', async () => {
    const expired = () =>
      new HttpResponse('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', {
        status: 403,
        headers: { 'content-type': 'application/xml' },
      });
    scenario = { ...defaults(), download: (job) => (job === 1 ? expired() : csvResponse(CSV)) };
    const log: string[] = [];
    expect(await rowsOf(CYCLE_A, {}, log)).toEqual(numbered(CYCLE_A, CSV_ROWS));
    expect(posts).toEqual([CYCLE_A, CYCLE_A]);
    expect(log.join('\n')).toMatch(/refused \(HTTP 403, expired\); starting the report again/);
    expect(log.join('\n')).not.toContain('X-Amz-Signature');
  });

  it("fails clearly when every job's link is refused", async () => {
    scenario = {
      ...defaults(),
      download: () => new HttpResponse('<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>', { status: 403 }),
    };
    const error = await rowsOf(CYCLE_A).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/after 3 report jobs: the download link was refused \(HTTP 403, expired\)/);
    expect(posts).toHaveLength(3);
  });

  it('downloads again after a body that breaks off, resuming after the last row emitted', async () => {
    const cut = CSV.indexOf('u3');
    scenario = { ...defaults(), download: (_job, n) => (n === 1 ? brokenResponse(CSV.slice(0, cut + 4)) : csvResponse(CSV)) };
    expect(await rowsOf(CYCLE_A)).toEqual(numbered(CYCLE_A, CSV_ROWS));
    expect(downloads).toHaveLength(2);
    expect(posts).toHaveLength(1);
  });

  it('downloads again after a body still arriving when the request deadline ran out', async () => {
    const cut = CSV.indexOf('u3');
    scenario = {
      ...defaults(),
      download: (_job, n) => (n === 1 ? brokenResponse(CSV.slice(0, cut + 4), 'text/csv', new DeadlineExceeded(300_000)) : csvResponse(CSV)),
    };
    expect(await rowsOf(CYCLE_A)).toEqual(numbered(CYCLE_A, CSV_ROWS));
    expect(downloads).toHaveLength(2);
    expect(posts).toHaveLength(1);
  });

  it('a repeat that serves changed rows sends them again from the first difference, so each key ends with its latest version', async () => {
    // The first job's file breaks off after two rows; its link then expires, and the new job's report
    // has a row inserted at the top: every row has moved down by one.
    const changed = 'employee_uuid,employee_name,comments\nu0,Ana,New\nu1,"Müller, José","Needs to ""own"" more."\nu2,Zoë,"Two\nlines"\nu3,Łukasz,\n';
    scenario = {
      ...defaults(),
      download: (job, n) => {
        if (job === 1 && n === 1) return brokenAfterDelivery(CSV.slice(0, CSV.indexOf('u3')));
        if (job === 1) return HttpResponse.json({ error: 'Request has expired' }, { status: 403 });
        return csvResponse(changed);
      },
    };
    const log: string[] = [];
    const rows = await rowsOf(CYCLE_A, {}, log);
    const latest = new Map(rows.map((row) => [row['row_number'], row]));
    expect([...latest.values()]).toEqual(numbered(CYCLE_A, [{ employee_uuid: 'u0', employee_name: 'Ana', comments: 'New' }, ...CSV_ROWS]));
    expect(log.join('\n')).toMatch(/row 1 is not what was sent before/);
    expect(posts).toHaveLength(2);
  });

  it('a repeat of an unchanged file skips exactly the rows already sent', async () => {
    const cut = CSV.indexOf('u3');
    scenario = { ...defaults(), download: (_job, n) => (n === 1 ? brokenAfterDelivery(CSV.slice(0, cut)) : csvResponse(CSV)) };
    const log: string[] = [];
    const rows = await rowsOf(CYCLE_A, {}, log);
    expect(rows).toEqual(numbered(CYCLE_A, CSV_ROWS));
    expect(log.join('\n')).toMatch(/downloading again after row 2/);
  });

  it('downloads again when an unvouched CSV stops mid-line or cut at a line end, and accepts a file that ends so twice', async () => {
    // No Content-Length and no final line break: the first body may be cut; the second is whole.
    scenario = { ...defaults(), download: (_job, n) => (n === 1 ? csvResponse(CSV.slice(0, CSV.indexOf('u3') - 1)) : csvResponse(CSV)) };
    expect(await rowsOf(CYCLE_A)).toEqual(numbered(CYCLE_A, CSV_ROWS));
    expect(downloads).toHaveLength(2);

    downloads.length = 0;
    const noFinalBreak = CSV.slice(0, -1);
    scenario = { ...defaults(), download: () => csvResponse(noFinalBreak) };
    expect(await rowsOf(CYCLE_B)).toEqual(numbered(CYCLE_B, CSV_ROWS));
    expect(downloads).toHaveLength(2);

    // With a Content-Length the transport has checked the body is whole: one download suffices.
    downloads.length = 0;
    scenario = { ...defaults(), download: () => csvResponse(noFinalBreak, { 'content-length': String(Buffer.byteLength(noFinalBreak)) }) };
    expect(await rowsOf(CYCLE_C)).toEqual(numbered(CYCLE_C, CSV_ROWS));
    expect(downloads).toHaveLength(1);
  });

  it('downloads again when a JSON array is cut short', async () => {
    const text = JSON.stringify([{ a: 1 }, { a: 2 }, { a: 3 }]);
    scenario = {
      ...defaults(),
      download: (_job, n) => new HttpResponse(n === 1 ? text.slice(0, 16) : text, { headers: { 'content-type': 'application/json' } }),
    };
    expect(await rowsOf(CYCLE_A)).toEqual(numbered(CYCLE_A, [{ a: 1 }, { a: 2 }, { a: 3 }]));
    expect(downloads).toHaveLength(2);
  });

  it('a task that vanishes is an error, not a skipped cycle', async () => {
    scenario = defaults();
    server.use(http.get(`${BASE}/v1/task/:uuid`, () => HttpResponse.json({ error: 'Task not found' }, { status: 404 })));
    const error = await rowsOf(CYCLE_A).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as Error).message).toMatch(/lost the report task task-aaaa-1 of review cycle aaaaaaaa-.* \(HTTP 404\)/);
  });

  it('an unknown cycle is a configuration error', async () => {
    scenario = { ...defaults(), unknownCycles: [CYCLE_A] };
    const error = await rowsOf(CYCLE_A).catch((e: unknown) => e);
    expect(error).toMatchObject({ failureType: 'config_error' });
    expect((error as Error).message).toMatch(
      /refused a calibration report for review cycle aaaaaaaa-.* \(HTTP 404: .*Review cycle not found.*\)\. Check calibration_cycle_uuids/,
    );
  });
});

describe('calibration_reports through the connector', () => {
  const catalog = {
    streams: [
      {
        stream: { name: 'calibration_reports', json_schema: {}, supported_sync_modes: ['full_refresh'] },
        sync_mode: 'full_refresh',
        destination_sync_mode: 'overwrite',
      },
    ],
  };

  async function read(cycles: string[], state?: unknown) {
    const config = {
      platform: { vendor: 'reflektive', api_key: KEY, base_url: BASE, calibration_cycle_uuids: cycles },
      requests_per_second: 100,
      retry_base_delay_seconds: 0.001,
      concurrency: 2,
    };
    const result = await settle(runInProcess(files.argv('read', { config, catalog, state }), { transport: mswTransport }));
    return { code: result.code, records: result.records(), errors: result.errors(), states: result.states() };
  }

  it('one partition per configured cycle (case and repeats folded), each checkpointed', async () => {
    scenario = defaults();
    const { code, records, states } = await read([CYCLE_A, CYCLE_B.toUpperCase(), CYCLE_A]);
    expect(code).toBe(0);
    const keys = records.map((r) => `${r['cycle_uuid']}#${r['row_number']}`).sort();
    expect(keys).toEqual([1, 2, 3].flatMap((n) => [`${CYCLE_A}#${n}`, `${CYCLE_B}#${n}`]).sort());
    expect(posts.sort()).toEqual([CYCLE_A, CYCLE_B]);
    expect(states.map((s) => s.stream?.stream_state)).toEqual([{ resume: { at: { parent: { skip: 1 } } } }, { resume: { at: { parent: { skip: 2 } } } }, {}]);
  });

  it('a resumed read does not redo the cycles already finished', async () => {
    scenario = defaults();
    const state = [
      { type: 'STREAM', stream: { stream_descriptor: { name: 'calibration_reports' }, stream_state: { resume: { at: { parent: { skip: 1 } } } } } },
    ];
    const { records } = await read([CYCLE_A, CYCLE_B, CYCLE_C], state);
    expect(posts.sort()).toEqual([CYCLE_B, CYCLE_C]);
    expect(new Set(records.map((r) => r['cycle_uuid']))).toEqual(new Set([CYCLE_B, CYCLE_C]));
  });

  it('a failing cycle fails the stream with its reason, after the other cycles were read', async () => {
    scenario = { ...defaults(), failCycles: [CYCLE_A] };
    const { code, records, errors, states: stateMessages } = await read([CYCLE_A, CYCLE_B, CYCLE_C]);
    expect(code).toBe(1);
    expect(new Set(records.map((r) => r['cycle_uuid']))).toEqual(new Set([CYCLE_B, CYCLE_C]));
    expect(records).toHaveLength(6);
    const error = errors[0]!;
    expect(error.message).toContain(`review cycle ${CYCLE_A}`);
    expect(error.message).toContain('ended "failed"');
    expect(error.stream_descriptor?.name).toBe('calibration_reports');
    // The checkpoint never passes the failed cycle, so a resumed attempt redoes it, and only it: the
    // cycles that finished are listed as done.
    const states = stateMessages.map((m) => m.stream!.stream_state as { resume: { at: { parent?: unknown; done: unknown[] } } });
    expect(states.every((s) => s.resume.at.parent === undefined)).toBe(true);
    expect(states.at(-1)?.resume.at.done).toEqual(expect.arrayContaining([{ cycle_uuid: CYCLE_B }, { cycle_uuid: CYCLE_C }]));
  });

  it('several failing cycles are named together', async () => {
    scenario = { ...defaults(), failCycles: [CYCLE_A, CYCLE_C] };
    const { errors } = await read([CYCLE_A, CYCLE_B, CYCLE_C]);
    const error = errors[0]!;
    expect(error.message).toMatch(/2 partitions of calibration_reports failed/);
    expect(error.message).toContain(`cycle_uuid=${CYCLE_A}`);
    expect(error.message).toContain(`cycle_uuid=${CYCLE_C}`);
  });

  it('the report timeout comes from the config', async () => {
    scenario = { ...defaults(), pendingPolls: Number.POSITIVE_INFINITY };
    const config = {
      platform: { vendor: 'reflektive', api_key: KEY, base_url: BASE, calibration_cycle_uuids: [CYCLE_A], calibration_report_timeout_minutes: 0.002 },
      retry_base_delay_seconds: 0.005,
    };
    const result = await settle(runInProcess(files.argv('read', { config, catalog }), { transport: mswTransport }));
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/not ready after 0\.1 seconds/);
    expect(result.stdout).not.toContain(KEY);
  });
});
