import { rejectedSecret, staticBearer, TokenExchangeAuth } from '../../engine/auth/token-exchange.js';
import { ApiClient } from '../../engine/http/client.js';
import { paceOf, type Vendor } from '../vendor.js';
import type { LeapsomeApis } from './apis.js';
import { LEAPSOME_BASE_URL, LEAPSOME_SCIM_BASE_URL, LeapsomeConfig } from './config.js';
import { leapsomeStreams } from './streams.js';

export const leapsome: Vendor<LeapsomeConfig, LeapsomeApis> = {
  id: 'leapsome',
  title: 'Leapsome',
  config: LeapsomeConfig,
  // Documented: 20 parallel requests per second on the Content API, 30 on SCIM (OpenAPI descriptions).
  pageSizes: '1000 (100 on review cycles and participants, as documented)',
  limits: {
    content: { title: 'Content API', requestsPerSecond: 20, documented: true },
    scim: { title: 'SCIM API', requestsPerSecond: 30, documented: true },
  },

  streams: (config, settings) => leapsomeStreams(config, settings),

  apis(config, runtime) {
    const common = { transport: runtime.transport, retry: runtime.retry, logger: runtime.logger };
    const content = new ApiClient({
      ...common,
      name: 'Leapsome Content API',
      baseUrl: config.base_url ?? LEAPSOME_BASE_URL,
      rateLimit: paceOf(leapsome.limits.content, runtime),
    });
    content.setAuth(
      new TokenExchangeAuth(async () => {
        const response = await content
          .request({ path: '/token', query: { secret: config.api_key }, anonymous: true })
          .catch((error: unknown) => rejectedSecret('Leapsome', 'Content API secret', error));
        const body = response.body as { token?: unknown; expiresIn?: unknown } | null;
        if (typeof body?.token !== 'string') throw new Error('Leapsome /token answered without a token');
        return { token: body.token, expiresIn: Number(body.expiresIn ?? 3600) };
      }, runtime.addSecret),
    );
    const scim = config.scim_token
      ? new ApiClient({
          ...common,
          name: 'Leapsome SCIM API',
          baseUrl: config.scim_base_url ?? LEAPSOME_SCIM_BASE_URL,
          rateLimit: paceOf(leapsome.limits.scim, runtime),
          auth: staticBearer(config.scim_token),
        })
      : undefined;
    return { content, scim };
  },

  async check(apis) {
    await apis.content.request({ path: '/goals', query: { limit: 1 } });
    await apis.scim?.request({ path: '/Users', query: { count: 1 } }).catch((error: unknown) => rejectedSecret('Leapsome', 'SCIM token', error));
  },
};
