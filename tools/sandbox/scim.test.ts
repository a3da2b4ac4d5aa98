import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from './index.js';
import { getJson } from './testkit.js';
import { type LeapsomeToken, type ScimError, type ScimList, scimHeaders } from './leapsome/testkit.js';
import type { DataRecord } from './vendor.js';

let sb: Sandbox;
beforeAll(async () => {
  sb = await startSandbox({ seed: 11 });
});
afterAll(() => sb.close());

const scim = (path: string) => `${sb.mounts.leapsomeScim}${path}`;

async function walkScim(resource: string, count: number): Promise<{ records: DataRecord[]; requests: number }> {
  const records: DataRecord[] = [];
  let requests = 0;
  for (let start = 1; ; start += count) {
    const res = await getJson<ScimList>(scim(`/${resource}?startIndex=${start}&count=${count}`), scimHeaders);
    requests++;
    expect(res.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:ListResponse']);
    expect(res.body.startIndex).toBe(start);
    expect(res.body.itemsPerPage).toBe(res.body.Resources.length);
    records.push(...res.body.Resources);
    if (start + count > res.body.totalResults) return { records, requests };
  }
}

describe('Leapsome SCIM', () => {
  it('walks Users with startIndex/count to exactly the truth', async () => {
    const walk = await walkScim('Users', 40);
    expect(walk.requests).toBeGreaterThan(2);
    expect(walk.records).toEqual(sb.truth('leapsome', 'scim_users'));
  });

  it('returns every user when count is absent, and Groups likewise', async () => {
    const all = await getJson<ScimList>(scim('/Users'), scimHeaders);
    expect(all.body.totalResults).toBe(sb.truth('leapsome', 'scim_users').length);
    expect(all.body.Resources.length).toBe(all.body.totalResults);
    const groups = await walkScim('Groups', 5);
    expect(groups.records).toEqual(sb.truth('leapsome', 'scim_groups'));
  });

  it('uses the same ids as /employees and carries meta.lastModified', () => {
    const employees = new Set(sb.truth('leapsome', 'employees').map((e) => e['id']));
    for (const u of sb.truth('leapsome', 'scim_users')) {
      expect(employees.has(u['id'])).toBe(true);
      expect((u['meta'] as DataRecord)['lastModified']).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
  });

  it('filters Users by userName and serves single users and groups', async () => {
    const user = sb.truth('leapsome', 'scim_users')[3] as DataRecord;
    const res = await getJson<ScimList>(scim(`/Users?filter=${encodeURIComponent(`userName eq "${user['userName']}"`)}`), scimHeaders);
    expect(res.body.Resources).toEqual([user]);
    expect((await getJson(scim(`/Users/${user['id']}`), scimHeaders)).body).toEqual(user);
    const missing = await getJson<ScimError>(scim('/Users/0123456789abcdef01234567'), scimHeaders);
    expect(missing.status).toBe(404);
    expect(missing.body.status).toBe('404');
    expect((await getJson(scim('/Users?filter=title%20eq%20x'), scimHeaders)).status).toBe(400);
  });

  it('answers 401 without a token and 403 for a wrong one, as its spec documents', async () => {
    expect((await getJson(scim('/Users'))).status).toBe(401);
    const wrong = await getJson<ScimError>(scim('/Users'), { authorization: 'Bearer nope' });
    expect(wrong.status).toBe(403);
    expect(wrong.body.detail).toBe('Invalid token passed');
    const contentToken = await getJson<LeapsomeToken>(`${sb.mounts.leapsome}/token?secret=sandbox-leapsome-secret`);
    expect((await getJson(scim('/Users'), { authorization: `Bearer ${contentToken.body.token}` })).status).toBe(403);
  });
});
