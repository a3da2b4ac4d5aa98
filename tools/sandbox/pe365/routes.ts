import type { Churn } from '../churn.js';
import { PE365_CREDENTIALS } from './credentials.js';
import { ApiFailure, containsFold, json, type Reply, type RequestContext } from '../http.js';
import { Router } from '../router.js';
import { type FilterCache, rangeList, type IndexList, type Table } from '../table.js';
import { DAY, parseIsoDate, ymd } from '../time.js';
import type { Mount } from '../vendor.js';
import type { Pe365Data } from './data.js';
import { djangoPage, drfError, drfOffset, drfPage } from './drf.js';

export const PE365_PREFIX = '/pe365/api/v2';

/** Filter parameters a list accepts; any other parameter is ignored, as django-filter does. */
type Filters = Record<string, (value: string, i: number) => boolean>;

/** A filtered list ordered by primary key, cached per filter combination. */
function filteredList(cache: FilterCache, stream: string, ctx: RequestContext, size: number, filters: Filters): IndexList {
  const active = Object.keys(filters)
    .filter((k) => (ctx.query.get(k) ?? '') !== '')
    .sort();
  if (active.length === 0) return rangeList(size);
  const key = `${stream}?${active.map((k) => `${k}=${ctx.query.get(k)}`).join('&')}`;
  return cache.get(key, size, (i) => active.every((k) => (filters[k] as Filters[string])(ctx.query.get(k) as string, i)));
}

function boolParam(value: string): boolean {
  if (['true', 'True', '1'].includes(value)) return true;
  if (['false', 'False', '0'].includes(value)) return false;
  throw new ApiFailure(400, JSON.stringify({ is_active: ['Select a valid choice.'] }));
}

/** yyyy-mm-dd, or a 400 shaped like a django-filter form error. */
function dateParam(ctx: RequestContext, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === '') return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? parseIsoDate(raw) : undefined;
  if (ms === undefined) throw new ApiFailure(400, JSON.stringify({ [name]: ['Enter a valid date.'] }));
  return ms;
}

function detail(index: number | undefined, render: (i: number) => unknown): Reply {
  return index === undefined ? drfError(404, 'Not found.') : json(200, render(index));
}

/** An index only if its record exists: deleted records answer 404. */
function existing<T>(table: Table<T>, index: number | undefined): number | undefined {
  return index !== undefined && table.exists(index) ? index : undefined;
}

