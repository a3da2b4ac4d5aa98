import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import { getJson } from './testkit.js';
import { type ReflektivePage, type ReflektiveReportStarted, type ReflektiveTask, reflektiveHeaders } from './reflektive/testkit.js';
import type { DataRecord } from './vendor.js';

let sb: Sandbox;
let clock = Date.now();

beforeAll(async () => {
  sb = await startSandbox({ seed: 3, now: () => clock });
});
afterAll(() => sb.close());

const api = (path: string) => `${sb.mounts.reflektive}${path}`;

/** Walks by the page number found in links.next, rebuilding the query (what NOTES advise). */
async function walkFeedback(version: 1 | 2, query: string): Promise<{ records: DataRecord[]; requests: number; links: DataRecord[] }> {
  const records: DataRecord[] = [];
  const links: DataRecord[] = [];
  let page = 1;
  for (let requests = 1; ; requests++) {
    const res = await getJson<ReflektivePage>(api(`/v${version}/real-time-feedback?${query}&page=${page}`), reflektiveHeaders);
    expect(res.status).toBe(200);
    records.push(...res.body.data);
    if (res.body.links) links.push(res.body.links);
    const next = res.body.links?.next;
    if (!next) return { records, requests, links };
    page = Number(/page=(\d+)/.exec(next)?.[1]);
  }
}

