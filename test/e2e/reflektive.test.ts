/**
 * End-to-end: the built CLI reads every Reflektive stream from the sandbox, and what it emits is
 * compared with the sandbox's truth by primary key (nothing lost, nothing duplicated), after changes
 * (only the changes, plus the re-read boundary second), from every intermediate STATE (at least the
 * remainder), and under faults. Every test starts its own sandbox, so they run concurrently.
 */
import { describe, expect, it } from 'vitest';
import type { AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { startSandbox, type MutationSummary, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { discoverCatalog, errorsOf, finalState, keyOf, onlyStreams, recordsOf, runCli, sandboxConfig, statesOf, Workspace, type RunResult } from './kit.js';

type Row = Record<string, unknown>;
const FEEDBACK = ['real_time_feedback_v1', 'real_time_feedback_v2'];
const ALL = [...FEEDBACK, 'calibration_reports'];

async function setUp(options: SandboxOptions, extra: Record<string, unknown> = {}, platform: Record<string, unknown> = {}) {
  const sb = await startSandbox(options);
  const ws = new Workspace();
  const base = sandboxConfig(sb, 'reflektive', extra);
  const config = ws.file('config.json', { ...base, platform: { ...(base['platform'] as Row), ...platform } });
  const incremental = await discoverCatalog(ws, config, 'incremental');
  let files = 0;
  const read = async (catalog: ConfiguredAirbyteCatalog, state?: unknown): Promise<RunResult> => {
    const args = ['read', '--config', config, '--catalog', ws.file(`catalog-${++files}.json`, catalog)];
    if (state !== undefined) args.push('--state', ws.file(`state-${files}.json`, state));
    return runCli(args);
  };
  return {
    sb,
    ws,
    config,
    incremental,
    read,
    async [Symbol.asyncDispose]() {
      ws.dispose();
      await sb.close();
    },
  };
}

const primaryKey = (sb: Sandbox, stream: string) => sb.streams('reflektive')[stream] as readonly string[];
const keys = (sb: Sandbox, stream: string, records: Row[]) => records.map((record) => keyOf(record, primaryKey(sb, stream)));

function duplicates(list: string[]): string[] {
  const seen = new Set<string>();
  return list.filter((key) => seen.has(key) || !seen.add(key));
}

function truthByKey(sb: Sandbox, stream: string): Map<string, Row> {
  return new Map(sb.truth('reflektive', stream).map((record) => [keyOf(record, primaryKey(sb, stream)), record]));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, sortKeys((value as Row)[k])]),
  );
}
const same = (a: unknown, b: unknown) => JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));

function expectExactlyTheTruth(sb: Sandbox, stream: string, records: Row[]): void {
  const emitted = keys(sb, stream, records);
  const truth = truthByKey(sb, stream);
  expect(truth.size, `${stream}: the sandbox has records`).toBeGreaterThan(0);
  expect(duplicates(emitted), `${stream}: duplicated keys`).toEqual([]);
  expect(emitted.filter((key) => !truth.has(key)), `${stream}: keys the sandbox does not have`).toEqual([]);
  const seen = new Set(emitted);
  expect([...truth.keys()].filter((key) => !seen.has(key)), `${stream}: keys never emitted`).toEqual([]);
  const different = records.filter((record) => !same(record, truth.get(keyOf(record, primaryKey(sb, stream)))));
  expect(different.slice(0, 1), `${stream}: records that differ from the sandbox's`).toEqual([]);
}

function expectSucceeded(result: RunResult): void {
  expect(errorsOf(result.messages), result.stderr).toEqual([]);
  expect(result.strays).toEqual([]);
  expect(result.code).toBe(0);
}

const second = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000);
const inserted = (summary: MutationSummary, stream: string) => new Set(summary.reflektive?.[stream]?.inserted ?? []);
const cursorOf = (result: RunResult, stream: string) =>
  (finalState(result.messages).find((s) => s.stream?.stream_descriptor.name === stream)?.stream?.stream_state as Row | undefined)?.['created_at'];

