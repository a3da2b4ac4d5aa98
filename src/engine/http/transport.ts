import { pipeline, type Readable, type Transform } from 'node:stream';
import { constants, createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, DecoratorHandler, type Dispatcher, interceptors, request as undiciRequest } from 'undici';

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /**
   * Called once the request has been written to the socket, body included: when a rate limit starts
   * counting it, which may be long after the call (a new connection, a TLS handshake). A transport
   * that cannot tell never calls it; none calls it for a request that failed before it was written.
   */
  onSent?: () => void;
}

/**
 * What the client reads of an answer: the part of fetch's `Response` it uses, so that a transport
 * over fetch (tests route one through msw) returns its Response as it is. Each body is read once.
 * Any transport fails as fetch does: with the signal's reason once it has aborted; else a request
 * with a TypeError "fetch failed" and a body that breaks off with a TypeError "terminated", each
 * with the network's error as its cause.
 */
export type TransportResponse = Pick<Response, 'status' | 'ok' | 'headers' | 'body' | 'arrayBuffer' | 'text'>;

/** The smallest surface the client needs of an HTTP transport. */
export type Transport = (url: string, init: TransportRequest) => Promise<TransportResponse>;

export interface PooledTransport {
  transport: Transport;
  close(): Promise<void>;
}

/** Redirects followed, as many as fetch follows. */
const MAX_REDIRECTIONS = 20;

/**
 * The content codings asked for. fetch asks for deflate too, which servers send in two formats;
 * asked for these, a server has no reason to pick deflate, and one that sends it anyway is read as
 * the standard's (zlib) format.
 */
const ACCEPTED_CODINGS = 'gzip, br';

/** Codings one answer may stack, as fetch allows: each costs a decoder. */
const MAX_CODINGS = 5;

/**
 * undici keep-alive pool with connect and idle timeouts: the production transport. `timeoutMs` bounds
 * each silence: the wait for the headers, and every gap between two chunks of the body (the connect
 * timeout, TLS handshake included, is at most 30 s). None of them bounds a whole response that keeps
 * trickling in: wrap the pool in `withDeadline` for that.
 *
 * It asks with undici's `request`, not its `fetch`, and does what fetch would do for these requests:
 * follows redirects (without the credentials, to another origin), asks for compressed bodies and
 * decodes them. A body read whole then takes about half the CPU: fetch passes every chunk through
 * web streams.
 */
