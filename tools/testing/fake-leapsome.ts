/**
 * Test helper: msw handlers faking the Leapsome Content and SCIM APIs the way their OpenAPI files
 * describe them (six pagination styles, the token exchange, permission-gated endpoints), over a
 * small data set the test can change between two syncs.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';

export const LEAPSOME_URL = 'http://leapsome.test/v1';
export const LEAPSOME_SCIM_URL = 'http://leapsome.test/scim/v1';
export const LEAPSOME_SECRET = 'fake-leapsome-secret-8c1f';
export const LEAPSOME_SCIM_TOKEN = 'fake-scim-token-77ad';

type Row = Record<string, unknown>;

const day = (d: number, hour = 0) => new Date(Date.UTC(2024, 0, d, hour)).toISOString();

export interface LeapsomeData {
  goals: Row[];
  comments: Record<string, Row[]>;
  tags: Row[];
  cycles: Row[];
  participants: Record<string, Row[]>;
  employees: Row[];
  timesheets: Row[];
  payrollCycles: Row[];
  payrollParticipants: Record<string, Row[]>;
  workLocations: Row[];
  absences: Row[];
  feedback: Row[];
  categories: Row[];
  accessRoles: Row[];
  scimUsers: Row[];
  scimGroups: Row[];
}

export function leapsomeData(): LeapsomeData {
  const goals = Array.from({ length: 7 }, (_, i) => ({ id: `goal${i}`, name: `Goal ${i}`, status: 'live', createdAt: day(1), updatedAt: day(i + 1) }));
  const commentCounts = [2, 0, 3, 1, 1, 0, 2];
  const comments = Object.fromEntries(
    goals.map((g, i) => [
      g.id,
      Array.from({ length: commentCounts[i] ?? 0 }, (_, k) => ({ id: `${g.id}-cm${k}`, content: '<p>hi</p>', createdAt: day(2), updatedAt: day(k + 2) })),
    ]),
  );
  const participantCounts = [3, 0, 2];
  const participants: Record<string, Row[]> = {};
  const cycles = participantCounts.map((count, c) => {
    const id = `cycle${c}`;
    participants[id] = Array.from({ length: count }, (_, k) => ({
      _id: `user${c}${k}`,
      reviewee: { user: `user${c}${k}`, name: `User ${c}${k}`, status: 'completed' },
      lastModifiedOn: day(c * 3 + k + 1),
    }));
    return { _id: id, name: `Cycle ${c}`, status: 'ongoing', createdAt: day(1), lastModifiedOn: day(c * 3 + count + 1) };
  });
  const payrollCycles = Array.from({ length: 3 }, (_, i) => ({ id: `pc${i}`, name: `Payroll ${i}`, status: 'open', createdAt: day(1), updatedAt: day(i + 1) }));
  return {
    goals,
    comments,
    tags: [
      { id: 'tag0', name: 'Q1', status: 'active' },
      { id: 'tag1', name: 'Q2', status: 'active' },
    ],
    cycles,
    participants,
    employees: Array.from({ length: 5 }, (_, i) => ({ id: `emp${i}`, email: `e${i}@example.com`, firstname: `E${i}`, status: 'active' })),
    timesheets: Array.from({ length: 5 }, (_, i) => ({ id: `ts${i}`, status: 'closed', hoursWorked: 'PT8H' })),
    payrollCycles,
    payrollParticipants: Object.fromEntries(payrollCycles.map((p, i) => [p.id, Array.from({ length: i }, (_, k) => ({ id: `pp${i}${k}`, name: `P ${k}` }))])),
    workLocations: Array.from({ length: 3 }, (_, i) => ({ id: `wl${i}`, name: `Office ${i}`, status: 'active', updatedAt: day(i + 1) })),
    absences: Array.from({ length: 4 }, (_, i) => ({ _id: `abs${i}`, userId: `emp${i}`, status: 'active', createdAt: day(1), updatedAt: day(i + 1) })),
    feedback: Array.from({ length: 4 }, (_, i) => ({ id: `fb${i}`, type: 'praise', message: 'thanks', createdAt: day(i + 1) })),
    categories: [{ id: 'cat0', name: 'Contracts' }],
    accessRoles: [{ id: 'role0', name: 'Admin', active: true }],
    scimUsers: Array.from({ length: 5 }, (_, i) => ({ id: `su${i}`, userName: `u${i}@example.com`, active: true, meta: { created: day(1), lastModified: day(i + 1) } })),
    scimGroups: Array.from({ length: 2 }, (_, i) => ({ id: `sg${i}`, displayName: `Team ${i}`, meta: { created: day(1), lastModified: day(1) } })),
  };
}

export interface FakeLeapsome {
  handlers: RequestHandler[];
  data: LeapsomeData;
  /** Tokens handed out by /token, in order. */
  issued: string[];
  /** Responses answered 401 because of a missing, unknown or expired token. */
  unauthorized: number;
  /** Lifetime reported by /token (`expiresIn`, seconds); tokens stop working after it. */
  tokenTtlSeconds: number;
  /** Paths (e.g. '/time-tracking/timesheets') answered 403, as when the key lacks a permission. */
  forbidden: Set<string>;
  /** Makes every token issued so far invalid, as an expiry on the vendor's side would. */
  revokeTokens(): void;
}

