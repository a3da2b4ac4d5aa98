/**
 * The feedback streams and the vendor's check/discover, through the connector's own `run` with its
 * HTTP routed into msw: the fake API below behaves as Reflektive documents (strict `created_after`
 * defaulting to one day ago, `created_before` defaulting to now, 200 per page, malformed `links.next`,
 * no `links` for one page).
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mswTransport } from '../../../tools/testing/engine/msw.js';
import { Files, runInProcess, type ConnectorOutput } from '../../../tools/testing/harness.js';

const BASE = 'http://reflektive.test';
const KEY = 'refl-secret-key-123';
const DAY = 86_400;
const NOW = Math.floor(Date.now() / 1000);

interface Item {
  uuid: string;
  sec: number;
}

let items: Item[] = [];
let requests: URL[] = [];
let links: 'malformed' | 'none' | 'next-forever' = 'malformed';

const rubyInt = (value: string | null) => (value === null || value === '' ? undefined : Number(/^\s*(\d+)/.exec(value)?.[1] ?? 0));

function listFeedback(version: 1 | 2) {
  return http.get(`${BASE}/v${version}/real-time-feedback`, ({ request }) => {
    const url = new URL(request.url);
    requests.push(url);
    if (request.headers.get('authorization') !== `Token token=${KEY}`) return HttpResponse.json({ error: 'HTTP Token: Access denied.' }, { status: 401 });
    const after = rubyInt(url.searchParams.get('created_after')) ?? NOW - DAY;
    const before = rubyInt(url.searchParams.get('created_before')) ?? NOW;
    const page = rubyInt(url.searchParams.get('page')) ?? 1;
    const list = items.filter((i) => i.sec > after && i.sec <= before).sort((a, b) => a.sec - b.sec);
    const data = list.slice((page - 1) * 200, page * 200).map((i) => ({
      uuid: i.uuid,
      sender: { uuid: 's', email: 's@example.com', name: 'S', photo: null },
      ...(version === 1 ? { recipient: { uuid: 'r', email: 'r@example.com', name: 'R' } } : { recipients: [{ uuid: 'r', email: 'r@example.com', name: 'R' }] }),
      content: 'Most impressive.',
      created_at: new Date(i.sec * 1000).toISOString().replace('.000Z', 'Z'),
    }));
    const last = Math.max(1, Math.ceil(list.length / 200));
    if (links === 'none' || list.length <= 200) return HttpResponse.json({ data });
    const self = `/v${version}/real-time-feedback?created_after=${url.searchParams.get('created_after')}`;
    return HttpResponse.json({
      links: {
        self,
        ...(page < last || links === 'next-forever' ? { next: `${self}?page=${page + 1}` } : {}),
        last: `${self}?page=${last}`,
      },
      data,
    });
  });
}

const server = setupServer(listFeedback(1), listFeedback(2));
const files = new Files();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  requests = [];
  links = 'malformed';
});
afterAll(() => {
  server.close();
  files.dispose();
});

function connector(
  command: 'spec' | 'check' | 'discover' | 'read',
  options: { platform?: Record<string, unknown>; top?: Record<string, unknown>; catalog?: unknown; state?: unknown } = {},
) {
  const config = {
    platform: { vendor: 'reflektive', api_key: KEY, base_url: BASE, ...options.platform },
    requests_per_second: 100,
    retry_base_delay_seconds: 0.001,
    ...options.top,
  };
  return runInProcess(files.argv(command, { config, catalog: options.catalog, state: options.state }), { transport: mswTransport });
}

function catalogOf(stream: string, mode: 'full_refresh' | 'incremental') {
  return {
    streams: [
      {
        stream: { name: stream, json_schema: {}, supported_sync_modes: ['full_refresh', 'incremental'] },
        sync_mode: mode,
        destination_sync_mode: 'append',
        ...(mode === 'incremental' ? { cursor_field: ['created_at'] } : {}),
      },
    ],
  };
}

const uuids = (result: ConnectorOutput) => result.records().map((r) => r.uuid);
/** The window a request asked for: `created_after`–`created_before` (open when there is none), with its page. */
const windowsAsked = () =>
  requests.map(
    (url) =>
      `${url.searchParams.get('created_after')}–${url.searchParams.get('created_before') ?? ''}${url.searchParams.has('page') ? ` p${url.searchParams.get('page')}` : ''}`,
  );
