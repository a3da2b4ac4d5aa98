import { rejectedSecret } from '../../engine/auth/token-exchange.js';
import { ApiClient } from '../../engine/http/client.js';
import { paceOf, type Vendor } from '../vendor.js';
import type { ReflektiveApis } from './apis.js';
import { REFLEKTIVE_BASE_URL, ReflektiveConfig } from './config.js';
import { reflektiveStreams } from './streams.js';

export const reflektive: Vendor<ReflektiveConfig, ReflektiveApis> = {
  id: 'reflektive',
  title: 'Reflektive',
  config: ReflektiveConfig,
  // Reflektive publishes no rate limit (its rate-limit notes say so and point to support): our own
  // conservative pace. Each request brings up to 200 records, so it still reads 1000 records a second.
  pageSizes: '200, fixed by the API',
  limits: { api: { title: 'API', requestsPerSecond: 5, documented: false } },

  streams: (config) => reflektiveStreams(config),

  apis(config, runtime) {
    const api = new ApiClient({
      name: 'Reflektive API',
      baseUrl: config.base_url ?? REFLEKTIVE_BASE_URL,
      transport: runtime.transport,
      retry: runtime.retry,
      logger: runtime.logger,
      rateLimit: paceOf(reflektive.limits.api, runtime),
      auth: { headers: async () => ({ authorization: `Token token=${config.api_key}` }) },
    });
    return { api };
  },

  /** The cheapest authenticated request: feedback created from now on, an empty page. */
  async check(apis) {
    await apis.api
      .request({ path: '/v2/real-time-feedback', query: { created_after: Math.floor(Date.now() / 1000) } })
      .catch((error: unknown) => rejectedSecret('Reflektive', 'API key', error));
  },
};