/** RFC 4180 parser for the test: quoted cells may hold commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  return rows;
}

describe('Reflektive real-time feedback', () => {
  it('returns only the last day when created_after is absent (the documented trap)', async () => {
    const res = await getJson(api('/v2/real-time-feedback'), reflektiveHeaders);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ data: [] });
    expect(sb.truth('reflektive', 'real_time_feedback_v2').length).toBeGreaterThan(400);
  });

  it('walks v2 200 at a time from created_after=0 to exactly the truth', async () => {
    const walk = await walkFeedback(2, 'created_after=0');
    expect(walk.requests).toBeGreaterThan(2);
    expect(walk.records).toEqual(sb.truth('reflektive', 'real_time_feedback_v2'));
    expect(walk.links[0]).toEqual({
      self: '/reflektive/v2/real-time-feedback?created_after=0',
      next: '/reflektive/v2/real-time-feedback?created_after=0?page=2',
      last: `/reflektive/v2/real-time-feedback?created_after=0?page=${walk.requests}`,
    });
  });

  it('leaves team recognition out of v1', async () => {
    const walk = await walkFeedback(1, 'created_after=0');
    expect(walk.records).toEqual(sb.truth('reflektive', 'real_time_feedback_v1'));
    const v2 = sb.truth('reflektive', 'real_time_feedback_v2');
    expect(v2.some((f) => (f['recipients'] as unknown[]).length > 1)).toBe(true);
    expect(walk.records.length).toBe(v2.filter((f) => (f['recipients'] as unknown[]).length === 1).length);
  });

  it('serves page 1 again when the malformed next link is followed literally', async () => {
    const first = await getJson<ReflektivePage>(api('/v2/real-time-feedback?created_after=0'), reflektiveHeaders);
    const literal = await getJson<ReflektivePage>(`${sb.url}${first.body.links!.next}`, reflektiveHeaders);
    expect(literal.body.data).toEqual(first.body.data);
  });

  it('filters on created_after < created_at <= created_before in UNIX seconds', async () => {
    const all = sb.truth('reflektive', 'real_time_feedback_v2');
    const secs = all.map((f) => Date.parse(String(f['created_at'])) / 1000);
    const after = secs[100] as number;
    const before = secs[150] as number;
    const res = await getJson<ReflektivePage>(api(`/v2/real-time-feedback?created_after=${after}&created_before=${before}`), reflektiveHeaders);
    expect(res.body.links).toBeUndefined();
    expect(res.body.data).toEqual(all.filter((_, i) => (secs[i] as number) > after && (secs[i] as number) <= before));
  });

  it('emits well-formed links when asked to', async () => {
    const tidy = await startSandbox({ seed: 3, reflektive: { wellFormedLinks: true } });
    try {
      const first = await getJson<ReflektivePage>(`${tidy.mounts.reflektive}/v1/real-time-feedback?created_after=0`, reflektiveHeaders);
      expect(first.body.links!.next).toBe('/reflektive/v1/real-time-feedback?created_after=0&page=2');
      const second = await getJson<ReflektivePage>(`${tidy.url}${first.body.links!.next}`, reflektiveHeaders);
      expect(second.body.data[0]).toEqual(tidy.truth('reflektive', 'real_time_feedback_v1')[200]);
    } finally {
      await tidy.close();
    }
  });

  it('requires "Authorization: Token token=<key>"', async () => {
    expect((await getJson(api('/v2/real-time-feedback'))).status).toBe(401);
    expect((await getJson(api('/v2/real-time-feedback'), { authorization: 'Token token=wrong' })).status).toBe(401);
    expect((await getJson(api('/v2/real-time-feedback'), { authorization: 'token=sandbox-reflektive-key' })).status).toBe(401);
    const quoted = await getJson(api('/v2/real-time-feedback'), { authorization: 'Token token="sandbox-reflektive-key"' });
    expect(quoted.status).toBe(200);
    const denied = await getJson(api('/v2/real-time-feedback'), { authorization: 'Bearer sandbox-reflektive-key' });
    expect(denied.body).toEqual({ error: 'HTTP Token: Access denied.' });
  });
});

describe('Reflektive calibration reports', () => {
  const cycles = () => sb.info()['reflektive'] as { calibrationCycleUuids: string[] };

  async function runReport(s: Sandbox, cycle: string): Promise<{ statuses: string[]; link?: string; task: string }> {
    const started = await getJson<ReflektiveReportStarted>(
      `${s.mounts.reflektive}/v1/reports/reviews?report_type=calibrations&cycle_uuid=${cycle}`,
      reflektiveHeaders,
      { method: 'POST' },
    );
    expect(started.status).toBe(200);
    const task = started.body.data.task_uuid;
    const statuses: string[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await getJson<ReflektiveTask>(`${s.mounts.reflektive}/v1/task/${task}`, reflektiveHeaders);
      statuses.push(res.body.data.status);
      if (res.body.data.status !== 'pending') return { statuses, link: res.body.data.metadata.link, task };
    }
    return { statuses, task };
  }

  it('goes pending → completed and serves a CSV whose rows are the truth', async () => {
    const uuids = cycles().calibrationCycleUuids;
    expect(uuids.length).toBe(3);
    const got: DataRecord[] = [];
    for (const cycle of uuids) {
      const run = await runReport(sb, cycle);
      expect(run.statuses).toEqual(['pending', 'pending', 'completed']);
      const res = await fetch(run.link as string);
      expect(res.headers.get('content-type')).toMatch(/text\/csv/);
      const [header, ...rows] = parseCsv(await res.text());
      for (const [k, cells] of rows.entries()) {
        got.push({ ...Object.fromEntries((header as string[]).map((h, i) => [h, cells[i]])), cycle_uuid: cycle, row_number: k + 1 });
      }
    }
    expect(got).toEqual(sb.truth('reflektive', 'calibration_reports'));
    expect(got.some((r) => String(r['comments']).includes('\n'))).toBe(true);
  });

  it('expires the download link after the configured time', async () => {
    const run = await runReport(sb, cycles().calibrationCycleUuids[0] as string);
    clock += 15 * 60 * 1000 + 1000;
    const res = await fetch(run.link as string);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('Request has expired');
    const tampered = await fetch((run.link as string).replace(/X-Amz-Signature=[0-9a-f]+/, 'X-Amz-Signature=00'));
    expect(tampered.status).toBe(403);
  });

  it('fails cycles configured to fail and 404s unknown ones', async () => {
    const failing = '11111111-2222-4333-8444-555555555555';
    const s = await startSandbox({ seed: 3, reflektive: { failingCycles: [failing], reportPendingPolls: 0, reportFormat: 'json' } });
    try {
      const run = await runReport(s, failing);
      expect(run.statuses).toEqual(['failed']);
      const ok = await runReport(s, (s.info()['reflektive'] as { calibrationCycleUuids: string[] }).calibrationCycleUuids[1] as string);
      expect(ok.statuses).toEqual(['completed']);
      const json = await getJson<DataRecord[]>(ok.link as string);
      const truth = s
        .truth('reflektive', 'calibration_reports')
        .filter((r) => r['cycle_uuid'] === (s.info()['reflektive'] as { calibrationCycleUuids: string[] }).calibrationCycleUuids[1]);
      expect(json.body.map((r, k) => ({ ...r, cycle_uuid: truth[0]?.['cycle_uuid'], row_number: k + 1 }))).toEqual(truth);
      const unknown = await getJson(
        `${s.mounts.reflektive}/v1/reports/reviews?report_type=calibrations&cycle_uuid=00000000-0000-4000-8000-000000000000`,
        reflektiveHeaders,
        { method: 'POST' },
      );
      expect(unknown.status).toBe(404);
      expect((await getJson(`${s.mounts.reflektive}/v1/task/00000000-0000-4000-8000-000000000000`, reflektiveHeaders)).status).toBe(404);
    } finally {
      await s.close();
    }
  });
});
