import type { Churn } from '../churn.js';
import { LEAPSOME_CREDENTIALS } from './credentials.js';
import { ApiFailure, json, servedPageSize, type RequestContext } from '../http.js';
import { Router } from '../router.js';
import { rangeList, type IndexList, type Table } from '../table.js';
import type { DataRecord, Mount } from '../vendor.js';
import { bearerToken } from './auth.js';
import type { LeapsomeData } from './data.js';
import { scimError } from './errors.js';
import { inScim, scimGroup, scimUser } from './people.js';

export const SCIM_PREFIX = '/leapsome/scim/v1';
const LIST_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';

/** `attr eq "value"` (quotes optional, as the spec's own example omits them). */
function parseFilter(ctx: RequestContext, attribute: string): string | undefined {
  const raw = ctx.query.get('filter');
  if (raw === null || raw.trim() === '') return undefined;
  const m = /^\s*(\w+)\s+eq\s+(?:"([^"]*)"|(\S+))\s*$/i.exec(raw);
  if (!m || m[1]?.toLowerCase() !== attribute.toLowerCase()) {
    throw new ApiFailure(400, `Unsupported filter: only '${attribute} eq "value"' is supported`);
  }
  return m[2] ?? m[3] ?? '';
}

function intOr(ctx: RequestContext, name: string, fallback: number): number {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d+$/.test(raw)) throw new ApiFailure(400, `${name} must be an integer`);
  return Number(raw);
}

/**
 * RFC 7644 list paging: `startIndex` from 1 (values below 1 count as 1), `count` clamped to the
 * documented maximum, `itemsPerPage` the number actually returned.
 */
function listResponse<T>(
  ctx: RequestContext,
  churned: { churn: Churn; table: Table<T>; changed(): void },
  build: () => IndexList,
  max: number,
  defaultCount: (list: IndexList) => number,
  render: (i: number) => DataRecord,
) {
  const startIndex = Math.max(1, intOr(ctx, 'startIndex', 1));
  const { churn, table, changed } = churned;
  const list = churn.serve({ table, list: () => table.ordered(build()), changed }, startIndex - 1);
  const count = servedPageSize(ctx, Math.min(max, Math.max(0, intOr(ctx, 'count', defaultCount(list)))));
  const rows: DataRecord[] = [];
  for (let p = startIndex - 1; p < Math.min(list.length, startIndex - 1 + count); p++) rows.push(render(list.at(p)));
  return json(200, { schemas: [LIST_RESPONSE], totalResults: list.length, itemsPerPage: rows.length, startIndex, Resources: rows });
}

/**
 * SCIM with its static token. As the SCIM spec documents, a missing token is 401 but a wrong one is
 * 403 ("Invalid token passed").
 */
export function leapsomeScimMount(data: LeapsomeData, selfUrl: () => string, churn: Churn): Mount<'scim'> {
  const { world } = data;
  const changed = () => world.cache.clear();
  const base = () => `${selfUrl()}${SCIM_PREFIX}`;
  const router = new Router();
  router.get('/Users', (ctx) => {
    const userName = parseFilter(ctx, 'userName');
    const key = userName === undefined ? 'scim-users' : `scim-users?userName=${userName.toLowerCase()}`;
    const list = () =>
      world.cache.get(key, world.people.size, (i) => {
        const p = world.person(i);
        return inScim(p) && (userName === undefined || p.email.toLowerCase() === userName.toLowerCase());
      });
    return listResponse(
      ctx,
      { churn, table: world.people, changed },
      list,
      5000,
      () => 5000,
      (i) => scimUser(world, i, base()),
    );
  });
  router.get('/Users/:userId', (_ctx, params) => {
    const id = params['userId'] ?? '';
    let i = world.userIndex(id);
    if (i === undefined) {
      // Documented fallback: an id that is not a Leapsome id is tried as an externalId.
      for (let k = 0; k < world.people.size && i === undefined; k++) if (world.person(k).externalId === id) i = k;
    }
    if (i === undefined || world.people.isDeleted(i) || !inScim(world.person(i))) throw new ApiFailure(404, 'Resource not found');
    return json(200, scimUser(world, i, base()));
  });
  router.get('/Groups', (ctx) => {
    const displayName = parseFilter(ctx, 'displayName');
    const list = () =>
      displayName === undefined
        ? rangeList(world.teams.size)
        : world.cache.get(`scim-groups?displayName=${displayName}`, world.teams.size, (t) => world.teams.get(t).name === displayName);
    return listResponse(
      ctx,
      { churn, table: world.teams, changed },
      list,
      1000,
      (served) => served.length,
      (t) => scimGroup(world, t, base()),
    );
  });
  router.get('/Groups/:groupId', (_ctx, params) => {
    const id = params['groupId'] ?? '';
    let t = world.teamIndex(id);
    if (t === undefined) {
      for (let k = 0; k < world.teams.size && t === undefined; k++) if (world.teams.get(k).externalId === id) t = k;
    }
    if (t === undefined || world.teams.isDeleted(t)) throw new ApiFailure(404, 'Resource not found');
    return json(200, scimGroup(world, t, base()));
  });
  router.get('/ServiceProviderConfig', () =>
    json(200, {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      documentationUrl: 'https://leapsome.zendesk.com/hc/en-us/articles/8759199332765',
      patch: { supported: true },
      bulk: { supported: false },
      filter: { supported: true, maxResults: 5000 },
      changePassword: { supported: false },
      sort: { supported: false },
      etag: { supported: false },
      authenticationSchemes: {
        name: 'OAuth Bearer Token',
        description: 'Authentication with the SCIM token generated in Leapsome',
        specUrl: 'https://www.rfc-editor.org/rfc/rfc6750',
        documentationUrl: 'https://leapsome.zendesk.com/hc/en-us/articles/8759199332765',
      },
    }),
  );

  return {
    name: 'scim',
    prefix: SCIM_PREFIX,
    rateLimited: true,
    error: (status, message) => scimError(status, message),
    handle: async (ctx) => {
      const header = ctx.headers.authorization;
      if (!header) return scimError(401, 'Client is not sufficiently authorized');
      if (bearerToken(header) !== LEAPSOME_CREDENTIALS.scimToken) return scimError(403, 'Invalid token passed');
      const match = router.match(ctx.method, ctx.path);
      if (match.kind === 'method-not-allowed') return scimError(405, `Method ${ctx.method} not allowed`);
      if (match.kind === 'not-found') return scimError(404, 'Resource not found');
      try {
        return await match.handler(ctx, match.params);
      } catch (e) {
        if (e instanceof ApiFailure) return scimError(e.status, e.message, e.status === 400 ? 'invalidFilter' : undefined);
        throw e;
      }
    },
  };
}
