import { createHmac } from 'node:crypto';
import { text, type Reply } from '../http.js';
import { Rng, Uuids } from '../random.js';
import { ANCHOR_MS, DAY, isoSeconds } from '../time.js';
import type { DataRecord } from '../vendor.js';
import type { ReflektiveData } from './data.js';
import type { ResolvedReflektive } from './options.js';

/**
 * The report format is undocumented. The sandbox's calibration report has one row per reviewee,
 * these columns, and a header row. Cells may contain commas, quotes and line breaks (RFC 4180 quoting).
 */
export const CALIBRATION_COLUMNS = [
  'employee_uuid',
  'employee_name',
  'employee_email',
  'manager_name',
  'department',
  'job_title',
  'self_rating',
  'manager_rating',
  'calibrated_rating',
  'potential',
  'nine_box',
  'calibrated_by',
  'calibrated_at',
  'comments',
] as const;

const DEPARTMENTS = ['Engineering', 'Research, Development', 'Sales', 'Customer Success', 'People & Culture', 'Finance'];
const TITLES = ['Software Engineer', 'Account Executive', 'Designer', 'Data Scientist', 'Support Lead', 'Controller'];
const COMMENTS = [
  '',
  '',
  'Strong year.',
  'Needs to "own" more of the roadmap.',
  'Promoted in Q3, calibrated up.\nRe-check in six months.',
  'Übertrifft die Erwartungen.',
  'Consistent performer, low flight risk.',
];
const NINE_BOX = ['Low performer', 'Dilemma', 'Rough diamond', 'Effective', 'Core player', 'Future star', 'Trusted professional', 'High performer', 'Star'];

export interface Task {
  uuid: string;
  cycleUuid: string;
  fail: boolean;
  createdMs: number;
  polls: number;
  completedMs?: number;
  link?: string;
}

/** Calibration cycles, report tasks and their expiring download links. */
export class Reports {
  readonly cycleUuids: string[];
  private readonly cycleIds: Uuids;
  private readonly taskIds: Uuids;
  private readonly tasks = new Map<string, Task>();
  private taskCounter = 0;

  constructor(
    private readonly data: ReflektiveData,
    private readonly options: ResolvedReflektive,
  ) {
    this.cycleIds = new Uuids(data.seed, 'reflektive:cycle');
    this.taskIds = new Uuids(data.seed, 'reflektive:task');
    this.cycleUuids = Array.from({ length: options.calibrationCycles }, (_, c) => this.cycleIds.make(c));
  }

  isFailing(cycleUuid: string): boolean {
    return this.options.failingCycles.includes(cycleUuid);
  }

  /** A known cycle (one configured to fail is known too). */
  knows(cycleUuid: string): boolean {
    return this.cycleUuids.includes(cycleUuid.toLowerCase()) || this.isFailing(cycleUuid);
  }

  start(cycleUuid: string, now: number): Task {
    const task: Task = { uuid: this.taskIds.make(this.taskCounter++), cycleUuid, fail: this.isFailing(cycleUuid), createdMs: now, polls: 0 };
    this.tasks.set(task.uuid, task);
    return task;
  }

  /** Advances a task by one poll and returns its current status document. */
  poll(uuid: string, now: number, origin: string): DataRecord | undefined {
    const task = this.tasks.get(uuid.toLowerCase());
    if (!task) return undefined;
    task.polls++;
    const ready = task.polls > this.options.reportPendingPolls && now - task.createdMs >= this.options.reportPendingMs;
    if (!ready) return { uuid: task.uuid, status: 'pending', metadata: {} };
    if (task.fail) return { uuid: task.uuid, status: 'failed', metadata: { error: 'Report generation failed' } };
    if (task.completedMs === undefined) {
      task.completedMs = now;
      task.link = this.signedLink(task, origin);
    }
    return { uuid: task.uuid, status: 'completed', metadata: { link: task.link } };
  }

