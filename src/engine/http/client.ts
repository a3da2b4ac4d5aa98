import { isUtf8 } from 'node:buffer';
import { HttpError, NetworkError } from '../errors.js';
import type { Logger } from '../logger.js';
import { readJsonPage } from '../formats/json-page.js';
import { PacerClosedError, rateWindows, SlidingWindowPacer, Slots, type Turn } from './rate-window.js';
import { type QuotaHeaders, ServerQuota } from './quota.js';
import { backoffDelay, isRetryableStatus, retryAfterMs, sleep, type RetryPolicy } from './retry.js';
import type { Transport, TransportResponse } from './transport.js';

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** Relative to the client's base URL, or absolute. */
  path: string;
  query?: Query;
  headers?: Record<string, string>;
  json?: unknown;
  /** Skip authentication (the token exchange itself). */
  anonymous?: boolean;
  /**
   * The body is a page of records, at `path` (see `pick`): where it is certainly JSON of that shape,
   * read it without building the records (see json-page.ts). Each record in `body` then holds only
   * its top-level `fields`, and `listed` says where its bytes lie.
   */
  page?: { path: string; fields: readonly string[] };
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
  url: string;
  /** The body as it came, when it parsed as a JSON object or array: records can go out as these bytes. */
  bytes?: Uint8Array;
  /** For a request's `page` read without building its records: record `i` is `bytes.subarray(starts[i], ends[i])`. */
  listed?: { starts: number[]; ends: number[] };
}

/** Decodes as `Response.text()` does: a byte-order mark dropped, malformed bytes replaced. */
const utf8 = new TextDecoder();

/** A successful response whose body is still to be read, piece by piece (a large download). */
export interface StreamingResponse {
  status: number;
  headers: Headers;
  body: ReadableStream<Uint8Array> | null;
  url: string;
}

/** Supplies auth headers; `invalidate` is called once on a 401 so the next call re-authenticates. */
export interface AuthProvider {
  headers(): Promise<Record<string, string>>;
  invalidate?(): void;
}

/**
 * What an API allows, each as a sliding window: no 1000 ms (minute, hour), wherever it starts, may hold
 * more requests than its number, retries and token exchanges included.
 */
export interface RateLimit {
  requestsPerSecond: number;
  /** Extra windows such as Leanmote's hourly budget. */
  perMinute?: number;
  perHour?: number;
  /**
   * Every window this many times its length (default 1): tests against a local server whose windows
   * are shortened alike run hours of pacing in seconds.
   */
  timeScale?: number;
}

/** Why a request is about to wait before it goes out. */
export type WaitReason =
  /** Its turn under the rate limit: `limit` requests in any `windowMs` were sent already. */
  | { kind: 'rate-limit'; limit: number; windowMs: number }
  /** The backoff before retry number `retry` of a request that failed. */
  | { kind: 'retry'; failure: string; retry: number }
  /** The server's own count of the quota (its rate-limit headers) says to wait, until `resetAt` (epoch ms) at most. */
  | { kind: 'quota'; resetAt: number };

export type WaitListener = (ms: number, reason: WaitReason) => void;

export interface ApiClientOptions {
  /** Human name of the API, used in messages ("Leapsome Content API"). */
  name: string;
  baseUrl: string;
  transport: Transport;
  retry: RetryPolicy;
  rateLimit: RateLimit;
  logger: Logger;
  auth?: AuthProvider;
  userAgent?: string;
  /** Told whenever a request is about to wait (see `addWaitListener`). */
  onWait?: WaitListener;
  /** The headers in which the API reports what is left of its quota: they correct our own pace. */
  quotaHeaders?: QuotaHeaders;
}

/**
 * After its turn under the rate limit, a request takes its auth headers. If they take longer than
 * this (a token exchange happened meanwhile), the turn is stale and the request takes a new one: it
 * is counted from the moment it goes out, not from when it was ready to. A transport that says when
 * the request was written moves the turn there too, but only then: until it does, the pacer counts
 * the turn from when it was given, and gives the next ones accordingly.
 */
const STALE_TURN_MS = 10;

/**
 * Retries of a request whose host name does not resolve (ENOTFOUND): a mistyped base URL fails in a
 * second or two, while a resolver's brief hiccup still gets a second chance. A temporary failure of
 * the resolver itself (EAI_AGAIN) is retried like any network error.
 */
const UNRESOLVED_HOST_RETRIES = 1;

/**
 * One vendor API: every request goes through its rate limit, its auth, and the retry policy.
 * Retries cover 429 (honouring Retry-After), 408/5xx, network errors and bodies that do not parse.
 *
 * Every request sent, each retry and each token exchange included, takes a turn of the sliding-window
 * pacer (see rate-window.ts), so that the API never sees more than its limit in any window; the turn
 * counts from when the transport wrote the request, if it says so. At most as many authenticated
 * requests as the per-second limit are in flight at once.
 */
