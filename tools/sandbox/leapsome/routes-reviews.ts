import type { Churn } from '../churn.js';
import { ApiFailure, containsFold, intParam, json, must, servedPageSize, type RequestContext } from '../http.js';
import { arrayList } from '../table.js';
import type { Router } from '../router.js';
import { ANCHOR_MS } from '../time.js';
import { REVIEW_TEMPLATES } from './pools.js';
import type { LeapsomeData } from './data.js';
import { dateParam, enumParam, filterKey } from './params.js';
import { ONGOING, type Cycle } from './reviews.js';

const FILTERS = ['filter', 'template', 'name', 'templateName', 'conversationDeadlineAfter', 'lastModifiedAfter'] as const;

/** Page size of the review endpoints: no documented maximum, so an undocumented cap applies silently. */
function pageSize(ctx: RequestContext, cap: number): number {
  const size = must(intParam(ctx.query, 'pageSize', { min: 1, default: 20 }));
  return servedPageSize(ctx, cap > 0 ? Math.min(size, cap) : size);
}

function cycleMatcher(data: LeapsomeData, query: URLSearchParams): (c: number) => boolean {
  const { reviews } = data;
  const filter = enumParam(query, 'filter', ['all', 'draft', 'upcoming', 'ongoing', 'complete', 'templates']);
  const template = query.get('template') || undefined;
  const name = query.get('name') || undefined;
  const templateName = query.get('templateName') || undefined;
  const deadlineAfter = dateParam(query, 'conversationDeadlineAfter');
  const modifiedAfter = dateParam(query, 'lastModifiedAfter');
  return (c) => {
    const cycle: Cycle = reviews.cycles.get(c);
    if (filter === 'draft' && cycle.status !== 'draft') return false;
    if (filter === 'upcoming' && cycle.status !== 'new') return false;
    if (filter === 'ongoing' && !ONGOING.has(cycle.status)) return false;
    if (filter === 'complete' && cycle.status !== 'complete') return false;
    if (template && reviews.templateId(cycle.template) !== template) return false;
    if (name && !containsFold(cycle.name, name)) return false;
    if (templateName && !containsFold(REVIEW_TEMPLATES[cycle.template], templateName)) return false;
    if (deadlineAfter !== undefined && !(cycle.timeline.conversations > deadlineAfter)) return false;
    if (modifiedAfter !== undefined && !(reviews.cycleLastModifiedMs(c) > modifiedAfter)) return false;
    return true;
  };
}

/** `/reviews`: pages from 0, `{data}` only, no total and no next link. Default order is creation order. */
function listReviews(data: LeapsomeData, ctx: RequestContext, cap: number, churn: Churn) {
  const { reviews, world } = data;
  const page = must(intParam(ctx.query, 'page', { min: 0, default: 0 }));
  const size = pageSize(ctx, cap);
  const sort = ctx.query.get('sort');
  if (ctx.query.get('filter') === 'templates') {
    const name = ctx.query.get('name') || undefined;
    const all = REVIEW_TEMPLATES.map((_, t) => reviews.templateItem(t)).filter((t) => !name || containsFold(String(t['name']), name));
    return json(200, { data: all.slice(page * size, page * size + size) });
  }
  const matches = cycleMatcher(data, ctx.query);
  const modifiedAfter = dateParam(ctx.query, 'lastModifiedAfter');
  const build = () => {
    if (modifiedAfter !== undefined && modifiedAfter >= ANCHOR_MS) {
      // Nothing generated changed after the anchor: only cycles touched by mutations can match.
      return reviews.cycles.ordered(arrayList([...reviews.touchedCycles].sort((a, b) => a - b).filter(matches)));
    }
    const key = filterKey('reviews', ctx.query, FILTERS);
    const list = key ? world.cache.get(key, reviews.cycles.size, matches) : undefined;
    return reviews.cycles.ordered(list ?? arrayList(Array.from({ length: reviews.cycles.size }, (_, c) => c)));
  };
  const list = churn.serve({ table: reviews.cycles, list: build, changed: () => world.cache.clear() }, page * size);
  const indexes = Array.from({ length: list.length }, (_, p) => list.at(p));
  if (sort === 'creationDate' || sort === 'kickoffDate') {
    const at = (c: number) => (sort === 'creationDate' ? reviews.cycles.get(c).createdMs : reviews.cycles.get(c).kickoffMs);
    indexes.sort((a, b) => at(b) - at(a) || b - a);
  }
  return json(200, { data: indexes.slice(page * size, page * size + size).map((c) => reviews.listItem(c)) });
}

function cycleOf(data: LeapsomeData, id: string | undefined): number {
  const c = data.reviews.cycleIndex(id ?? '');
  if (c === undefined) throw new ApiFailure(404, 'Review cycle not found');
  return c;
}

export function registerReviewRoutes(router: Router, data: LeapsomeData, pageSizeCap: number, churn: Churn): void {
  router.get('/reviews', (ctx) => listReviews(data, ctx, pageSizeCap, churn));
  router.get('/reviews/:cycleId', (_ctx, params) => json(200, { data: data.reviews.detail(cycleOf(data, params['cycleId'])), __v2: true }));
  router.get('/reviews/:cycleId/participants', (ctx, params) => {
    const c = cycleOf(data, params['cycleId']);
    const page = must(intParam(ctx.query, 'page', { min: 0, default: 0 }));
    const size = pageSize(ctx, pageSizeCap);
    const total = data.reviews.participants.count(c);
    const rows = [];
    for (let k = page * size; k < Math.min(total, page * size + size); k++) rows.push(data.reviews.participants.get(c, k));
    const more = (page + 1) * size < total;
    const next = `${ctx.origin}${ctx.prefix}/reviews/${params['cycleId']}/participants?page=${page + 1}&pageSize=${size}`;
    return json(200, { data: rows, __v2: true }, more ? { 'x-next': next } : {});
  });
  router.get('/reviews/:cycleId/participants/:userId/overview', (_ctx, params) => {
    const c = cycleOf(data, params['cycleId']);
    const k = data.reviews.participantPosition(c, params['userId'] ?? '');
    if (k === undefined) throw new ApiFailure(404, 'Participant not found');
    return json(200, { data: data.reviews.overview(c, k), __v2: true });
  });
}