  /** An S3-style presigned URL: the storage bucket, not the API, serves (and expires) it. */
  private signedLink(task: Task, origin: string): string {
    const date = new Date(task.completedMs as number)
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d{3}/, '');
    const ext = this.options.reportFormat;
    const params = new URLSearchParams({
      'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
      'X-Amz-Credential': `AKIASANDBOX/${date.slice(0, 8)}/us-east-1/s3/aws4_request`,
      'X-Amz-Date': date,
      'X-Amz-Expires': String(this.options.reportLinkTtlSeconds),
      'X-Amz-SignedHeaders': 'host',
      'X-Amz-Signature': this.signature(task),
    });
    return `${origin}${REPORTS_PREFIX}/calibrations/${task.uuid}.${ext}?${params.toString()}`;
  }

  private signature(task: Task): string {
    return createHmac('sha256', `reflektive-bucket:${this.data.seed}`).update(`${task.uuid}:${task.completedMs}`).digest('hex');
  }

  /** Serves a download, answering like S3 when the link is unknown, tampered with or expired. */
  download(path: string, query: URLSearchParams, now: number): Reply {
    const m = /^\/calibrations\/([0-9a-f-]{36})\.(csv|json)$/.exec(path);
    const task = m ? this.tasks.get(m[1] as string) : undefined;
    if (!task || task.completedMs === undefined || m?.[2] !== this.options.reportFormat) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    if (query.get('X-Amz-Signature') !== this.signature(task)) {
      return s3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
    }
    if (now > task.completedMs + this.options.reportLinkTtlSeconds * 1000) return s3Error(403, 'AccessDenied', 'Request has expired');
    const rows = this.rows(task.cycleUuid);
    const headers = { 'content-disposition': `attachment; filename="calibrations-${task.cycleUuid}.${this.options.reportFormat}"` };
    if (this.options.reportFormat === 'json') return text(200, JSON.stringify(rows), 'application/json', headers);
    return text(200, toCsv(rows), 'text/csv; charset=utf-8', headers);
  }

  /** Report rows of a cycle; values are typed (numbers, nulls) — CSV renders them as text. */
  rows(cycleUuid: string): DataRecord[] {
    const c = this.cycleIds.decode(cycleUuid) ?? 0;
    const rng = Rng.of(this.data.seed, 'calibration', c);
    const n = this.data.counts.employees;
    const count = Math.min(n, 20 + rng.int(41));
    const start = rng.int(n);
    const calibrator = this.data.employees.get(rng.int(n));
    const calibratedAt = ANCHOR_MS - (30 + 120 * c) * DAY;
    return Array.from({ length: count }, (_, k) => {
      const e = this.data.employees.get((start + k) % n);
      const manager = this.data.employees.get((start + k + 7) % n);
      const self = 1 + rng.int(9) / 2;
      const mgr = rng.bool(0.95) ? 1 + rng.int(9) / 2 : null;
      const calibrated = mgr === null ? null : Math.min(5, Math.max(1, mgr + rng.pick([-0.5, 0, 0, 0, 0.5])));
      return {
        employee_uuid: e['uuid'],
        employee_name: e['name'],
        employee_email: e['email'],
        manager_name: manager['name'],
        department: rng.pick(DEPARTMENTS),
        job_title: rng.pick(TITLES),
        self_rating: self,
        manager_rating: mgr,
        calibrated_rating: calibrated,
        potential: rng.bool(0.8) ? rng.pick(['Low', 'Medium', 'High']) : null,
        nine_box: calibrated === null ? null : rng.pick(NINE_BOX),
        calibrated_by: calibrator['name'],
        calibrated_at: calibrated === null ? null : isoSeconds(calibratedAt + rng.int(DAY)),
        comments: rng.pick(COMMENTS),
      };
    });
  }
}

export const REPORTS_PREFIX = '/reflektive-reports';

function s3Error(status: number, code: string, message: string): Reply {
  return text(
    status,
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>SANDBOX</RequestId></Error>`,
    'application/xml',
  );
}

function cell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Ruby's CSV.generate: comma, LF row separator, quotes only where needed. */
export function toCsv(rows: DataRecord[]): string {
  const lines = [CALIBRATION_COLUMNS.join(',')];
  for (const r of rows) lines.push(CALIBRATION_COLUMNS.map((c) => cell(r[c])).join(','));
  return `${lines.join('\n')}\n`;
}

/** A row as a CSV reader sees it: every value a string, empty for null. */
export function asCsvRow(row: DataRecord): DataRecord {
  return Object.fromEntries(CALIBRATION_COLUMNS.map((c) => [c, row[c] === null || row[c] === undefined ? '' : String(row[c])]));
}
