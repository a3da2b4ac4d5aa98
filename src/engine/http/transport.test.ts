import { createServer, type Server, type ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureTypeOf, NetworkError } from '../errors.js';
import { silentLogger } from '../logger.js';
import { ApiClient } from './client.js';
import { pooledTransport } from './transport.js';

/**
 * The production transport against a real socket: a server that accepts the connection and then
 * goes silent (before the headers, or half-way through the body) must not hang a sync forever.
 * (undici checks its timeouts on a coarse clock: a 200 ms limit fires after about a second.)
 */
let server: Server;
let base: string;
const held: ServerResponse[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    held.push(response);
    if (request.url === '/half-body') {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"data": [');
    }
    // Otherwise: never answer.
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
  for (const response of held) response.destroy();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the pooled transport times out a silent server', () => {
  it.each(['/no-headers', '/half-body'])('%s: the request fails within the read timeout', async (path) => {
    const pooled = pooledTransport({ timeoutMs: 300 });
    const started = Date.now();
    try {
      const outcome = await pooled
        .transport(`${base}${path}`, { method: 'GET', headers: {} })
        .then((response) => response.text())
        .then(
          () => 'answered',
          () => 'failed',
        );
      expect(outcome).toBe('failed');
    } finally {
      await pooled.close().catch(() => undefined);
    }
    expect(Date.now() - started).toBeLessThan(2_500);
  }, 5_000);

  it('through the client, a timed-out request is a transient network error', async () => {
    const pooled = pooledTransport({ timeoutMs: 200 });
    const api = new ApiClient({
      name: 'Silent API',
      baseUrl: base,
      transport: pooled.transport,
      retry: { maxRetries: 0, baseDelayMs: 1, maxDelayMs: 5, maxElapsedMs: 5_000 },
      rateLimit: { requestsPerSecond: 100 },
      logger: silentLogger,
    });
    const before = held.length;
    const started = Date.now();
    try {
      const error = await api.request({ path: '/no-headers' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NetworkError);
      expect(failureTypeOf(error)).toBe('transient_error');
    } finally {
      await api.close();
      await pooled.close().catch(() => undefined);
    }
    expect(held.length - before).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_500);
  }, 5_000);
});
