import type { IncomingHttpHeaders } from 'node:http';

/** A complete response, built before anything is written so faults can cut it short. */
export interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

/** One request as a vendor handler sees it. */
export interface RequestContext {
  method: string;
  /** Path below the mount prefix, still percent-encoded (e.g. `/goals/580%3Aabc/`). */
  path: string;
  query: URLSearchParams;
  /** The query string as sent, without `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** `http://127.0.0.1:PORT`, from the Host header, for absolute links. */
  origin: string;
  /** The mount prefix, e.g. `/leapsome/v1`. */
  prefix: string;
  /** Milliseconds since the epoch, from the sandbox clock. */
  now: number;
  /** The sandbox's silent cap on page sizes (`pageCap`); 0 or absent: none. */
  pageCap?: number;
}

/**
 * The page size a paginated endpoint serves: what the client asked for (or the endpoint's fixed or
 * default size), silently capped by the sandbox's `pageCap`, as a server with a lower limit than it
 * documents would. Offsets, next links and cursors must follow the size returned here.
 */
export function servedPageSize(ctx: Pick<RequestContext, 'pageCap'>, size: number): number {
  return ctx.pageCap ? Math.min(size, ctx.pageCap) : size;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}

export function text(status: number, body: string, contentType: string, headers: Record<string, string> = {}): Reply {
  return { status, headers: { 'content-type': contentType, ...headers }, body };
}

/** An integer query parameter checked against the bounds an OpenAPI file declares. */
export type IntResult = { ok: true; value: number } | { ok: false; message: string };

export function intParam(query: URLSearchParams, name: string, bounds: { min?: number; max?: number; default: number }): IntResult {
  const raw = query.get(name);
  if (raw === null || raw === '') return { ok: true, value: bounds.default };
  if (!/^-?\d+$/.test(raw.trim())) return { ok: false, message: `"${name}" must be a number` };
  const value = Number(raw);
  if (bounds.min !== undefined && value < bounds.min) {
    return { ok: false, message: `"${name}" must be greater than or equal to ${bounds.min}` };
  }
  if (bounds.max !== undefined && value > bounds.max) {
    return { ok: false, message: `"${name}" must be less than or equal to ${bounds.max}` };
  }
  return { ok: true, value };
}

/** Comma-separated values of a non-exploded array parameter, empty entries dropped. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const raw = query.getAll(name);
  if (raw.length === 0) return undefined;
  const values = raw
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  return values.length > 0 ? values : undefined;
}

export function containsFold(haystack: string | null | undefined, needle: string): boolean {
  return (haystack ?? '').toLocaleLowerCase().includes(needle.toLocaleLowerCase());
}

/** Thrown by handlers to answer with an error in the mount's own shape. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The value of a parameter check, or a 400 in the mount's error shape. */
export function must(result: IntResult): number {
  if (!result.ok) throw new ApiFailure(400, result.message);
  return result.value;
}