export function fakeLeapsome(options: { data?: LeapsomeData; tokenTtlSeconds?: number; secret?: string } = {}): FakeLeapsome {
  const tokens = new Map<string, number>();
  const fake: FakeLeapsome = {
    handlers: [],
    data: options.data ?? leapsomeData(),
    issued: [],
    unauthorized: 0,
    tokenTtlSeconds: options.tokenTtlSeconds ?? 18_000,
    forbidden: new Set(),
    revokeTokens: () => tokens.clear(),
  };

  const denied = (request: Request, path: string): Response | undefined => {
    const token = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1];
    const expiresAt = token === undefined ? undefined : tokens.get(token);
    if (expiresAt === undefined || Date.now() >= expiresAt) {
      fake.unauthorized++;
      return HttpResponse.json({ statusCode: 401, error: 'Unauthorized', message: 'Invalid or expired token' }, { status: 401 });
    }
    if (fake.forbidden.has(path)) {
      return HttpResponse.json({ statusCode: 403, error: 'Forbidden', message: 'Missing permission' }, { status: 403 });
    }
    return undefined;
  };

  /** A Content API GET handler behind the bearer check. */
  const get = (path: string, respond: (url: URL, params: Record<string, string>) => Response) =>
    http.get(`${LEAPSOME_URL}${path}`, ({ request, params }) => {
      const url = new URL(request.url);
      return denied(request, path) ?? respond(url, params as Record<string, string>);
    });

  const num = (url: URL, name: string, fallback: number) => Number(url.searchParams.get(name) ?? fallback);
  const pageOf = (rows: Row[], url: URL, first: 0 | 1, defaultSize: number) => {
    const size = num(url, 'pageSize', defaultSize);
    const page = num(url, 'page', first) - first;
    return { rows: rows.slice(page * size, page * size + size), page: page + first, size };
  };
  const offsetOf = (rows: Row[], url: URL) => {
    const offset = num(url, 'offset', 0);
    const limit = num(url, 'limit', 100);
    return HttpResponse.json({ data: rows.slice(offset, offset + limit), meta: { page: Math.floor(offset / limit) + 1, pageSize: limit, totalCount: rows.length } });
  };
  const scimList = (rows: Row[], request: Request) => {
    if (request.headers.get('authorization') !== `Bearer ${LEAPSOME_SCIM_TOKEN}`) {
      return HttpResponse.json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail: 'Invalid token passed', status: '403' }, { status: 403 });
    }
    const url = new URL(request.url);
    const start = num(url, 'startIndex', 1);
    const count = num(url, 'count', 5000);
    const page = rows.slice(start - 1, start - 1 + count);
    return HttpResponse.json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: rows.length, itemsPerPage: page.length, startIndex: start, Resources: page });
  };
  const d = () => fake.data;

  fake.handlers = [
    http.get(`${LEAPSOME_URL}/token`, ({ request }) => {
      const secret = new URL(request.url).searchParams.get('secret');
      if (secret !== (options.secret ?? LEAPSOME_SECRET)) {
        return HttpResponse.json({ statusCode: 401, error: 'Unauthorized', message: 'Invalid secret' }, { status: 401 });
      }
      const token = `jwt-${fake.issued.length + 1}-${Math.random().toString(36).slice(2)}`;
      fake.issued.push(token);
      tokens.set(token, Date.now() + fake.tokenTtlSeconds * 1000);
      return HttpResponse.json({ token, expiresIn: fake.tokenTtlSeconds });
    }),
    get('/goals', (url) => {
      const start = Number(url.searchParams.get('cursor') ?? 0);
      const limit = num(url, 'limit', 100);
      const rows = d().goals.slice(start, start + limit);
      const next = start + limit < d().goals.length ? String(start + limit) : null;
      const nextPage = next && `${LEAPSOME_URL}/goals?cursor=${next}&limit=${limit}`;
      return HttpResponse.json({ data: rows, meta: { count: rows.length, cursor: next, nextPage } }, { headers: nextPage ? { 'X-Next': nextPage } : {} });
    }),
    get('/goals/tags', () => HttpResponse.json(d().tags)),
    get('/goals/:goalId/comments', (_url, { goalId }) => {
      const rows = d().comments[goalId as string];
      return rows ? HttpResponse.json({ data: rows }) : HttpResponse.json({ message: 'Goal not found' }, { status: 404 });
    }),
    get('/reviews', (url) => {
      const after = url.searchParams.get('lastModifiedAfter');
      const cycles = after ? d().cycles.filter((c) => Date.parse(String(c.lastModifiedOn)) > Date.parse(after)) : d().cycles;
      return HttpResponse.json({ data: pageOf(cycles, url, 0, 20).rows });
    }),
    get('/reviews/:cycleId', (_url, { cycleId }) => {
      const cycle = d().cycles.find((c) => c._id === cycleId);
      return cycle ? HttpResponse.json({ data: { _id: cycle._id, name: cycle.name, status: cycle.status, questions: [] } }) : HttpResponse.json({}, { status: 404 });
    }),
    get('/reviews/:cycleId/participants', (url, { cycleId }) => HttpResponse.json({ data: pageOf(d().participants[cycleId as string] ?? [], url, 0, 20).rows })),
    get('/reviews/:cycleId/participants/:userId/overview', (_url, { cycleId, userId }) => {
      const participant = (d().participants[cycleId as string] ?? []).find((p) => p._id === userId);
      return participant
        ? HttpResponse.json({ data: { lastModifiedOn: participant.lastModifiedOn, questions: [], answers: [], users: [] } })
        : HttpResponse.json({}, { status: 404 });
    }),
    get('/employees', (url) => {
      const { rows, page, size } = pageOf(d().employees, url, 1, 100);
      return HttpResponse.json({ data: rows, meta: { page, pageSize: size, totalCount: d().employees.length } });
    }),
    get('/time-tracking/timesheets', (url) => offsetOf(d().timesheets, url)),
    get('/payroll-cycles', (url) => offsetOf(d().payrollCycles, url)),
    get('/payroll-cycles/:id/participants', (url, { id }) => offsetOf(d().payrollParticipants[id as string] ?? [], url)),
    get('/work-locations', (url) => {
      const { rows, page, size } = pageOf(d().workLocations, url, 1, 100);
      return HttpResponse.json({ data: rows, meta: { page, pageSize: size, totalCount: d().workLocations.length } });
    }),
    get('/absences', (url) => HttpResponse.json(pageOf(d().absences, url, 1, 100).rows)),
    get('/feedback', (url) => offsetOf(d().feedback, url)),
    get('/documents/categories', () => HttpResponse.json(d().categories)),
    get('/access-roles', () => HttpResponse.json(d().accessRoles)),
    http.get(`${LEAPSOME_SCIM_URL}/Users`, ({ request }) => scimList(d().scimUsers, request)),
    http.get(`${LEAPSOME_SCIM_URL}/Groups`, ({ request }) => scimList(d().scimGroups, request)),
  ];
  return fake;
}

/** A config for the fake: small pages so every paginated stream spans several, quick retries. */
export function leapsomeConfig(overrides: { platform?: Record<string, unknown> } & Record<string, unknown> = {}): Record<string, unknown> {
  const { platform, ...rest } = overrides;
  return {
    platform: {
      vendor: 'leapsome',
      api_key: LEAPSOME_SECRET,
      base_url: LEAPSOME_URL,
      scim_token: LEAPSOME_SCIM_TOKEN,
      scim_base_url: LEAPSOME_SCIM_URL,
      ...platform,
    },
    page_size: 2,
    requests_per_second: 100,
    retry_base_delay_seconds: 0.001,
    max_retries: 3,
    ...rest,
  };
}
