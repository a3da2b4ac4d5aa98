import { http, HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { createMswServer, mswTransport } from '../testing/msw.js';
import { fastRetry, TEST_BASE_URL } from '../testing/reader.js';
import { ApiClient } from './client.js';

const arrivals: number[] = [];
const msw = createMswServer(
  http.get(`${TEST_BASE_URL}/things`, () => {
    arrivals.push(Date.now());
    return HttpResponse.json({ data: [] });
  }),
);
beforeAll(() => msw.listen());
afterEach(() => {
  msw.reset();
  arrivals.length = 0;
});
afterAll(() => msw.close());

describe('a request rate below one per second', () => {
  // requests_per_second accepts any positive number: a user sharing the account sets 0.4 and must
  // not get one request every second.
  it('spaces requests by 1 / requests_per_second seconds', async () => {
    const api = new ApiClient({
      name: 'Test API',
      baseUrl: TEST_BASE_URL,
      transport: mswTransport,
      retry: fastRetry,
      rateLimit: { requestsPerSecond: 0.4 },
      logger: silentLogger,
    });
    try {
      await Promise.all([api.request({ path: '/things' }), api.request({ path: '/things' })]);
    } finally {
      await api.close();
    }
    expect(arrivals).toHaveLength(2);
    expect((arrivals[1] as number) - (arrivals[0] as number)).toBeGreaterThanOrEqual(2_400);
  }, 10_000);
});
