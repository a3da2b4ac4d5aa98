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

export async function getJson<T = any>(url: string, headers: Record<string, string> = {}, init: RequestInit = {}): Promise<JsonResponse<T>> {
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
  const res = await getJson<{ token: string }>(`${sb.mounts.leapsome}/token?secret=${SANDBOX_CREDENTIALS.leapsome.apiKey}`);
  if (res.status !== 200) throw new Error(`token exchange failed: ${res.status}`);
  return { authorization: `Bearer ${res.body.token}` };
}

export const scimHeaders = { authorization: `Bearer ${SANDBOX_CREDENTIALS.leapsome.scimToken}` };
export const reflektiveHeaders = { authorization: `Token token=${SANDBOX_CREDENTIALS.reflektive.apiKey}` };
export const pe365Headers = {
  authorization: `Basic ${Buffer.from(`${SANDBOX_CREDENTIALS.pe365.username}:${SANDBOX_CREDENTIALS.pe365.apiKey}`).toString('base64')}`,
};
export const leanmoteHeaders = { authorization: `Bearer ${SANDBOX_CREDENTIALS.leanmote.apiKey}` };

/** Follows page numbers until an empty page; `extract` finds the records in a body. */
export async function walkPages(
  url: (page: number) => string,
  headers: Record<string, string>,
  first: number,
  extract: (body: any) => DataRecord[],
): Promise<{ records: DataRecord[]; requests: number }> {
  const records: DataRecord[] = [];
  let requests = 0;
  for (let page = first; ; page++) {
    const res = await getJson(url(page), headers);
    requests++;
    if (res.status !== 200) throw new Error(`GET ${url(page)} → ${res.status} ${JSON.stringify(res.body)}`);
    const rows = extract(res.body);
    if (rows.length === 0) return { records, requests };
    records.push(...rows);
    if (requests > 100000) throw new Error('runaway pagination');
  }
}

/** Follows absolute `next` URLs (DRF, Leapsome X-Next) until there is none. */
export async function walkNext(
  start: string,
  headers: Record<string, string>,
  extract: (body: any) => DataRecord[],
  next: (res: JsonResponse<any>) => string | null | undefined,
): Promise<{ records: DataRecord[]; requests: number }> {
  const records: DataRecord[] = [];
  let url: string | null | undefined = start;
  let requests = 0;
  while (url) {
    const res: JsonResponse<any> = await getJson(url, headers);
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