export class ApiClient {
  private readonly pacer: SlidingWindowPacer;
  private readonly slots: Slots;
  private readonly waitListeners = new Set<WaitListener>();
  private readonly quota: ServerQuota | undefined;
  private auth: AuthProvider | undefined;

  constructor(readonly options: ApiClientOptions) {
    this.auth = options.auth;
    if (options.onWait) this.waitListeners.add(options.onWait);
    this.pacer = new SlidingWindowPacer(rateWindows(options.rateLimit), {
      onWait: (ms, window) => this.waiting(ms, { kind: 'rate-limit', limit: window.limit, windowMs: window.lengthMs }),
    });
    this.slots = new Slots(Math.max(1, Math.floor(options.rateLimit.requestsPerSecond)));
    this.quota = options.quotaHeaders ? new ServerQuota(options.quotaHeaders, undefined, options.rateLimit.timeScale) : undefined;
  }

  /** Calls `listener` whenever a request is about to wait, for its turn or before a retry; returns the way to stop. */
  addWaitListener(listener: WaitListener): () => void {
    this.waitListeners.add(listener);
    return () => this.waitListeners.delete(listener);
  }

  private waiting(ms: number, reason: WaitReason): void {
    for (const listener of this.waitListeners) {
      try {
        listener(ms, reason);
      } catch {
        // A listener's failure is no reason to fail the request.
      }
    }
  }

  setAuth(auth: AuthProvider): void {
    this.auth = auth;
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    return this.send(request, async (response, url) => {
      const bytes = new Uint8Array(await response.arrayBuffer());
      // Bytes that are not all UTF-8 are decoded with replacements: only the decoded text is right.
      const whole = isUtf8(bytes);
      const page = request.page && whole ? readJsonPage(bytes, request.page.path, request.page.fields) : undefined;
      if (page) return { status: response.status, headers: response.headers, body: page.body, url, bytes, listed: { starts: page.starts, ends: page.ends } };
      const body = parseBody(utf8.decode(bytes), response.headers);
      const asSent = body !== null && typeof body === 'object' && whole;
      return { status: response.status, headers: response.headers, body, url, ...(asSent ? { bytes } : {}) };
    });
  }

  /**
   * Like `request`, but resolves as soon as a successful response's headers arrive and hands its body
   * over unread, so a large file can be parsed as it streams. Retries cover everything up to the
   * headers; a body that breaks off later is the caller's to retry. Cancel the body if you stop early.
   */
  async open(request: HttpRequest): Promise<StreamingResponse> {
    return this.send(request, async (response, url) => ({ status: response.status, headers: response.headers, body: response.body, url }));
  }

  private async send<T>(request: HttpRequest, accept: (response: TransportResponse, url: string) => Promise<T>): Promise<T> {
    const method = request.method ?? 'GET';
    const url = this.url(request);
    const path = new URL(url).pathname;
    const started = Date.now();
    let reauthenticated = false;

    for (let attempt = 1; ; attempt++) {
      const retry = attempt - 1;
      let failure: { reason: string; waitMs: number | undefined; status?: number; snippet?: string; cause?: unknown; maxRetries?: number };
      try {
        const response = await this.dispatch(url, method, request);
        if (response.ok) return await accept(response, url);
        const text = await response.text();
        if (response.status === 401 && this.auth?.invalidate && !request.anonymous && !reauthenticated) {
          // Tokens can expire between our own refreshes; one fresh exchange is worth a try.
          reauthenticated = true;
          this.auth.invalidate();
          attempt--;
          continue;
        }
        const snippet = snippetOf(text);
        if (!isRetryableStatus(response.status)) {
          throw new HttpError(response.status, method, path, snippet, attempt);
        }
        failure = { reason: `HTTP ${response.status}`, waitMs: retryAfterMs(response.headers), status: response.status, snippet };
        // The quota is the API's, not this request's: every request waits out a 429's Retry-After.
        if (response.status === 429 && failure.waitMs !== undefined) this.quota?.refused(failure.waitMs);
      } catch (error) {
        if (error instanceof HttpError || error instanceof PacerClosedError) throw error;
        // A failed authentication (a rejected secret, an exchange that spent its own retries) is
        // reported as it is, not retried as if it were a network error.
        if (error instanceof AuthenticationFailed) throw error.cause;
        failure = {
          reason: networkReason(error),
          waitMs: undefined,
          cause: error,
          ...(errorCode(error) === 'ENOTFOUND' ? { maxRetries: UNRESOLVED_HOST_RETRIES } : {}),
        };
      }

      const delay = backoffDelay(this.options.retry, retry, failure.waitMs);
      const maxRetries = Math.min(this.options.retry.maxRetries, failure.maxRetries ?? Number.POSITIVE_INFINITY);
      // A server that asks for a longer wait than the budget has left is not retried at all.
      const exhausted = retry >= maxRetries || Date.now() - started + Math.max(delay, failure.waitMs ?? 0) > this.options.retry.maxElapsedMs;
      if (exhausted) {
        if (failure.status !== undefined) {
          throw new HttpError(failure.status, method, path, failure.snippet ?? '', attempt);
        }
        throw new NetworkError(method, path, failure.reason, attempt, failure.cause);
      }
      this.options.logger.info(`${this.options.name}: ${method} ${path} failed (${failure.reason}); retry ${retry + 1}/${maxRetries} in ${delay} ms`);
      this.waiting(delay, { kind: 'retry', failure: failure.reason, retry: retry + 1 });
      await sleep(delay);
    }
  }

