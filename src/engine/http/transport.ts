import { Agent, fetch as undiciFetch } from 'undici';

export interface TransportRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
}

/** The smallest surface the client needs from fetch; tests swap in the msw-patched global fetch. */
export type Transport = (url: string, init: TransportRequest) => Promise<Response>;

export interface PooledTransport {
  transport: Transport;
  close(): Promise<void>;
}

/** undici keep-alive pool with connect and read timeouts: the production transport. */
export function pooledTransport(options: { timeoutMs: number; connections?: number }): PooledTransport {
  const agent = new Agent({
    connect: { timeout: Math.min(options.timeoutMs, 30_000) },
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    keepAliveTimeout: 10_000,
    connections: options.connections ?? 32,
  });
  const transport: Transport = async (url, init) =>
    (await undiciFetch(url, { ...init, dispatcher: agent })) as unknown as Response;
  return { transport, close: () => agent.close() };
}

/** Raised when a request got no complete answer within a `withDeadline` transport's limit. */
export class DeadlineExceeded extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms / 1000} s`);
    this.name = 'DeadlineExceeded';
  }
}

/**
 * Aborts each request that has not fully answered (headers and body) within `ms`, whatever the
 * underlying transport's own timeouts. For short interactive commands such as `check`.
 */
export function withDeadline(transport: Transport, ms: number): Transport {
  return (url, init) => {
    const controller = new AbortController();
    // Left running after the answer: aborting a finished request is harmless, and the body is only
    // read later. unref: it never keeps the process alive.
    setTimeout(() => controller.abort(new DeadlineExceeded(ms)), ms).unref?.();
    return transport(url, { ...init, signal: controller.signal });
  };
}
