import type { Churn } from '../churn.js';
import { ApiFailure, containsFold, intParam, json, must, servedPageSize, type RequestContext } from '../http.js';
import type { Router } from '../router.js';
import { positionAfter, rangeList } from '../table.js';
import type { DataRecord } from '../vendor.js';
import type { LeapsomeData } from './data.js';
import { enumList, filterKey, objectIdList } from './params.js';

const FILTERS = ['userId', 'teamId', 'tagId', 'type', 'state', 'search'] as const;

function goalMatcher(query: URLSearchParams): (goal: DataRecord) => boolean {
  const userIds = objectIdList(query, 'userId');
  const teamIds = objectIdList(query, 'teamId');
  const tagIds = objectIdList(query, 'tagId');
  const types = enumList(query, 'type', ['company', 'team', 'user']);
  const states = enumList(query, 'state', ['live', 'draft', 'archived']);
  const search = query.get('search') || undefined;
  return (goal) => {
    const user = goal['user'] as DataRecord | null;
    const team = goal['team'] as DataRecord | null;
    if (types && !types.includes(goal['type'] as 'user')) return false;
    if (states && !states.includes(goal['status'] as 'live')) return false;
    if (userIds) {
      const users = [user?.['id'], ...(goal['contributors'] as DataRecord[]).map((c) => c['id'])];
      if (!userIds.some((id) => users.includes(id))) return false;
    }
    if (teamIds) {
      const krs = goal['keyResults'] as DataRecord[];
      const teams = [
        team?.['id'],
        ...krs.map((k) => (k['ownerTeam'] as DataRecord)['id']),
        ...krs.flatMap((k) => (k['contributorTeams'] as DataRecord[]).map((t) => t['id'])),
      ];
      if (!teamIds.some((id) => teams.includes(id))) return false;
    }
    if (tagIds) {
      const tags = (goal['tags'] as DataRecord[]).map((t) => t['id']);
      if (!tagIds.every((id) => tags.includes(id))) return false;
    }
    if (
      search &&
      !containsFold(goal['name'] as string, search) &&
      !containsFold(user?.['fullName'] as string, search) &&
      !containsFold(team?.['name'] as string, search)
    ) {
      return false;
    }
    return true;
  };
}

/** `/goals`: cursor pagination. The cursor is the id of the page's last goal; the next page starts after it. */
function listGoals(data: LeapsomeData, ctx: RequestContext, churn: Churn) {
  const { goals } = data.goals;
  const limit = servedPageSize(ctx, must(intParam(ctx.query, 'limit', { min: 1, max: 1000, default: 100 })));
  const cursor = ctx.query.get('cursor') || undefined;
  let after = -1;
  if (cursor !== undefined) {
    if (!/^[0-9a-f]{24}$/.test(cursor)) throw new ApiFailure(400, `"cursor" with value "${cursor}" fails to match the required pattern: /^[0-9a-f]{24}$/`);
    const index = data.world.ids('goal').decode(cursor);
    if (index === undefined) throw new ApiFailure(400, 'Invalid cursor');
    after = index;
  }
  const key = filterKey('goals', ctx.query, FILTERS);
  const matches = goalMatcher(ctx.query);
  const build = () => goals.ordered(key ? data.world.cache.get(key, goals.size, (i) => matches(goals.get(i))) : rangeList(goals.size));
  const rank = (i: number) => goals.rankOf(i);
  // The cursor names a goal: the page starts after it, wherever the goals before it went.
  const list = churn.serve({ table: goals, list: build, changed: () => data.world.cache.clear() }, positionAfter(build(), after, rank));
  const from = positionAfter(list, after, rank);
  const page: DataRecord[] = [];
  for (let p = from; p < Math.min(list.length, from + limit); p++) page.push(goals.get(list.at(p)));
  const more = from + limit < list.length;
  const lastId = page.length > 0 ? String(page[page.length - 1]?.['id']) : null;
  let nextPage: string | null = null;
  if (more && lastId) {
    const params = new URLSearchParams(ctx.query);
    params.delete('cursor');
    params.delete('limit');
    params.append('cursor', lastId);
    params.append('limit', String(limit));
    nextPage = `${ctx.origin}${ctx.prefix}/goals?${params.toString()}`;
  }
  return json(200, { meta: { count: page.length, cursor: more ? lastId : null, nextPage }, data: page }, nextPage ? { 'x-next': nextPage } : {});
}

export function registerGoalRoutes(router: Router, data: LeapsomeData, churn: Churn): void {
  router.get('/goals', (ctx) => listGoals(data, ctx, churn));
  router.get('/goals/tags', () => json(200, [...data.goals.tags.all()]));
  router.get('/goals/:goalId', (_ctx, params) => {
    const i = data.goals.goalIndex(params['goalId'] ?? '');
    if (i === undefined) throw new ApiFailure(404, 'Goal not found');
    return json(200, data.goals.goals.get(i));
  });
  router.get('/goals/:goalId/comments', (_ctx, params) => {
    const i = data.goals.goalIndex(params['goalId'] ?? '');
    if (i === undefined) throw new ApiFailure(404, 'Goal not found');
    return json(200, { data: data.goals.commentsOf(i) });
  });
}