  /**
   * Sends one request when its turn under the rate limit has come. The auth headers are taken at that
   * moment, not when the request was queued: a token can expire while a request waits.
   *
   * Anonymous requests (the token exchange itself) take a turn but no concurrency slot: the requests
   * holding the slots may be waiting for that very exchange. Turns free up with time alone, so
   * waiting for one cannot deadlock.
   */
  private async dispatch(url: string, method: string, request: HttpRequest): Promise<TransportResponse> {
    if (request.anonymous) {
      await this.quotaTurn();
      return this.counted(async () => this.transmit(url, method, request, {}, await this.pacer.take()));
    }
    await this.slots.acquire();
    try {
      // Fetched before the turn too, so that an exchange they need does not happen inside it.
      let authHeaders = await this.authHeaders();
      await this.quotaTurn();
      return await this.counted(async () => {
        let turn: Turn;
        for (let taken = 0; ; taken++) {
          turn = await this.pacer.take({ first: taken > 0 });
          // A third turn goes with the headers just fetched, without waiting for them again.
          if (taken === 2) break;
          const asked = Date.now();
          authHeaders = await this.authHeaders();
          if (Date.now() - asked <= STALE_TURN_MS) break;
        }
        return await this.transmit(url, method, request, authHeaders, turn);
      });
    } finally {
      this.slots.release();
    }
  }

  /** Runs what follows a quota turn: however it ends, the request no longer counts as in flight. */
  private async counted(send: () => Promise<TransportResponse>): Promise<TransportResponse> {
    try {
      return await send();
    } finally {
      this.quota?.answered();
    }
  }

  private async authHeaders(): Promise<Record<string, string>> {
    if (!this.auth) return {};
    try {
      return await this.auth.headers();
    } catch (error) {
      throw new AuthenticationFailed(error);
    }
  }

  /** Waits while the server's count of the quota says so: the headers win over our own count. */
  private async quotaTurn(): Promise<void> {
    if (!this.quota) return;
    for (let { ms, exhaustedUntil } = this.quota.delay(); ms > 0; { ms, exhaustedUntil } = this.quota.delay()) {
      this.waiting(ms, { kind: 'quota', resetAt: exhaustedUntil ?? Date.now() + ms });
      await sleep(ms);
    }
    this.quota.sent();
  }

  /** Sends the request on its turn, which counts from when the transport has written it, if it says so. */
  private async transmit(url: string, method: string, request: HttpRequest, authHeaders: Record<string, string>, turn: Turn): Promise<TransportResponse> {
    const response = await this.options.transport(url, {
      method,
      onSent: () => turn.sent(),
      headers: {
        accept: 'application/json',
        'user-agent': this.options.userAgent ?? 'source-performance-management',
        ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeaders,
        ...request.headers,
      },
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
    });
    this.quota?.observe(response.headers);
    return response;
  }

  /** Turns away the requests still waiting for their turn. */
  async close(): Promise<void> {
    this.pacer.close();
    this.slots.close();
  }

  private url(request: HttpRequest): string {
    const absolute = /^https?:\/\//i.test(request.path);
    const base = this.options.baseUrl.replace(/\/+$/, '');
    const url = new URL(absolute ? request.path : `${base}/${request.path.replace(/^\/+/, '')}`);
    for (const [key, value] of Object.entries(request.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

class AuthenticationFailed extends Error {
  constructor(override readonly cause: unknown) {
    super('authentication failed');
  }
}

function parseBody(text: string, headers: Headers): unknown {
  if (text.trim() === '') return null;
  const type = headers.get('content-type') ?? '';
  if (type.includes('json') || /^[\s]*[[{"]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch (error) {
      // A body cut short in transit: retrying usually gets the whole of it.
      throw new MalformedBodyError(text.length, error);
    }
  }
  return text;
}

class MalformedBodyError extends Error {
  constructor(length: number, cause: unknown) {
    super(`the response body (${length} bytes) is not valid JSON, probably cut short`, { cause });
  }
}

/** The system or undici error code behind a failed fetch ("fetch failed" wraps it as its cause). */
function errorCode(error: unknown): string | undefined {
  const cause = (error as { cause?: { code?: unknown } })?.cause;
  const code = cause?.code ?? (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

function networkReason(error: unknown): string {
  if (error instanceof MalformedBodyError) return error.message;
  const cause = (error as { cause?: { message?: string; hostname?: unknown } })?.cause;
  const code = errorCode(error);
  if (code === 'ENOTFOUND' && typeof cause?.hostname === 'string') return `ENOTFOUND: the host name ${cause.hostname} does not resolve`;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return code ? `${code}: ${message}` : message;
}

function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