export function pe365Mount(data: Pe365Data, cache: FilterCache, churn: Churn): Mount<'pe365'> {
  const router = new Router();
  const d = data;
  /** A table's list as churn serves it to this request. */
  const served = <T>(ctx: RequestContext, table: Table<T>, build: () => IndexList): IndexList =>
    churn.serve({ table, list: () => table.ordered(build()), changed: () => cache.clear() }, drfOffset(ctx));
  const user = (i: number) => d.users.get(i);
  const firstDept = (i: number) => d.departmentName(user(i).departments[0] as number);

  router.get('/', (ctx) => {
    const names = ['users', 'departments', 'goals', 'checkins', 'questions', 'recognition', 'conversations', 'conversation_templates', 'conversation_plans'];
    return json(200, Object.fromEntries(names.map((n) => [n, `${ctx.origin}${PE365_PREFIX}/${n}/`])));
  });

  router.get('/users', (ctx) =>
    drfPage(
      ctx,
      served(ctx, d.users, () =>
        filteredList(cache, 'users', ctx, d.users.size, {
          name: (v, i) => containsFold(user(i).name.full, v),
          department_name: (v, i) => user(i).departments.some((dep) => containsFold(d.departmentName(dep), v)),
          manager_name: (v, i) => {
            const m = user(i).manager;
            return m !== undefined && containsFold(user(m).name.full, v);
          },
          is_active: (v, i) => user(i).active === boolParam(v),
        }),
      ),
      (i) => d.user(i),
    ),
  );
  router.get('/users/:id', (_ctx, p) => detail(existing(d.users, d.indexOf('user', p['id'] ?? '', d.users.size)), (i) => d.user(i)));

  router.get('/departments', (ctx) =>
    drfPage(
      ctx,
      served(ctx, d.departments, () => filteredList(cache, 'departments', ctx, d.departments.size, { name: (v, i) => d.departmentName(i) === v })),
      (i) => d.departments.get(i),
    ),
  );
  router.get('/departments/:id', (_ctx, p) =>
    detail(existing(d.departments, d.indexOf('department', p['id'] ?? '', d.departments.size)), (i) => d.departments.get(i)),
  );

  router.get('/goals', (ctx) =>
    drfPage(
      ctx,
      served(ctx, d.goals, () => rangeList(d.goals.size)),
      (i) => d.goals.get(i),
    ),
  );
  router.get('/goals/:id', (_ctx, p) => detail(existing(d.goals, d.indexOf('goal', p['id'] ?? '', d.goals.size)), (i) => d.goals.get(i)));

  router.get('/checkins', (ctx) => {
    const from = dateParam(ctx, 'date_from');
    const to = dateParam(ctx, 'date_to');
    // Generated submissions lie within [deadline − 3 days, deadline + 4 days]; deadlines grow with the index.
    const base = d.checkins.baseCount;
    const touched = new Set(d.checkins.touched());
    const inWindow = (i: number) => {
      if (i < base && !touched.has(i)) {
        const deadline = d.checkinDeadlineMs(i);
        if ((from !== undefined && deadline + 4 * DAY < from) || (to !== undefined && deadline - 3 * DAY > to)) return false;
      }
      const s = d.checkins.get(i).submissionMs;
      if (s === null) return false;
      const day = Date.parse(ymd(s));
      return (from === undefined || day >= from) && (to === undefined || day <= to);
    };
    const person = (i: number) => user(d.checkins.get(i).person);
    const manager = (i: number) => {
      const m = person(i).manager;
      return m === undefined ? undefined : user(m);
    };
    const list = served(ctx, d.checkins, () =>
      filteredList(cache, 'checkins', ctx, d.checkins.size, {
        date_from: (_v, i) => inWindow(i),
        date_to: (_v, i) => inWindow(i),
        department: (v, i) => firstDept(d.checkins.get(i).person) === v,
        manager_email: (v, i) => manager(i)?.email === v,
        manager_name: (v, i) => manager(i)?.name.full === v,
        person_email: (v, i) => person(i).email === v,
        person_name: (v, i) => person(i).name.full === v,
      }),
    );
    return drfPage(ctx, list, (i) => d.checkin(i));
  });
  router.get('/checkins/:id', (_ctx, p) => detail(existing(d.checkins, d.indexOf('checkin', p['id'] ?? '', d.checkins.size)), (i) => d.checkin(i)));

  router.get('/questions', (ctx) =>
    drfPage(
      ctx,
      served(ctx, d.questions, () => rangeList(d.questions.size)),
      (i) => d.questions.get(i),
    ),
  );
  router.get('/questions/:id', (_ctx, p) => detail(existing(d.questions, d.indexOf('question', p['id'] ?? '', d.questions.size)), (i) => d.questions.get(i)));
  router.get('/questions/:id/responses', (ctx, p) => {
    const q = existing(d.questions, d.indexOf('question', p['id'] ?? '', d.questions.size));
    if (q === undefined) return drfError(404, 'Not found.');
    return drfPage(ctx, rangeList(d.responses.count(q)), (r) => d.responses.get(q, r));
  });
  router.get('/questions/:id/responses/:rid', (_ctx, p) => {
    const q = d.indexOf('question', p['id'] ?? '', d.questions.size);
    const r = q === undefined ? undefined : d.responseIndex(q, p['rid'] ?? '');
    return r === undefined ? drfError(404, 'Not found.') : json(200, d.responses.get(q as number, r));
  });

  router.get('/recognition', (ctx) => {
    const slots = cache.remember('recognition', () => {
      const out: number[] = [];
      for (let q = 0; q < d.questions.size; q++) {
        if (d.questions.isDeleted(q) || !d.isRecognitionQuestion(q)) continue;
        for (let r = 0; r < d.responses.count(q); r++) out.push(q * 64 + r);
      }
      return out;
    });
    const rec = (slot: number) => d.recognition(Math.floor(slot / 64), slot % 64);
    const filters: Filters = {
      author_email: (v, p) => rec(slots.at(p))['author_email'] === v,
      author_name: (v, p) => rec(slots.at(p))['author_name'] === v,
      mentioned_email: (v, p) => rec(slots.at(p))['mentioned_email'] === v,
      mentioned_name: (v, p) => rec(slots.at(p))['mentioned_name'] === v,
    };
    const positions = filteredList(cache, 'recognition', ctx, slots.length, filters);
    return drfPage(ctx, positions, (p) => rec(slots.at(p)));
  });
  router.get('/recognition/:id', (_ctx, p) => {
    const slot = d.recognitionSlot(p['id'] ?? '');
    return slot ? json(200, d.recognition(slot[0], slot[1])) : drfError(404, 'Not found.');
  });

  router.get('/conversations', (ctx) => {
    const c = (i: number) => d.conversations.get(i);
    return drfPage(
      ctx,
      served(ctx, d.conversations, () =>
        filteredList(cache, 'conversations', ctx, d.conversations.size, {
          person_name: (v, i) => c(i)['person_name'] === v,
          plan_name: (v, i) => c(i)['plan_name'] === v,
          template_name: (v, i) => c(i)['template_name'] === v,
          status: (v, i) => c(i)['status'] === v,
        }),
      ),
      c,
    );
  });
  router.get('/conversations/:id', (_ctx, p) =>
    detail(existing(d.conversations, d.indexOf('conversation', p['id'] ?? '', d.conversations.size)), (i) => d.conversations.get(i)),
  );

  router.get('/conversation_templates', (ctx) => {
    const t = (i: number) => d.templates.get(i);
    return drfPage(
      ctx,
      served(ctx, d.templates, () =>
        filteredList(cache, 'templates', ctx, d.templates.size, {
          name: (v, i) => t(i)['name'] === v,
          name_icontains: (v, i) => containsFold(String(t(i)['name']), v),
        }),
      ),
      t,
    );
  });
  router.get('/conversation_templates/:id', (_ctx, p) =>
    detail(existing(d.templates, d.indexOf('template', p['id'] ?? '', d.templates.size)), (i) => d.templates.get(i)),
  );

  router.get('/conversation_plans', (ctx) => {
    const pl = (i: number) => d.plans.get(i);
    return drfPage(
      ctx,
      served(ctx, d.plans, () =>
        filteredList(cache, 'plans', ctx, d.plans.size, {
          name: (v, i) => pl(i)['name'] === v,
          template_name: (v, i) => pl(i)['template_name'] === v,
        }),
      ),
      pl,
    );
  });
  router.get('/conversation_plans/:id', (_ctx, p) => detail(existing(d.plans, d.indexOf('plan', p['id'] ?? '', d.plans.size)), (i) => d.plans.get(i)));

  return {
    name: 'pe365',
    prefix: PE365_PREFIX,
    rateLimited: true,
    error: (status, message, wait = 1) =>
      status === 500
        ? djangoPage(500)
        : status === 429
          ? drfError(429, `Request was throttled. Expected available in ${wait} second${wait === 1 ? '' : 's'}.`)
          : drfError(status, message),
    handle: async (ctx) => {
      const match = router.match(ctx.method, ctx.path);
      if (match.kind === 'not-found') return djangoPage(404);
      // Django's APPEND_SLASH: a known path without its trailing slash is redirected, before any auth.
      if (!ctx.path.endsWith('/')) {
        return {
          status: 301,
          headers: { location: `${ctx.prefix}${ctx.path}/${ctx.rawQuery ? `?${ctx.rawQuery}` : ''}`, 'content-type': 'text/html; charset=utf-8' },
          body: '',
        };
      }
      const denied = authenticate(ctx.headers.authorization);
      if (denied) return denied;
      if (match.kind === 'method-not-allowed') return drfError(405, `Method "${ctx.method}" not allowed.`);
      try {
        return await match.handler(ctx, match.params);
      } catch (e) {
        if (e instanceof ApiFailure) return json(e.status, JSON.parse(e.message));
        throw e;
      }
    },
  };
}

/** DRF BasicAuthentication, with its exact messages. */
function authenticate(header: string | undefined): Reply | undefined {
  const challenge = { 'www-authenticate': 'Basic realm="api"' };
  if (!header) return drfError(401, 'Authentication credentials were not provided.', challenge);
  const m = /^Basic\s+(\S*)\s*$/i.exec(header);
  if (!m) return drfError(401, 'Authentication credentials were not provided.', challenge);
  if (!m[1]) return drfError(401, 'Invalid basic header. No credentials provided.', challenge);
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return drfError(401, 'Invalid basic header. Credentials not correctly base64 encoded.', challenge);
  const { username, apiKey } = PE365_CREDENTIALS;
  if (decoded.slice(0, colon) !== username || decoded.slice(colon + 1) !== apiKey) return drfError(401, 'Invalid username/password.', challenge);
  return undefined;
}
