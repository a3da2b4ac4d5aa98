import { staticBearer } from '../../engine/auth/token-exchange.js';
import { ConnectorError, HttpError, NetworkError } from '../../engine/errors.js';
import { paceOf, type Vendor } from '../vendor.js';
import type { LeanmoteApis } from './apis.js';
import { LeanmoteClient } from './client.js';
import { LEANMOTE_BASE_URL, LeanmoteConfig } from './config.js';
import { envelopeData } from './envelope.js';
import { leanmoteStreams } from './streams.js';

export const leanmote: Vendor<LeanmoteConfig, LeanmoteApis> = {
  id: 'leanmote',
  title: 'Leanmote',
  config: LeanmoteConfig,
  pageSizes: '100, as documented',
  // Documented: 1000 requests an hour, in bursts of up to 100 a minute. No rate per second is
  // documented: 5 spreads a minute's burst over 20 seconds. The headers report the hour alone, so a
  // tenth of the minute is left to other clients of the account (90 a minute: the hour, not the
  // minute, bounds a long sync). requests_per_second, when set, is the whole of our own pace; the
  // server's rate-limit headers still hold it to the hourly quota.
  limits: { api: { title: 'API', requestsPerSecond: 5, perMinute: 100, perHour: 1000, minuteHeadroom: 0.1, documented: true } },

  streams: (_config, settings) => leanmoteStreams(settings),

  apis(config, runtime) {
    return {
      api: new LeanmoteClient({
        name: 'Leanmote API',
        baseUrl: config.base_url ?? LEANMOTE_BASE_URL,
        transport: runtime.transport,
        retry: runtime.retry,
        logger: runtime.logger,
        rateLimit: paceOf(leanmote.limits.api, runtime),
        // The server's own count of the quota, which it may share with other clients of the account.
        quotaHeaders: {
          limit: 'x-ratelimit-limit',
          remaining: 'x-ratelimit-remaining',
          reset: 'x-ratelimit-reset',
          resetUnit: 'epoch-seconds',
          slidingWindowMs: 3_600_000,
        },
        auth: staticBearer(config.api_key),
      }),
    };
  },

  /**
   * One user is the cheapest authenticated request. A 403 proves the token was accepted (its user may
   * not list users, which fails that stream alone); anything but the envelope fails the check.
   */
  async check(apis, config) {
    const baseUrl = config.base_url ?? LEANMOTE_BASE_URL;
    try {
      const response = await apis.api.request({ path: '/users', query: { per_page: 1 } });
      envelopeData(response.body);
    } catch (error) {
      const http = error instanceof ConnectorError && error.cause instanceof HttpError ? error.cause : undefined;
      if (http?.status === 403) {
        apis.api.options.logger.warn(`${(error as Error).message} The token was accepted; the users stream will fail unless its user may list users.`);
        return;
      }
      if (http?.status === 404) {
        throw new ConnectorError(
          `Leanmote has no API at the base URL ${baseUrl} (HTTP 404 on GET /users). It must be ${LEANMOTE_BASE_URL}, or a proxy of it.`,
          'config_error',
          {
            cause: error,
          },
        );
      }
      if (error instanceof NetworkError) {
        throw new ConnectorError(`Could not reach Leanmote at the base URL ${baseUrl} (${error.reason}).`, 'config_error', { cause: error });
      }
      throw error;
    }
  },
};