export function pooledTransport(options: { timeoutMs: number; connections?: number }): PooledTransport {
  const agent = new Agent({
    connect: { timeout: Math.min(options.timeoutMs, CONNECT_TIMEOUT_MS) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 10_000,
    connections: options.connections ?? 32,
  });
  // Outside the report of the written request: the request that reaches the socket is reported, and
  // each redirect is another request, on no turn of its own.
  const redirect = interceptors.redirect({ maxRedirections: MAX_REDIRECTIONS });
  const following = agent.compose(redirect);
  const transport: Transport = async (url, { onSent, headers, ...init }) => {
    const dispatcher = onSent ? agent.compose(reportingSent(onSent), redirect) : following;
    const asking = undiciRequest(url, {
      ...init,
      method: init.method as Dispatcher.HttpMethod,
      headers: { 'accept-encoding': ACCEPTED_CODINGS, ...headers },
      dispatcher,
    });
    let answer: Dispatcher.ResponseData;
    try {
      answer = await answerUnlessAborted(asking, init.signal);
    } catch (error) {
      throw failure(error, 'fetch failed', init.signal);
    }
    try {
      return new PooledResponse(answer, init.method, init.signal);
    } catch (error) {
      // Unread, the body would hold its connection.
      answer.body.on('error', () => undefined).destroy();
      throw failure(error, 'fetch failed', init.signal);
    }
  };
  return { transport, close: () => agent.close() };
}

/**
 * The answer, or the signal's reason as soon as it aborts. undici's `request` honours an abort only
 * once the request has a connection: one waiting for a TLS handshake that stalls would wait for the
 * connect timeout. Given up on, it still ends by itself, and an answer that comes after all is dropped.
 */
function answerUnlessAborted(asking: Promise<Dispatcher.ResponseData>, signal: AbortSignal | undefined): Promise<Dispatcher.ResponseData> {
  if (!signal) return asking;
  return new Promise((resolve, reject) => {
    const aborted = () => reject(signal.reason);
    if (signal.aborted) aborted();
    else signal.addEventListener('abort', aborted, { once: true });
    asking.then(
      (answer) => {
        signal.removeEventListener('abort', aborted);
        if (!signal.aborted) return resolve(answer);
        answer.body.destroy();
        reject(signal.reason);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', aborted);
        reject(error);
      },
    );
  });
}

/** What fetch fails with: the signal's reason once it has aborted, else a TypeError caused by the error. */
function failure(error: unknown, message: 'fetch failed' | 'terminated', signal: AbortSignal | undefined): unknown {
  if (signal?.aborted) return signal.reason;
  return new TypeError(message, { cause: error });
}

/** Decodes as `Response.text()` does: a byte-order mark dropped, malformed bytes replaced. */
const utf8 = new TextDecoder();

/** An answer of undici's `request`, read as a `Response` would be. */
class PooledResponse implements TransportResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers = new Headers();
  private readonly raw: Dispatcher.ResponseData['body'];
  private readonly decoders: Transform[];
  private stream: ReadableStream<Uint8Array> | undefined;

  constructor(
    answer: Dispatcher.ResponseData,
    method: string,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.status = answer.statusCode;
    this.ok = this.status >= 200 && this.status <= 299;
    for (const [name, value] of Object.entries(answer.headers)) {
      for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) appendHeader(this.headers, name, one);
    }
    this.raw = answer.body;
    // Answers that have no body to decode, as fetch has it.
    const bodiless = method === 'HEAD' || this.status === 204 || this.status === 205 || this.status === 304;
    this.decoders = bodiless ? [] : decodersFor(this.headers.get('content-encoding'));
  }

  get body(): ReadableStream<Uint8Array> {
    this.stream ??= this.webStream();
    return this.stream;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    try {
      return await this.whole();
    } catch (error) {
      throw failure(error, 'terminated', this.signal);
    }
  }

  async text(): Promise<string> {
    return utf8.decode(await this.arrayBuffer());
  }

  private async whole(): Promise<ArrayBuffer> {
    if (this.decoders.length === 0) return this.raw.arrayBuffer();
    const chunks: Buffer[] = [];
    let length = 0;
    for await (const chunk of this.decoded()) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
    }
    const whole = new Uint8Array(length);
    let at = 0;
    for (const chunk of chunks) {
      whole.set(chunk, at);
      at += chunk.length;
    }
    return whole.buffer;
  }

  /** The body as a web stream, for a download parsed as it streams; cancelling it ends the request. */
  private webStream(): ReadableStream<Uint8Array> {
    const chunks = this.decoded()[Symbol.asyncIterator]();
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          const chunk = await chunks.next();
          if (chunk.done) controller.close();
          else controller.enqueue(chunk.value as Uint8Array);
        } catch (error) {
          controller.error(failure(error, 'terminated', this.signal));
        }
      },
      cancel: () => {
        // At once: a read may be pending, which the iterator's return() would wait for.
        for (const stream of [this.raw, ...this.decoders]) stream.destroy();
      },
    });
  }

  /** The body with its content codings undone; a failure anywhere fails the reading. */
  private decoded(): Readable {
    if (this.decoders.length === 0) return this.raw;
    return pipeline([this.raw, ...this.decoders], () => undefined) as unknown as Readable;
  }
}

/**
 * The decoders for a Content-Encoding header, in the order they apply (the reverse of the header's).
 * None when a coding is one fetch does not decode either: the body is then read as it came.
 */
function decodersFor(header: string | null): Transform[] {
  const codings = (header ?? '')
    .toLowerCase()
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding !== 'identity');
  if (codings.length > MAX_CODINGS) throw new Error(`${codings.length} content codings, more than ${MAX_CODINGS}`);
  const decoders: Transform[] = [];
  for (const coding of codings.reverse()) {
    if (coding === 'gzip' || coding === 'x-gzip') decoders.push(createGunzip(LENIENT));
    else if (coding === 'deflate') decoders.push(createInflate(LENIENT));
    else if (coding === 'br') decoders.push(createBrotliDecompress(LENIENT_BROTLI));
    else return [];
  }
  return decoders;
}

