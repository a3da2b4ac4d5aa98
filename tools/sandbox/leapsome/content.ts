import type { Churn } from '../churn.js';
import { LEAPSOME_CREDENTIALS } from './credentials.js';
import { ApiFailure, json, type Reply, type RequestContext } from '../http.js';
import { Router } from '../router.js';
import type { Mount } from '../vendor.js';
import { bearerToken, TokenIssuer } from './auth.js';
import type { LeapsomeData } from './data.js';
import { leapsomeError } from './errors.js';
import type { ResolvedLeapsome } from './options.js';
import { registerGoalRoutes } from './routes-goals.js';
import { registerHrRoutes } from './routes-hr.js';
import { registerReviewRoutes } from './routes-reviews.js';

export const LEAPSOME_PREFIX = '/leapsome/v1';

/** The Content API: `/token` exchange, then Bearer JWTs on every other endpoint. */
export function leapsomeContentMount(data: LeapsomeData, seed: number, options: ResolvedLeapsome, churn: Churn): Mount<'leapsome'> {
  const tokens = new TokenIssuer(seed, data.world.ids('account').make(0, Date.UTC(2017, 0, 1)));
  const router = new Router();
  router.get('/', () => json(200, { name: 'Leapsome API', version: '1.0.1' }));
  router.get('/token', (ctx) => {
    const secret = ctx.query.get('secret');
    if (secret !== LEAPSOME_CREDENTIALS.apiKey) {
      return leapsomeError(401, secret ? 'Invalid API secret' : 'Missing API secret');
    }
    return json(200, { token: tokens.issue(ctx.now, options.tokenTtlSeconds), expiresIn: options.tokenTtlSeconds });
  });
  registerGoalRoutes(router, data, churn);
  registerReviewRoutes(router, data, options.reviewsMaxPageSize, churn);
  registerHrRoutes(router, data, options.forbidden, churn);

  const authorize = (ctx: RequestContext): Reply | undefined => {
    const header = ctx.headers.authorization;
    if (!header) return leapsomeError(401, 'No authorization token was found', { 'www-authenticate': 'Bearer' });
    const token = bearerToken(header);
    const problem = token === undefined ? 'Format is Authorization: Bearer [token]' : tokens.verify(token, ctx.now);
    return problem ? leapsomeError(401, problem, { 'www-authenticate': 'Bearer error="invalid_token"' }) : undefined;
  };

  return {
    name: 'leapsome',
    prefix: LEAPSOME_PREFIX,
    rateLimited: true,
    error: (status, message) => leapsomeError(status, message),
    handle: async (ctx) => {
      const open = ctx.path === '/' || ctx.path === '' || ctx.path === '/token';
      const denied = open ? undefined : authorize(ctx);
      if (denied) return denied;
      const match = router.match(ctx.method, ctx.path);
      if (match.kind !== 'found') return leapsomeError(404, `Cannot ${ctx.method} ${LEAPSOME_PREFIX}${ctx.path}`);
      try {
        return await match.handler(ctx, match.params);
      } catch (e) {
        if (e instanceof ApiFailure) return leapsomeError(e.status, e.message);
        throw e;
      }
    },
  };
}
