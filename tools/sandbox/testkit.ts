/**
 * Small clients for the sandbox's own tests (and any test that wants to talk to it without the
 * connector): a fetch helper and walkers for each pagination style. Each fake's folder has the rest
 * in its own testkit.ts: the bodies it answers with and the headers it wants.
 */
import type { DataRecord } from './vendor.js';

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * A GET (or `init`'s method) whose body is parsed as JSON where it is JSON. It does not check a body
 * against `T`: the type states what the test expects to get, and the test's assertions check it.
 */
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