const finalState = (result: ConnectorOutput) => result.states().at(-1)!.stream!.stream_state as Record<string, unknown>;
const pagesAsked = () => requests.map((url) => url.searchParams.get('page'));
const iso = (sec: number) => new Date(sec * 1000).toISOString();

/** `count` items a day apart, ending `endDaysAgo` days ago: all older than the server's one-day default. */
function history(count: number, endDaysAgo = 2): Item[] {
  return Array.from({ length: count }, (_, i) => ({ uuid: `f-${i}`, sec: NOW - (endDaysAgo + count - i) * DAY }));
}

describe('real-time feedback: created_after and time windows', () => {
  for (const stream of ['real_time_feedback_v1', 'real_time_feedback_v2']) {
    it(`${stream}: a full refresh asks from created_after=0 and reads all history once, in time windows that each fit in one page`, async () => {
      items = history(450);
      const result = await connector('read', { catalog: catalogOf(stream, 'full_refresh') });
      expect(result.code).toBe(0);
      expect([...uuids(result)].sort()).toEqual(items.map((i) => i.uuid).sort());
      expect(uuids(result)).toHaveLength(450);
      const asked = windowsAsked();
      // First everything (too much for one page: left out), then windows from 0; the last one open.
      expect(asked[0]).toBe('0–');
      expect(asked.at(-1)).toMatch(/–$/);
      expect(asked.slice(1, -1).every((w) => /^\d+–\d+$/.test(w))).toBe(true);
      // Built from our own parameters: never the malformed link's `created_after=0?page=2`, and no page number.
      expect(pagesAsked().every((page) => page === null)).toBe(true);
      // Windows sized on what the one before held: not many more requests than pages.
      expect(requests.length).toBeLessThanOrEqual(12);
    });
  }

  it('each window starts one second before the end of the last one, so that no second falls between two; a record both bring is delivered once', async () => {
    // Two records in every second, and more seconds than a page holds.
    items = Array.from({ length: 420 }, (_, i) => ({ uuid: `f-${i}`, sec: NOW - 10 * DAY + Math.floor(i / 2) }));
    const result = await connector('read', { catalog: catalogOf('real_time_feedback_v2', 'full_refresh') });
    expect([...uuids(result)].sort()).toEqual(items.map((i) => i.uuid).sort());
    expect(uuids(result)).toHaveLength(420);
    const windows = requests
      .slice(1)
      .map((url) => [Number(url.searchParams.get('created_after')), Number(url.searchParams.get('created_before') ?? Infinity)] as const);
    for (let k = 1; k < windows.length; k++) {
      const [after] = windows[k] as readonly [number, number];
      const [previousAfter, previousBefore] = windows[k - 1] as readonly [number, number];
      // The same start (a window narrowed), or one second before the end of the one before.
      expect([previousAfter, previousBefore - 1], `window ${k}`).toContain(after);
    }
  });

  it('loses nothing when feedback is deleted between two requests, whatever the page it was on', async () => {
    items = history(450);
    let deleted = 0;
    server.use(
      http.get(`${BASE}/v2/real-time-feedback`, () => {
        // Before every request but the first, one item near the start of the history goes.
        if (requests.length > 0) items.splice(deleted++ * 3, 1);
        return undefined;
      }),
    );
    const before = new Set(items.map((i) => i.uuid));
    const result = await connector('read', { catalog: catalogOf('real_time_feedback_v2', 'full_refresh') });
    const read = new Set(uuids(result));
    expect(items.filter((i) => before.has(i.uuid) && !read.has(i.uuid)).map((i) => i.uuid)).toEqual([]);
    expect(deleted).toBeGreaterThan(3);
  });

  it('a start date becomes created_after one second before it; nothing older is emitted', async () => {
    items = history(300);
    const start = items[120]!.sec;
    const result = await connector('read', { top: { start_date: iso(start) }, catalog: catalogOf('real_time_feedback_v2', 'full_refresh') });
    expect(uuids(result)).toEqual(items.slice(120).map((i) => i.uuid));
    expect(new Set(requests.map((url) => url.searchParams.get('created_after')))).toEqual(new Set([String(start - 1)]));
  });

  it('a response without links is the only page, even with 200 records', async () => {
    items = history(200);
    links = 'none';
    const result = await connector('read', { catalog: catalogOf('real_time_feedback_v2', 'full_refresh') });
    expect(uuids(result)).toHaveLength(200);
    expect(requests).toHaveLength(1);
  });

  it('reads a window too narrow to narrow that holds more than a page by pages, and stops at links.last even when the server keeps offering a next page', async () => {
    // 401 items in one second.
    items = Array.from({ length: 401 }, (_, i) => ({ uuid: `f-${i}`, sec: NOW - 5 * DAY }));
    links = 'next-forever';
    const result = await connector('read', { catalog: catalogOf('real_time_feedback_v2', 'full_refresh') });
    expect(result.code).toBe(0);
    expect([...uuids(result)].sort()).toEqual(items.map((i) => i.uuid).sort());
    expect(pagesAsked().filter((page) => page !== null)).toEqual(['2', '3']);
  });

  it('reads by page numbers where the API does not bound a window by created_before', async () => {
    items = history(450);
    server.use(
      http.get(`${BASE}/v2/real-time-feedback`, ({ request }) => {
        const url = new URL(request.url);
        if (!url.searchParams.has('created_before')) return undefined;
        url.searchParams.delete('created_before');
        return fetch(new Request(url, request));
      }),
    );
    const result = await connector('read', { catalog: catalogOf('real_time_feedback_v2', 'full_refresh') });
    expect(result.code).toBe(0);
    expect(new Set(uuids(result))).toEqual(new Set(items.map((i) => i.uuid)));
  });

  it('without created_after the fake returns only the last day, which is the trap the stream avoids', async () => {
    items = [...history(5), { uuid: 'recent', sec: NOW - 3600 }];
    const response = await fetch(`${BASE}/v2/real-time-feedback`, { headers: { authorization: `Token token=${KEY}` } });
    expect(((await response.json()) as { data: unknown[] }).data).toHaveLength(1);
    const result = await connector('read', { catalog: catalogOf('real_time_feedback_v2', 'full_refresh') });
    expect(uuids(result)).toHaveLength(6);
  });
});

