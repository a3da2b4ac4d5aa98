/**
 * Test helper: an msw server whose handlers fake vendor APIs, or watch and alter the traffic to a
 * sandbox, and a Transport that routes the connector's HTTP through it (msw patches the global
 * fetch; undici's own fetch it does not see).
 */
import { setupServer, type SetupServer } from 'msw/node';
import type { RequestHandler } from 'msw';
import type { Transport } from '../../../src/engine/http/transport.js';

/** Looks the global fetch up on every call, so it is the one msw patched while the server listens. */
export const mswTransport: Transport = (url, init) => globalThis.fetch(url, init);

export interface SeenRequest {
  method: string;
  url: URL;
  headers: Headers;
}

export interface MswServer {
  server: SetupServer;
  /** Every request that reached msw since the last reset, in arrival order. */
  requests: SeenRequest[];
  /**
   * Starts intercepting. A request no handler answers is an error, unless `bypass`: then it goes
   * out as it is (to a sandbox listening on 127.0.0.1), still logged in `requests`.
   */
  listen(options?: { unhandled?: 'error' | 'bypass' }): void;
  /** Drops runtime handlers (`server.use`) and the request log; call between tests. */
  reset(): void;
  close(): void;
}

export function createMswServer(...handlers: RequestHandler[]): MswServer {
  const server = setupServer(...handlers);
  const requests: SeenRequest[] = [];
  server.events.on('request:start', ({ request }) => {
    // A handler's own `fetch(bypass(request))` is the request it handles, sent on: not another one.
    if (request.headers.get('accept')?.includes('msw/passthrough')) return;
    requests.push({ method: request.method, url: new URL(request.url), headers: request.headers });
  });
  return {
    server,
    requests,
    listen: (options = {}) => server.listen({ onUnhandledRequest: options.unhandled ?? 'error' }),
    reset: () => {
      server.resetHandlers();
      requests.length = 0;
    },
    close: () => server.close(),
  };
}

/** Requests to one path (query ignored), e.g. `requestsTo(msw, '/v1/token')`. */
export function requestsTo(msw: MswServer, pathname: string): SeenRequest[] {
  return msw.requests.filter((r) => r.url.pathname === pathname);
}