/**
 * As lenient as fetch (and curl): an empty body decodes to nothing, and one cut short to what came.
 * A page cut short then fails as JSON that does not parse, and is asked for again.
 */
const LENIENT = { flush: constants.Z_SYNC_FLUSH, finishFlush: constants.Z_SYNC_FLUSH };
const LENIENT_BROTLI = { flush: constants.BROTLI_OPERATION_FLUSH, finishFlush: constants.BROTLI_OPERATION_FLUSH };

/**
 * Appends a header as fetch has it: undici's `request` decodes values as UTF-8, fetch as Latin-1, in
 * which every byte is a character a `Headers` takes.
 */
function appendHeader(headers: Headers, name: string, value: string): void {
  try {
    headers.append(name, value);
  } catch {
    headers.append(name, Buffer.from(value, 'utf8').toString('latin1'));
  }
}

/**
 * Calls `onSent` when the first request dispatched through it has been written: one fetch call's
 * request. A redirect it follows is another request, on no turn of its own.
 */
function reportingSent(onSent: () => void): Dispatcher.DispatcherComposeInterceptor {
  let reported = false;
  const once = () => {
    if (reported) return;
    reported = true;
    onSent();
  };
  // undici 6 types DecoratorHandler without the handler's methods, which it has.
  return (dispatch) => (options, handler) => dispatch(options, new SentHandler(handler, once) as Dispatcher.DispatchHandlers);
}

/**
 * Passes every event on to the handler it wraps, and calls `onSent` from `onRequestSent`, which
 * undici's request calls right after writing the request to the socket (not part of the handler
 * types of undici 6, nor forwarded by its DecoratorHandler).
 */
class SentHandler extends DecoratorHandler {
  constructor(
    private readonly inner: Dispatcher.DispatchHandlers & { onRequestSent?(): void },
    private readonly onSent: () => void,
  ) {
    super(inner);
  }

  onRequestSent(): void {
    this.onSent();
    this.inner.onRequestSent?.();
  }
}

/** The longest wait for a connection, TLS handshake included, whatever the idle timeout. */
export const CONNECT_TIMEOUT_MS = 30_000;

/** Raised when a request got no complete answer within a `withDeadline` transport's limit. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no complete answer within ${ms / 1000} s`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Gives each request a total deadline: aborted, with `DeadlineExceeded`, unless it has fully answered
 * (headers and the last byte of the body) within `ms` of being sent, whatever the underlying
 * transport's own timeouts. A server that accepts the connection and never answers, one that trickles
 * its answer a byte at a time, a stalled TLS handshake: each ends by then. The clock stops once the
 * body has been read to its end, has failed or has been cancelled; a caller that reads a body slowly
 * (a large download parsed as it streams) spends the deadline too.
 */
export function withDeadline(transport: Transport, ms: number): Transport {
  return async (url, init) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms);
    // Never keeps the process alive by itself.
    timer.unref?.();
    const stop = () => clearTimeout(timer);
    const signal = init.signal ? AbortSignal.any([init.signal, controller.signal]) : controller.signal;
    let response: TransportResponse;
    try {
      response = await transport(url, { ...init, signal });
    } catch (error) {
      stop();
      throw error;
    }
    return withBodyEnd(response, stop);
  };
}

/** The same response, calling `ended` once its body has been read to its end, has failed or was cancelled. */
function withBodyEnd(response: TransportResponse, ended: () => void): TransportResponse {
  let body: ReadableStream<Uint8Array> | null | undefined;
  const reading = <T>(read: Promise<T>) => read.finally(ended);
  return {
    status: response.status,
    ok: response.ok,
    headers: response.headers,
    arrayBuffer: () => reading(response.arrayBuffer()),
    text: () => reading(response.text()),
    get body() {
      if (body === undefined) {
        body = response.body && watched(response.body, ended);
        if (!body) ended();
      }
      return body;
    },
  };
}

/** The same stream, calling `ended` once it has been read to its end, has failed or was cancelled. */
function watched(stream: ReadableStream<Uint8Array>, ended: () => void): ReadableStream<Uint8Array> {
  const reader = stream.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          ended();
          controller.close();
        } else {
          controller.enqueue(chunk.value);
        }
      } catch (error) {
        ended();
        controller.error(error);
      }
    },
    cancel(reason) {
      ended();
      return reader.cancel(reason);
    },
  });
}
