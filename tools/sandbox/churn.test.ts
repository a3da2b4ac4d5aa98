import { afterEach, describe, expect, it } from 'vitest';
import { parseArgs } from './cli-args.js';
import { startSandbox, type Sandbox } from './index.js';
import { getJson, keysOf } from './testkit.js';
import { type LeapsomeCursorPage, leapsomeHeaders, scimHeaders } from './leapsome/testkit.js';
import { type ReflektivePage, reflektiveHeaders } from './reflektive/testkit.js';
import { pe365Headers } from './pe365/testkit.js';
import type { DataRecord } from './vendor.js';

/** `churn`: records deleted and inserted before the offset of the request at hand, between page requests. */
let sb: Sandbox | undefined;
afterEach(async () => {
  await sb?.close();
  sb = undefined;
});

/** Pages by offset exactly as asked (the next offset counts the records received), as a naive client does. */
async function walkOffsets(url: (offset: number) => string, headers: Record<string, string>, field: 'results' | 'data'): Promise<DataRecord[]> {
  const records: DataRecord[] = [];
  for (let offset = 0; ; ) {
    const res = await getJson<Record<string, DataRecord[]>>(url(offset), headers);
    expect(res.status, url(offset)).toBe(200);
    const rows = res.body[field] ?? [];
    if (rows.length === 0) return records;
    records.push(...rows);
    offset += rows.length;
  }
}

describe('sandbox churn', () => {
  it('parses --churn, --churn-insert and --churn-delete, and wants --churn with the other two', () => {
    expect(parseArgs(['--churn', '3', '--churn-insert', '0', '--churn-delete=2'])).toEqual({
      kind: 'run',
      options: { churn: { everyRequests: 3, insert: 0, delete: 2 } },
    });
    expect(parseArgs(['--churn-delete', '2', '--churn', '4'])).toEqual({ kind: 'run', options: { churn: { everyRequests: 4, delete: 2 } } });
    expect(() => parseArgs(['--churn-insert', '1'])).toThrow(/need --churn N/);
    expect(() => parseArgs(['--churn', '0'])).toThrow(/>= 1/);
  });

  it('is off by default: the same read twice gives the same records, and nothing is deleted', async () => {
    sb = await startSandbox({ seed: 2, scale: 0.5 });
    const url = (offset: number) => `${sb!.mounts.pe365}/users/?limit=10&offset=${offset}`;
    const first = await walkOffsets(url, pe365Headers, 'results');
    expect(keysOf(first, ['api_id'])).toEqual(keysOf(sb.truth('pe365', 'users'), ['api_id']));
    expect(sb.churned('pe365')).toEqual({ rounds: 0, inserted: 0, deleted: 0 });
  });

  it('deletes before the offset of a due request, so a client paging by offset skips one record per deletion', async () => {
    sb = await startSandbox({ seed: 2, scale: 0.5, churn: { everyRequests: 2, insert: 0, delete: 1 } });
    const watch = sb.watch('pe365');
    const url = (offset: number) => `${sb!.mounts.pe365}/users/?limit=10&offset=${offset}`;
    const read = new Set(keysOf(await walkOffsets(url, pe365Headers, 'results'), ['api_id']));
    const { throughout, inserted, deleted } = watch.lifetimes('users');
    const churned = sb.churned('pe365');
    expect(churned.deleted).toBeGreaterThan(2);
    expect(deleted.size).toBe(churned.deleted);
    expect(inserted.size).toBe(0);
    // Every deletion was before the page being read: the client had read it, and one record it had not
    // read yet moved back past the boundary, where it never looks again.
    expect([...deleted].filter((k) => !read.has(k))).toEqual([]);
    expect([...throughout].filter((k) => !read.has(k))).toHaveLength(churned.deleted);
    // The truth follows: deleted records are gone, detail lookups answer 404.
    expect(keysOf(sb.truth('pe365', 'users'), ['api_id'])).toEqual([...throughout].sort());
    const gone = JSON.parse([...deleted][0] as string)[0] as string;
    expect((await getJson(`${sb.mounts.pe365}/users/${gone}/`, pe365Headers)).status).toBe(404);
  });

  it('inserts before the offset of a due request once it is served, so such a client gets a record twice per insertion', async () => {
    sb = await startSandbox({ seed: 2, scale: 0.5, churn: { everyRequests: 3, insert: 2, delete: 0 } });
    const watch = sb.watch('leapsome');
    const auth = await leapsomeHeaders(sb);
    const url = (offset: number) => `${sb!.mounts.leapsome}/feedback?limit=20&offset=${offset}`;
    const records = await walkOffsets(url, auth, 'data');
    const keys = keysOf(records, ['id']);
    const { throughout, inserted, deleted } = watch.lifetimes('feedback');
    expect(deleted.size).toBe(0);
    expect(inserted.size).toBe(sb.churned('leapsome').inserted);
    expect(inserted.size).toBeGreaterThan(2);
    // Inserted before the page being read: never seen; each pushed a record already read onto the next page.
    expect(keys.filter((k) => inserted.has(k))).toEqual([]);
    expect(keys.length - new Set(keys).size).toBe(inserted.size);
    expect([...throughout].filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('churns every paginated list of every vendor: page numbers, cursors, SCIM indexes and Reflektive pages', async () => {
    sb = await startSandbox({ seed: 4, scale: 0.5, churn: { everyRequests: 1, insert: 1, delete: 1 } });
    const auth = await leapsomeHeaders(sb);
    const second = [
      `${sb.mounts.leapsome}/employees?page=2&pageSize=10`,
      `${sb.mounts.leapsome}/work-locations?page=2&pageSize=10`,
      `${sb.mounts.leapsome}/absences?page=2&pageSize=10`,
      `${sb.mounts.leapsome}/reviews?filter=all&page=1&pageSize=10`,
      `${sb.mounts.leapsome}/time-tracking/timesheets?offset=10&limit=10`,
      `${sb.mounts.leapsome}/payroll-cycles?offset=10&limit=10`,
    ];
    const goals = await getJson<LeapsomeCursorPage>(`${sb.mounts.leapsome}/goals?limit=10`, auth);
    second.push(`${sb.mounts.leapsome}/goals?limit=10&cursor=${goals.body.meta.cursor}`);
    // Each request deletes one record before its offset, and once served inserts one there.
    for (const url of second) expect((await getJson(url, auth)).status, url).toBe(200);
    for (const url of [`${sb.mounts.leapsomeScim}/Users?startIndex=11&count=10`, `${sb.mounts.leapsomeScim}/Groups?startIndex=3&count=2`]) {
      expect((await getJson(url, scimHeaders)).status, url).toBe(200);
    }
    // The insertions of the last round are made before the next list request is served.
    expect(sb.churned('leapsome')).toEqual({ rounds: 9, deleted: 9, inserted: 8 });
    for (let k = 0; k < 2; k++)
      expect((await getJson(`${sb.mounts.reflektive}/v2/real-time-feedback?created_after=0&page=2`, reflektiveHeaders)).status).toBe(200);
    expect(sb.churned('reflektive')).toEqual({ rounds: 2, deleted: 2, inserted: 1 });
    // Reflektive keeps oldest first: a record inserted before the offset is backdated to its place.
    const all = await getJson<ReflektivePage>(`${sb.mounts.reflektive}/v2/real-time-feedback?created_after=0&page=1`, { ...reflektiveHeaders });
    const times = all.body.data.map((f) => Date.parse(String(f['created_at'])));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
