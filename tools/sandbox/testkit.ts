/**
 * Small clients for the sandbox's own tests (and any test that wants to talk to it without the
 * connector): authenticated fetch helpers and walkers for each pagination style.
 */
import { SANDBOX_CREDENTIALS } from './registry.js';
import type { Sandbox } from './index.js';
import type { DataRecord } from './vendor.js';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/*
 * The bodies the sandbox answers with, as its tests read them. `getJson<T>` does not check a body
 * against its type: the type states what the test expects to get, and the test's assertions check it.
 */

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

/** Reflektive's real-time feedback: relative links, only when there is more than one page. */
export interface ReflektivePage {
  data: DataRecord[];
  links?: { self: string; next?: string; last: string };
}

/** Reflektive's answer to POST /v1/reports/reviews: the task that builds the report. */
export interface ReflektiveReportStarted {
  data: { task_uuid: string };
}

/** Reflektive's GET /v1/task/:uuid: a report task's status, and once completed the report's download link. */
export interface ReflektiveTask {
  data: { uuid: string; status: 'pending' | 'completed' | 'failed'; metadata: { link?: string; error?: string } };
}

/** Leanmote's `{status: 'success', data}`: one object, or a list served whole (the dashboard catalog). */
export interface LeanmoteData<D = DataRecord> {
  status: 'success';
  data: D;
}

/** A page of a Leanmote list: `{status: 'success', data, meta}`. */
export interface LeanmoteList extends LeanmoteData<DataRecord[]> {
  meta: { page: number; per_page: number; total: number; total_pages: number; sort: string; order: string };
}

/** A Leanmote error: `{status: 'error', error: {code, message}}`. */
export interface LeanmoteError {
  status: 'error';
  error: { code: string; message: string };
}

/** A page of Django REST framework's LimitOffsetPagination (PE365), with absolute links. */
export interface DrfPage {
  count: number;
  next: string | null;
  previous: string | null;
  results: DataRecord[];
}

export async function getJson<T = unknown>(url: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const res = await fetch(url, { ...init, headers: { accept: 'application/json', ...headers } });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (HTML gateway pages, CSV, S3 XML): keep the text.
  }
  return { status: res.status, headers: res.headers, body: body as T };
}

export async function leapsomeHeaders(sb: Sandbox): Promise<Record<string, string>> {
  const res = await getJson<LeapsomeToken>(`${sb.mounts.leapsome}/token?secret=${SANDBOX_CREDENTIALS.leapsome.apiKey}`);
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status}`);
  return { authorization: `Bearer ${res.body.token}` };
}

export const scimHeaders = { authorization: `Bearer ${SANDBOX_CREDENTIALS.leapsome.scimToken}` };
export const reflektiveHeaders = { authorization: `Token token=${SANDBOX_CREDENTIALS.reflektive.apiKey}` };
export const pe365Headers = {
  authorization: `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.pe365.username}:${SANDBOX_CREDENTIALS.pe365.apiKey}`).toString('base64')}`,
};
export const leanmoteHeaders = { authorization: `Bearer ${SANDBOX_CREDENTIALS.leanmote.apiKey}` };

/** Follows page numbers until an empty page; `extract` finds the records in a body of type `B`. */
export async function walkPages<B>(
  url: (page: number) => string,
  headers: Record<string, string>,
  first: number,
  extract: (body: B) => DataRecord[],
): Promise<{ records: DataRecord[]; requests: number }> {
  const records: DataRecord[] = [];
  let requests = 0;
  for (let page = first; ; page++) {
    const res = await getJson<B>(url(page), headers);
    requests++;
    if (res.status !== 200) throw new Error(`GET ${url(page)} → ${res.status} ${JSON.stringify(res.body)}`);
    const rows = extract(res.body);
    if (rows.length === 0) return { records, requests };
    records.push(...rows);
    if (requests > 100000) throw new Error('runaway pagination');
  }
}

/** Follows absolute `next` URLs (DRF, Leapsome X-Next) until there is none; the bodies are of type `B`. */
export async function walkNext<B>(
  start: string,
  headers: Record<string, string>,
  extract: (body: B) => DataRecord[],
  next: (res: JsonResponse<B>) => string | null | undefined,
): Promise<{ records: DataRecord[]; requests: number }> {
  const records: DataRecord[] = [];
  let url: string | null | undefined = start;
  let requests = 0;
  while (url) {
    const res: JsonResponse<B> = await getJson<B>(url, headers);
    requests++;
    if (res.status !== 200) throw new Error(`GET ${url} → ${res.status} ${JSON.stringify(res.body)}`);
    records.push(...extract(res.body));
    url = next(res);
    if (requests > 100000) throw new Error('runaway pagination');
  }
  return { records, requests };
}

/** Sorted key strings of records, for set comparisons. */
export function keysOf(records: DataRecord[], fields: readonly string[]): string[] {
  return records.map((r) => JSON.stringify(fields.map((f) => r[f] ?? null))).sort();
}
