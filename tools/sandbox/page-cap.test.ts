import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import { getJson, keysOf, walkNext, walkPages } from './testkit.js';
import { type LeapsomeCursorPage, type LeapsomeData, leapsomeHeaders, type LeapsomePage, scimHeaders } from './leapsome/testkit.js';
import { type ReflektivePage, reflektiveHeaders } from './reflektive/testkit.js';
import { type DrfPage, pe365Headers } from './pe365/testkit.js';
import type { DataRecord } from './vendor.js';

/** `pageCap`: every paginated endpoint serves at most CAP records a page, whatever the client asks for. */
const CAP = 7;
let sb: Sandbox;
let auth: Record<string, string>;

beforeAll(async () => {
  sb = await startSandbox({ seed: 3, scale: 0.5, pageCap: CAP });
  auth = await leapsomeHeaders(sb);
});
afterAll(() => sb.close());

const truthKeys = (vendor: 'leapsome' | 'reflektive' | 'pe365', stream: string) => keysOf(sb.truth(vendor, stream), sb.streams(vendor)[stream] as string[]);
const keys = (vendor: 'leapsome' | 'reflektive' | 'pe365', stream: string, records: DataRecord[]) => keysOf(records, sb.streams(vendor)[stream] as string[]);

describe('sandbox pageCap', () => {
  it('caps the first page of every paginated endpoint, however many records are asked for', async () => {
    const leapsome = <T = unknown>(path: string) => getJson<T>(`${sb.mounts.leapsome}${path}`, auth);
    const cycle = String((await leapsome<LeapsomeData>('/reviews?filter=all&pageSize=1')).body.data[0]!._id);
    const payrollCycle = String((await leapsome<LeapsomePage>('/payroll-cycles?limit=1')).body.data[0]!.id);
    // Each endpoint's first page, and the field of its body that holds the records ('' for a bare array).
    const pages: Array<[string, Promise<{ body: unknown }>, string]> = [
      ['goals', leapsome('/goals?limit=1000'), 'data'],
      ['reviews', leapsome('/reviews?filter=all&page=0&pageSize=100'), 'data'],
      ['participants', leapsome(`/reviews/${cycle}/participants?page=0&pageSize=100`), 'data'],
      ['employees', leapsome('/employees?page=1&pageSize=1000'), 'data'],
      ['work locations', leapsome('/work-locations?page=1&pageSize=1000'), 'data'],
      ['absences', leapsome('/absences?page=1&pageSize=1000'), ''],
      ['timesheets', leapsome('/time-tracking/timesheets?offset=0&limit=1000'), 'data'],
      ['payroll cycles', leapsome('/payroll-cycles?offset=0&limit=1000'), 'data'],
      ['payroll participants', leapsome(`/payroll-cycles/${payrollCycle}/participants?offset=0&limit=1000`), 'data'],
      ['feedback', leapsome('/feedback?offset=0&limit=1000'), 'data'],
      ['SCIM users', getJson(`${sb.mounts.leapsomeScim}/Users?startIndex=1&count=5000`, scimHeaders), 'Resources'],
      ['SCIM groups', getJson(`${sb.mounts.leapsomeScim}/Groups?startIndex=1&count=1000`, scimHeaders), 'Resources'],
      ['Reflektive feedback', getJson(`${sb.mounts.reflektive}/v2/real-time-feedback?created_after=0`, reflektiveHeaders), 'data'],
      ['PE365 users', getJson(`${sb.mounts.pe365}/users/?limit=1000`, pe365Headers), 'results'],
    ];
    for (const [name, page, field] of pages) {
      const { body } = await page;
      expect(field === '' ? body : (body as Record<string, unknown>)[field], name).toHaveLength(CAP);
    }
  });

  it('pages on by the records served: page numbers, offsets, next links and cursors reach every record', async () => {
    const employees = await walkPages<LeapsomePage>(
      (p) => `${sb.mounts.leapsome}/employees?page=${p}&pageSize=1000`,
      auth,
      1,
      (b) => b.data,
    );
    expect(employees.records.length).toBeGreaterThan(CAP);
    expect(keys('leapsome', 'employees', employees.records)).toEqual(truthKeys('leapsome', 'employees'));

    const goals = await walkNext<LeapsomeCursorPage>(
      `${sb.mounts.leapsome}/goals?limit=1000`,
      auth,
      (b) => b.data,
      (r) => r.headers.get('x-next'),
    );
    expect(keys('leapsome', 'goals', goals.records)).toEqual(truthKeys('leapsome', 'goals'));

    const users = await walkNext<DrfPage>(
      `${sb.mounts.pe365}/users/?limit=1000`,
      pe365Headers,
      (b) => b.results,
      (r) => r.body.next,
    );
    expect(users.requests).toBe(Math.ceil(sb.truth('pe365', 'users').length / CAP));
    expect(keys('pe365', 'users', users.records)).toEqual(truthKeys('pe365', 'users'));

    const feedback = await walkNext<ReflektivePage>(
      `${sb.mounts.reflektive}/v2/real-time-feedback?created_after=0`,
      reflektiveHeaders,
      (b) => b.data,
      (r) => (r.body.links?.next ? new URL(`${r.body.links.next.replace(/\?page=/, '&page=')}`, sb.url).toString() : null),
    );
    expect(keys('reflektive', 'real_time_feedback_v2', feedback.records)).toEqual(truthKeys('reflektive', 'real_time_feedback_v2'));
  });
});
