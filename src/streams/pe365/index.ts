import { ApiClient } from '../../engine/http/client.js';
import { paceOf, type Vendor } from '../vendor.js';
import type { Pe365Apis } from './apis.js';
import { basicAuth, basicCredentials, checkError } from './auth.js';
import { PE365_BASE_URL, Pe365Config } from './config.js';
import { drfResults } from './pagination.js';
import { pe365Streams } from './streams.js';

export const pe365: Vendor<Pe365Config, Pe365Apis> = {
  id: 'pe365',
  title: 'Perform & Engage 365',
  config: Pe365Config,
  // No rate limit is documented: a modest default that the requests_per_second setting overrides.
  pageSizes: '1000 (none is documented: a server that serves fewer is followed page by page)',
  limits: { api: { title: 'API', requestsPerSecond: 5, documented: false } },

  streams: (_config, settings) => pe365Streams(settings),

  // The Basic credential the key travels in.
  derivedSecrets: (config) => [basicCredentials(config)],

  apis(config, runtime) {
    return {
      api: new ApiClient({
        name: 'Perform & Engage 365 API',
        baseUrl: config.base_url ?? PE365_BASE_URL,
        transport: runtime.transport,
        retry: runtime.retry,
        logger: runtime.logger,
        rateLimit: paceOf(pe365.limits.api, runtime),
        auth: basicAuth(config),
      }),
    };
  },

  /** One user is the cheapest authenticated request every key can make. */
  async check(apis, config) {
    try {
      const response = await apis.api.request({ path: 'users/', query: { limit: 1 } });
      drfResults(response.body);
    } catch (error) {
      throw checkError(error, config.base_url ?? PE365_BASE_URL);
    }
  },
};
