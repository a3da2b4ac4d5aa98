/** For tests that talk to the Leapsome (Content API and SCIM) fake directly: the bodies it answers with, as they read them, and the headers it wants. */
import type { Sandbox } from '../index.js';
import { getJson } from '../testkit.js';
import type { DataRecord } from '../vendor.js';
import { LEAPSOME_CREDENTIALS } from './credentials.js';

/** Leapsome's token exchange. */
export interface LeapsomeToken {
  token: string;
  expiresIn: number;
}

/** A Leapsome list or object under `data`; the v2 endpoints (reviews) mark their bodies with `__v2: true`. */
export interface LeapsomeData<D = DataRecord[]> {
  data: D;
  __v2?: true;
}

/** Leapsome's goals: paged by cursor, the next page's URL in meta.nextPage and in X-Next. */
export interface LeapsomeCursorPage extends LeapsomeData {
  meta: { count: number; cursor: string | null; nextPage: string | null };
}

/** Leapsome's HR lists: paged by page number (meta: page, pageSize) or by offset (meta: offset, limit). */
export interface LeapsomePage extends LeapsomeData {
  meta: { totalCount: number; page?: number; pageSize?: number; offset?: number; limit?: number };
}

/** A Leapsome error: a JWT refusal (`message`), or the gateway's (`statusCode`, `error`). */
export interface LeapsomeError {
  statusCode?: number;
  error?: string;
  message?: string;
}

/** A SCIM ListResponse. */
export interface ScimList {
  schemas: string[];
  totalResults: number;
  startIndex: number;
  itemsPerPage: number;
  Resources: DataRecord[];
}

/** A SCIM error: the HTTP status as a string, and what went wrong. */
export interface ScimError {
  schemas: string[];
  status: string;
  scimType?: string;
  detail: string;
}

export async function leapsomeHeaders(sb: Sandbox): Promise<Record<string, string>> {
  const res = await getJson<LeapsomeToken>(`${sb.mounts.leapsome}/token?secret=${LEAPSOME_CREDENTIALS.apiKey}`);
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status}`);
  return { authorization: `Bearer ${res.body.token}` };
}

export const scimHeaders = { authorization: `Bearer ${LEAPSOME_CREDENTIALS.scimToken}` };