describe.concurrent('Reflektive through the built CLI against the sandbox', () => {
  it('full refresh returns exactly the sandbox’s records, all history, page after page', async () => {
    await using env = await setUp({ seed: 7 });
    const catalog = await discoverCatalog(env.ws, env.config, 'full_refresh');
    expect(catalog.streams.map((s) => s.stream.name)).toEqual(ALL);

    const result = await env.read(catalog);
    expectSucceeded(result);
    for (const stream of ALL) expectExactlyTheTruth(env.sb, stream, recordsOf(result.messages, stream));

    // More than one page of feedback, all of it older than the server's default one-day window.
    const v2 = recordsOf(result.messages, 'real_time_feedback_v2');
    expect(v2.length).toBeGreaterThan(400);
    expect(v2.every((r) => Date.parse(String(r['created_at'])) < Date.now() - 86_400_000)).toBe(true);
    const feedbackRequests = env.sb.stats.recent.filter((r) => r.url.includes('real-time-feedback'));
    expect(feedbackRequests.length).toBeGreaterThanOrEqual(6);
    // created_after on every request, always our own, never the malformed link's `…=0?page=2`.
    for (const request of feedbackRequests) expect(request.url).toMatch(/[?&]created_after=0(&|$)/);
    expect(feedbackRequests.filter((r) => /[?&]page=2(&|$)/.test(r.url))).toHaveLength(2);
    for (const state of finalState(result.messages)) expect(state.stream?.stream_state).toEqual({});
  });

  it('reads well-formed links and JSON reports just the same', async () => {
    await using env = await setUp({ seed: 8, scale: 0.6, reflektive: { wellFormedLinks: true, reportFormat: 'json' } });
    const result = await env.read(await discoverCatalog(env.ws, env.config, 'full_refresh'));
    expectSucceeded(result);
    for (const stream of ALL) expectExactlyTheTruth(env.sb, stream, recordsOf(result.messages, stream));
    // JSON keeps the report's types (numbers, nulls) where CSV has strings.
    expect(recordsOf(result.messages, 'calibration_reports').some((r) => typeof r['self_rating'] === 'number')).toBe(true);
  });

  it('an incremental read after new feedback returns the new items, and one within the cursor’s own second too', async () => {
    // The sandbox's clock stands still, so both rounds of new feedback share one second, the very
    // second the second read commits as its cursor: strict `created_after` would lose round two.
    const frozen = Math.floor(Date.now() / 1000) * 1000 - 5_000;
    await using env = await setUp({ seed: 11, scale: 0.5, now: () => frozen });
    const catalog = onlyStreams(env.incremental, FEEDBACK);
    expect(catalog.streams.every((s) => s.sync_mode === 'incremental')).toBe(true);

    const first = await env.read(catalog);
    expectSucceeded(first);
    for (const stream of FEEDBACK) expectExactlyTheTruth(env.sb, stream, recordsOf(first.messages, stream));

    const round1 = env.sb.mutate({ inserts: 2 });
    const secondRead = await env.read(catalog, finalState(first.messages));
    expectSucceeded(secondRead);
    const round2 = env.sb.mutate({ inserts: 2 });
    const third = await env.read(catalog, finalState(secondRead.messages));
    expectSucceeded(third);

    for (const stream of FEEDBACK) {
      const truth = truthByKey(env.sb, stream);
      for (const [before, result, summary] of [
        [first, secondRead, round1],
        [secondRead, third, round2],
      ] as const) {
        const committed = second(cursorOf(before, stream));
        const records = recordsOf(result.messages, stream);
        const emitted = keys(env.sb, stream, records);
        const changes = inserted(summary, stream);
        expect(changes.size, `${stream}: the sandbox inserted`).toBeGreaterThan(0);
        expect(duplicates(emitted), `${stream}: duplicates`).toEqual([]);
        expect([...changes].filter((key) => !emitted.includes(key)), `${stream}: new items that did not come back`).toEqual([]);
        // Besides the new items, only the committed cursor's second is read again.
        const others = records.filter((r) => !changes.has(keyOf(r, primaryKey(env.sb, stream))));
        expect(others.filter((r) => second(r['created_at']) !== committed).map((r) => r['uuid']), `${stream}: old items that came back`).toEqual([]);
        for (const record of records) expect(same(record, truth.get(keyOf(record, primaryKey(env.sb, stream))))).toBe(true);
      }
      expect(second(cursorOf(secondRead, stream))).toBe(frozen / 1000);
      expect(second(cursorOf(third, stream))).toBe(frozen / 1000);
    }
    // Every request asked from the second before the committed cursor, never without created_after.
    const feedbackUrls = env.sb.stats.recent.filter((r) => r.url.includes('real-time-feedback')).map((r) => r.url);
    expect(feedbackUrls.filter((url) => !/created_after=\d+/.test(url))).toEqual([]);
    expect(feedbackUrls.filter((url) => url.includes(`created_after=${frozen / 1000 - 1}`)).length).toBe(2);
  });

  it('a read resumed from any intermediate STATE loses nothing and does not start over', async () => {
    await using env = await setUp({ seed: 5, scale: 1.5, reflektive: { calibrationCycles: 4 } }, { concurrency: 1 });
    const first = await env.read(env.incremental);
    expectSucceeded(first);

    const cases: Array<{ stream: string; index: number; state: AirbyteMessage }> = [];
    for (const stream of ALL) {
      expectExactlyTheTruth(env.sb, stream, recordsOf(first.messages, stream));
      const positions = first.messages.flatMap((m, index) => (m.type === 'STATE' && m.state?.stream?.stream_descriptor.name === stream ? [index] : []));
      const intermediate = positions.slice(0, -1);
      expect(intermediate.length, `${stream} checkpoints mid-read`).toBeGreaterThanOrEqual(2);
      for (const index of intermediate) cases.push({ stream, index, state: first.messages[index] as AirbyteMessage });
    }

    await inBatches(cases, 3, async ({ stream, index, state }) => {
      const blob = state.state!.stream!.stream_state as Row;
      expect(blob['resume'], `${stream} STATE #${index} says where to resume`).toBeDefined();
      const before = recordsOf(first.messages.slice(0, index), stream);
      const resumed = await env.read(onlyStreams(env.incremental, [stream]), [{ type: 'STREAM', stream: state.state!.stream }]);
      expectSucceeded(resumed);
      const after = recordsOf(resumed.messages, stream);
      const union = new Set(keys(env.sb, stream, [...before, ...after]));
      const lost = [...truthByKey(env.sb, stream).keys()].filter((key) => !union.has(key));
      expect(lost, `${stream} resumed from STATE #${index} ${JSON.stringify(blob)} lost records`).toEqual([]);
      expect(after.length, `${stream} resumed from STATE #${index} started over`).toBeLessThan(recordsOf(first.messages, stream).length);
      expect(duplicates(keys(env.sb, stream, after))).toEqual([]);
    });
  });

  it('completes with every record despite 429s, 5xx, dropped connections and cut-off bodies, downloads included', async () => {
    const shares = { rate429: 0.1, retryAfterSeconds: 0, error5xx: 0.1, drop: 0.05, truncate: 0.05 };
    await using env = await setUp({ seed: 3, faults: shares, reflektive: { calibrationCycles: 6 } });
    const result = await env.read(env.incremental);
    expectSucceeded(result);
    for (const stream of ALL) expectExactlyTheTruth(env.sb, stream, recordsOf(result.messages, stream));
    const { faults } = env.sb.stats;
    expect(faults['429'] + faults['5xx']).toBeGreaterThan(3);
  });

  it('a cycle whose report fails costs only its own rows, with an error that names it', async () => {
    const failing = 'f0000000-0000-4000-8000-00000000000f';
    await using env = await setUp({ seed: 2, scale: 0.3, reflektive: { failingCycles: [failing] } });
    const cycles = (env.sb.info().reflektive as { calibrationCycleUuids: string[] }).calibrationCycleUuids;
    const config = env.ws.file('failing.json', { ...sandboxConfig(env.sb, 'reflektive'), platform: { ...(sandboxConfig(env.sb, 'reflektive')['platform'] as Row), calibration_cycle_uuids: [cycles[0], failing, ...cycles.slice(1)] } });
    const catalog = onlyStreams(await discoverCatalog(env.ws, config, 'full_refresh'), ['calibration_reports']);
    const result = await runCli(['read', '--config', config, '--catalog', env.ws.file('c.json', catalog)]);
    expect(result.code).toBe(1);
    expect(result.strays).toEqual([]);
    expectExactlyTheTruth(env.sb, 'calibration_reports', recordsOf(result.messages, 'calibration_reports'));
    const errors = errorsOf(result.messages);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`review cycle ${failing}`);
    expect(errors[0]).toMatch(/ended "failed"/);
    // The checkpoint passes the first cycle, never the failed second one.
    expect(statesOf(result.messages).length).toBeGreaterThan(0);
    expect(statesOf(result.messages).every((s) => JSON.stringify(s.stream?.stream_state) === '{"resume":{"at":{"parent":{"skip":1}}}}')).toBe(true);
  });

  it('check passes with the key and fails with a wrong one, naming it without showing it', async () => {
    await using env = await setUp({ seed: 1, scale: 0.1 });
    const ok = await runCli(['check', '--config', env.config]);
    expect(ok.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus?.status).toBe('SUCCEEDED');

    const wrong = env.ws.file('wrong.json', { ...sandboxConfig(env.sb, 'reflektive'), platform: { vendor: 'reflektive', api_key: 'not-the-key-4242', base_url: env.sb.mounts.reflektive } });
    const failed = await runCli(['check', '--config', wrong]);
    const status = failed.messages.find((m) => m.type === 'CONNECTION_STATUS')?.connectionStatus;
    expect(status?.status).toBe('FAILED');
    expect(status?.message).toMatch(/API key/);
    expect(JSON.stringify(failed.messages) + failed.stderr).not.toContain('not-the-key-4242');
  });
});

async function inBatches<T>(items: T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: size }, async () => {
      while (next < items.length) await work(items[next++] as T);
    }),
  );
}