describe('real-time feedback: incremental', () => {
  it('commits the newest created_at and asks from the second before it next time', async () => {
    items = history(250);
    const first = await connector('read', { catalog: catalogOf('real_time_feedback_v2', 'incremental') });
    expect(uuids(first)).toHaveLength(250);
    const state = finalState(first);
    expect(state).toEqual({ created_at: iso(items[249]!.sec) });

    requests = [];
    items.push({ uuid: 'new', sec: NOW - 60 });
    const second = await connector('read', {
      catalog: catalogOf('real_time_feedback_v2', 'incremental'),
      state: [{ type: 'STREAM', stream: { stream_descriptor: { name: 'real_time_feedback_v2' }, stream_state: state } }],
    });
    expect(requests.map((url) => url.searchParams.get('created_after'))).toEqual([String(items[249]!.sec - 1)]);
    // The boundary second is read again (an at-least-once re-read), then the new item.
    expect(uuids(second)).toEqual(['f-249', 'new']);
    expect(finalState(second)).toEqual({ created_at: iso(NOW - 60) });
  });

  it('never loses a record created in the same second as a cursor that carries milliseconds', async () => {
    // A cursor capped at the moment a sync started (10:00:05.300) while the API stamps whole
    // seconds: an item stamped 10:00:05 may have been created after that sync read its page.
    const second = NOW - 600;
    items = [
      { uuid: 'before', sec: second - 1 },
      { uuid: 'same-second', sec: second },
      { uuid: 'after', sec: second + 1 },
    ];
    const state = { created_at: new Date(second * 1000 + 300).toISOString() };
    const result = await connector('read', {
      catalog: catalogOf('real_time_feedback_v1', 'incremental'),
      state: [{ type: 'STREAM', stream: { stream_descriptor: { name: 'real_time_feedback_v1' }, stream_state: state } }],
    });
    expect(uuids(result)).toEqual(['same-second', 'after']);
    expect(requests[0]!.searchParams.get('created_after')).toBe(String(second - 1));
  });

  it('resumes an interrupted read at its page, from a state written when the list was read by page numbers', async () => {
    items = history(450);
    const result = await connector('read', {
      catalog: catalogOf('real_time_feedback_v2', 'full_refresh'),
      state: [{ type: 'STREAM', stream: { stream_descriptor: { name: 'real_time_feedback_v2' }, stream_state: { resume: { at: { page: 2, skip: 10 } } } } }],
    });
    expect(pagesAsked()).toEqual(['2', '3']);
    expect(uuids(result)).toEqual(items.slice(210).map((i) => i.uuid));
  });
});

