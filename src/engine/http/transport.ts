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
