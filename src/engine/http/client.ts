import Bottleneck from 'bottleneck';
import { HttpError, NetworkError } from '../errors.js';
import type { Logger } from '../logger.js';
import { backoffDelay, isRetryableStatus, retryAfterMs, sleep, type RetryPolicy } from './retry.js';
import type { Transport } from './transport.js';

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
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  body: unknown;
  url: string;
}

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

export interface RateLimit {
  requestsPerSecond: number;
  /** Extra windows such as Leanmote's hourly budget. */
  perMinute?: number;
  perHour?: number;
}

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
}

/**
 * One vendor API: every request goes through its rate limiter, its auth, and the retry policy.
 * Retries cover 429 (honouring Retry-After), 408/5xx, network errors and bodies that do not parse.
 */
export class ApiClient {
  private readonly limiter: Bottleneck;
  private auth: AuthProvider | undefined;

  constructor(readonly options: ApiClientOptions) {
    this.auth = options.auth;
    this.limiter = buildLimiter(options.rateLimit);
  }

  setAuth(auth: AuthProvider): void {
    this.auth = auth;
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    return this.send(request, async (response, url) => {
      const text = await response.text();
      return { status: response.status, headers: response.headers, body: parseBody(text, response.headers), url };
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

  private async send<T>(request: HttpRequest, accept: (response: Response, url: string) => Promise<T>): Promise<T> {
    const method = request.method ?? 'GET';
    const url = this.url(request);
    const path = new URL(url).pathname;
    const started = Date.now();
    let reauthenticated = false;

    for (let attempt = 1; ; attempt++) {
      const retry = attempt - 1;
      let failure: { reason: string; waitMs: number | undefined; status?: number; snippet?: string; cause?: unknown };
      try {
        // Anonymous requests (the token exchange itself) skip the queue: a request holding a slot may be
        // waiting for that very exchange, and exchanges are rare (one per token lifetime, shared).
        const send = () => this.dispatch(url, method, request);
        const response = request.anonymous ? await send() : await this.limiter.schedule(send);
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
      } catch (error) {
        if (error instanceof HttpError) throw error;
        // A failed authentication (a rejected secret, an exchange that spent its own retries) is
        // reported as it is, not retried as if it were a network error.
        if (error instanceof AuthenticationFailed) throw error.cause;
        failure = { reason: networkReason(error), waitMs: undefined, cause: error };
      }

      const delay = backoffDelay(this.options.retry, retry, failure.waitMs);
      const exhausted =
        retry >= this.options.retry.maxRetries || Date.now() - started + delay > this.options.retry.maxElapsedMs;
      if (exhausted) {
        if (failure.status !== undefined) {
          throw new HttpError(failure.status, method, path, failure.snippet ?? '', attempt);
        }
        throw new NetworkError(method, path, failure.reason, attempt, failure.cause);
      }
      this.options.logger.info(
        `${this.options.name}: ${method} ${path} failed (${failure.reason}); retry ${retry + 1}/${this.options.retry.maxRetries} in ${delay} ms`,
      );
      await sleep(delay);
    }
  }

  /**
   * Sends one request. The auth headers are taken here, when the request's turn in the rate limiter
   * has come, not when it was queued: a token can expire while a request waits.
   */
  private async dispatch(url: string, method: string, request: HttpRequest): Promise<Response> {
    let authHeaders: Record<string, string> = {};
    if (!request.anonymous && this.auth) {
      try {
        authHeaders = await this.auth.headers();
      } catch (error) {
        throw new AuthenticationFailed(error);
      }
    }
    return this.options.transport(url, {
      method,
      headers: {
        accept: 'application/json',
        'user-agent': this.options.userAgent ?? 'source-performance-management',
        ...(request.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...authHeaders,
        ...request.headers,
      },
      ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
    });
  }

  async close(): Promise<void> {
    await this.limiter.stop({ dropWaitingJobs: true }).catch(() => undefined);
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

function buildLimiter(limit: RateLimit): Bottleneck {
  const perSecond = Math.max(1, Math.floor(limit.requestsPerSecond));
  // Below one request a second, one request per 1/rate seconds (rounding up to 1/s would exceed it).
  const windowMs = limit.requestsPerSecond < 1 ? Math.ceil(1_000 / limit.requestsPerSecond) : 1_000;
  let limiter = new Bottleneck({
    maxConcurrent: perSecond,
    reservoir: perSecond,
    reservoirRefreshAmount: perSecond,
    reservoirRefreshInterval: windowMs,
  });
  for (const [amount, interval] of [
    [limit.perMinute, 60_000],
    [limit.perHour, 3_600_000],
  ] as const) {
    if (!amount) continue;
    const window = new Bottleneck({ reservoir: amount, reservoirRefreshAmount: amount, reservoirRefreshInterval: interval });
    limiter = limiter.chain(window);
  }
  return limiter;
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

function networkReason(error: unknown): string {
  if (error instanceof MalformedBodyError) return error.message;
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  const code = cause?.code ?? (error as { code?: string })?.code;
  const message = cause?.message ?? (error instanceof Error ? error.message : String(error));
  return code ? `${code}: ${message}` : message;
}

function snippetOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}