describe('check, discover and spec', () => {
  it('check succeeds with the cheapest authenticated request', async () => {
    items = history(3);
    const result = await connector('check');
    expect(result.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.status).toBe('SUCCEEDED');
    expect(requests).toHaveLength(1);
    expect(Number(requests[0]!.searchParams.get('created_after'))).toBeGreaterThanOrEqual(NOW);
  });

  it('a wrong key fails the check naming the API key, never showing it', async () => {
    const result = await connector('check', { platform: { api_key: 'wrong-key-9876' } });
    const status = result.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/Reflektive rejected the API key \(HTTP 401\)/);
    expect(result.stdout).not.toContain('wrong-key-9876');
  });

  it('discover lists calibration_reports only when cycles are configured', async () => {
    const without = await connector('discover');
    const names = without.messages.find((m) => m.type === 'CATALOG')!.catalog!.streams.map((s) => s.name);
    expect(names).toEqual(['real_time_feedback_v1', 'real_time_feedback_v2']);

    const withCycles = await connector('discover', { platform: { calibration_cycle_uuids: ['eadf6d0c-00e3-45ce-8332-1673226f0321'] } });
    const streams = withCycles.messages.find((m) => m.type === 'CATALOG')!.catalog!.streams;
    expect(streams.map((s) => s.name)).toEqual(['real_time_feedback_v1', 'real_time_feedback_v2', 'calibration_reports']);
    const feedback = streams[1]!;
    expect(feedback).toMatchObject({
      supported_sync_modes: ['full_refresh', 'incremental'],
      source_defined_primary_key: [['uuid']],
      default_cursor_field: ['created_at'],
    });
    const reports = streams[2]!;
    expect(reports).toMatchObject({ supported_sync_modes: ['full_refresh'], source_defined_primary_key: [['cycle_uuid'], ['row_number']], is_resumable: true });
  });

  it('rejects a cycle that is not a UUID', async () => {
    const result = await connector('discover', { platform: { calibration_cycle_uuids: ['not-a-uuid'] } });
    expect(result.code).toBe(1);
    expect(result.messages.find((m) => m.type === 'TRACE')?.trace?.error?.message).toMatch(/calibration_cycle_uuids/);
  });

  it('spec offers the Reflektive variant with a secret key and optional fields', async () => {
    const result = await connector('spec');
    type Property = Record<string, unknown>;
    type Variant = { title: string; required: string[]; properties: Record<string, Property> };
    const spec = result.messages.find((m) => m.type === 'SPEC')!.spec!.connectionSpecification as { properties: { platform: { oneOf: Variant[] } } };
    const variant = spec.properties.platform.oneOf.find((v) => v.properties.vendor!.const === 'reflektive')!;
    expect(variant.title).toBe('Reflektive');
    expect(variant.required.sort()).toEqual(['api_key', 'vendor']);
    expect(variant.properties.api_key).toMatchObject({ airbyte_secret: true, order: 1 });
    expect(variant.properties.base_url).toMatchObject({ default: 'https://api.reflektive.com', order: 2 });
    expect(variant.properties.calibration_cycle_uuids).toMatchObject({ type: 'array', order: 3 });
    expect(variant.properties.calibration_report_timeout_minutes).toMatchObject({ default: 30, order: 4 });
  });
});
