import { Agent, DecoratorHandler, type Dispatcher, fetch as undiciFetch } from 'undici';

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

/** The smallest surface the client needs from fetch; tests swap in the msw-patched global fetch. */
export type Transport = (url: string, init: TransportRequest) => Promise<Response>;

export interface PooledTransport {
  transport: Transport;
  close(): Promise<void>;
}

/**
 * undici keep-alive pool with connect and idle timeouts: the production transport. `timeoutMs` bounds
 * each silence: the wait for the headers, and every gap between two chunks of the body (the connect
 * timeout, TLS handshake included, is at most 30 s). None of them bounds a whole response that keeps
 * trickling in: wrap the pool in `withDeadline` for that.
 */
export function pooledTransport(options: { timeoutMs: number; connections?: number }): PooledTransport {
  const agent = new Agent({
    connect: { timeout: Math.min(options.timeoutMs, CONNECT_TIMEOUT_MS) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 10_000,
    connections: options.connections ?? 32,
  });
  const transport: Transport = async (url, { onSent, ...init }) => {
    const dispatcher = onSent ? agent.compose(reportingSent(onSent)) : agent;
    return (await undiciFetch(url, { ...init, dispatcher })) as unknown as Response;
  };
  return { transport, close: () => agent.close() };
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
    let response: Response;
    try {
      response = await transport(url, { ...init, signal });
    } catch (error) {
      stop();
      throw error;
    }
    if (!response.body) {
      stop();
      return response;
    }
    // A status a Response cannot be built with keeps its body as it is, and the deadline running.
    if (response.status < 200 || response.status > 599) return response;
    return withBodyEnd(response, stop);
  };
}

/** The same response, whose body calls `ended` once it has been read to its end, has failed or was cancelled. */
function withBodyEnd(response: Response, ended: () => void): Response {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(stream) {
      try {
        const chunk = await reader.read();
        if (chunk.done) {
          ended();
          stream.close();
        } else {
          stream.enqueue(chunk.value);
        }
      } catch (error) {
        ended();
        stream.error(error);
      }
    },
    cancel(reason) {
      ended();
      return reader.cancel(reason);
    },
  });
  const wrapped = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  Object.defineProperty(wrapped, 'url', { value: response.url });
  return wrapped;
}
