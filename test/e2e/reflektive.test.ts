/**
 * End-to-end: the built CLI reads every Reflektive stream from the sandbox, and what it emits is
 * compared with the sandbox's truth by primary key (nothing lost, nothing duplicated), after changes
 * (only the changes, plus the re-read boundary second), from every intermediate STATE (at least the
 * remainder), and under faults. Every test starts its own sandbox, so they run concurrently.
 */
import { describe, expect, it } from 'vitest';
import { configuredCatalog, onlyStreams, runCli } from '../../tools/testing/harness.js';
import {
  changedKeys,
  expectEveryStreamExactly,
  expectOnlyChangesSince,
  expectResumesFromCheckpoints,
  expectSucceeded,
  sandboxConfig,
  withSandbox,
} from './kit.js';

type Row = Record<string, unknown>;
const FEEDBACK = ['real_time_feedback_v1', 'real_time_feedback_v2'];
const ALL = [...FEEDBACK, 'calibration_reports'];

const second = (iso: unknown) => Math.floor(Date.parse(String(iso)) / 1000);

describe.concurrent('Reflektive through the built CLI against the sandbox', () => {
  it('full refresh returns exactly the sandbox’s records, all history, window after window', async () => {
    await withSandbox('reflektive', { seed: 7 }, {}, async (env) => {
      const catalog = env.catalog({ mode: 'full_refresh' });
      expect(catalog.streams.map((s) => s.stream.name)).toEqual(ALL);

      const result = await env.read(catalog);
      expectSucceeded(result);
      expectEveryStreamExactly(env.sb, 'reflektive', ALL, result);

      // More than one page of feedback, all of it older than the server's default one-day window.
      const v2 = result.records('real_time_feedback_v2');
      expect(v2.length).toBeGreaterThan(400);
      expect(v2.every((r) => Date.parse(String(r['created_at'])) < Date.now() - 86_400_000)).toBe(true);
      const feedbackRequests = env.sb.stats.recent.filter((r) => r.url.includes('real-time-feedback'));
      expect(feedbackRequests.length).toBeGreaterThanOrEqual(6);
      // All history first (created_after=0), then time windows that each fit in one page: created_after
      // on every request, always our own, never the malformed link's `…=0?page=2`, and no page number.
      for (const stream of ['v1', 'v2']) {
        const urls = feedbackRequests.filter((r) => r.url.includes(`/${stream}/`)).map((r) => r.url);
        expect(urls[0]).toMatch(/\?created_after=0$/);
        for (const url of urls) expect(url).toMatch(/\?created_after=\d+(&created_before=\d+)?$/);
      }
      for (const state of result.finalStates()) expect(state.stream?.stream_state).toEqual({});
    });
  });

  it('reads well-formed links and JSON reports just the same', async () => {
    await withSandbox('reflektive', { seed: 8, scale: 0.6, reflektive: { wellFormedLinks: true, reportFormat: 'json' } }, {}, async (env) => {
      const result = await env.read(env.catalog({ mode: 'full_refresh' }));
      expectSucceeded(result);
      expectEveryStreamExactly(env.sb, 'reflektive', ALL, result);
      // JSON keeps the report's types (numbers, nulls) where CSV has strings.
      expect(result.records('calibration_reports').some((r) => typeof r['self_rating'] === 'number')).toBe(true);
    });
  });

  it('an incremental read after new feedback returns the new items, and one within the cursor’s own second too', async () => {
    // The sandbox's clock stands still, so both rounds of new feedback share one second, the very
    // second the second read commits as its cursor: strict `created_after` would lose round two.
    const frozen = Math.floor(Date.now() / 1000) * 1000 - 5_000;
    await withSandbox('reflektive', { seed: 11, scale: 0.5, now: () => frozen }, {}, async (env) => {
      const catalog = onlyStreams(env.incremental, FEEDBACK);
      expect(catalog.streams.every((s) => s.sync_mode === 'incremental')).toBe(true);

      const first = await env.read(catalog);
      expectSucceeded(first);
      expectEveryStreamExactly(env.sb, 'reflektive', FEEDBACK, first);

      const round1 = env.sb.mutate({ inserts: 2 });
      const secondRead = await env.read(catalog, first.finalStates());
      expectSucceeded(secondRead);
      const round2 = env.sb.mutate({ inserts: 2 });
      const third = await env.read(catalog, secondRead.finalStates());
      expectSucceeded(third);

      // Feedback is never updated, so the changes are the new items. Besides them, only the committed
      // cursor's second is read again (the fake's `cursorGranularity`).
      for (const [before, result, summary] of [
        [first, secondRead, round1],
        [secondRead, third, round2],
      ] as const) {
        for (const stream of FEEDBACK) {
          expect(summary.reflektive?.[stream]?.updated ?? [], `${stream}: the sandbox updated nothing`).toEqual([]);
          expect(changedKeys(summary, 'reflektive', stream).size, `${stream}: the sandbox inserted`).toBeGreaterThan(0);
        }
        expectOnlyChangesSince(env.sb, 'reflektive', catalog, before, result, (stream) => changedKeys(summary, 'reflektive', stream));
      }
      for (const stream of FEEDBACK) {
        expect(second(secondRead.committedState(stream)?.['created_at'])).toBe(frozen / 1000);
        expect(second(third.committedState(stream)?.['created_at'])).toBe(frozen / 1000);
      }
      // Every request asked from the second before the committed cursor, never without created_after.
      const feedbackUrls = env.sb.stats.recent.filter((r) => r.url.includes('real-time-feedback')).map((r) => r.url);
      expect(feedbackUrls.filter((url) => !/created_after=\d+/.test(url))).toEqual([]);
      expect(feedbackUrls.filter((url) => url.includes(`created_after=${frozen / 1000 - 1}`)).length).toBe(2);
    });
  });

  it('a read resumed from any intermediate STATE loses nothing and does not start over', async () => {
    await withSandbox('reflektive', { seed: 5, scale: 1.5, reflektive: { calibrationCycles: 4 } }, { concurrency: 1 }, async (env) => {
      const first = await env.read(env.incremental);
      expectSucceeded(first);
      expectEveryStreamExactly(env.sb, 'reflektive', ALL, first);

      await expectResumesFromCheckpoints(env, 'reflektive', first, ALL, { fewest: 2, parallel: 3 });
    });
  });

  it('completes with every record despite 429s, 5xx, dropped connections and cut-off bodies, downloads included', async () => {
    const shares = { rate429: 0.1, retryAfterSeconds: 0, error5xx: 0.1, drop: 0.05, truncate: 0.05 };
    await withSandbox('reflektive', { seed: 3, faults: shares, reflektive: { calibrationCycles: 6 } }, {}, async (env) => {
      const result = await env.read(env.incremental);
      expectSucceeded(result);
      expectEveryStreamExactly(env.sb, 'reflektive', ALL, result);
      const { faults } = env.sb.stats;
      expect(faults['429'] + faults['5xx']).toBeGreaterThan(3);
    });
  });

  it('a cycle whose report fails costs only its own rows, with an error that names it', async () => {
    const failing = 'f0000000-0000-4000-8000-00000000000f';
    await withSandbox('reflektive', { seed: 2, scale: 0.3, reflektive: { failingCycles: [failing] } }, {}, async (env) => {
      const cycles = (env.sb.info().reflektive as { calibrationCycleUuids: string[] }).calibrationCycleUuids;
      const base = sandboxConfig(env.sb, 'reflektive');
      const config = env.ws.write('failing.json', {
        ...base,
        platform: { ...(base['platform'] as Row), calibration_cycle_uuids: [cycles[0], failing, ...cycles.slice(1)] },
      });
      const catalog = configuredCatalog((await runCli(['discover', '--config', config])).catalog(), { mode: 'full_refresh', streams: ['calibration_reports'] });
      const result = await runCli(['read', '--config', config, '--catalog', env.ws.write('c.json', catalog)]);
      expect(result.code).toBe(1);
      expect(result.strays).toEqual([]);
      expectEveryStreamExactly(env.sb, 'reflektive', ['calibration_reports'], result);
      const errors = result.errors().map((e) => e.message);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(`review cycle ${failing}`);
      expect(errors[0]).toMatch(/ended "failed"/);
      // The checkpoint passes the first cycle, never the failed second one; the cycles after it that
      // finished are listed as done, so a resumed read redoes the failed cycle alone.
      const states = result.states().map((s) => s.stream?.stream_state as { resume: { at: { parent: unknown; done?: Array<Record<string, string>> } } });
      expect(states.length).toBeGreaterThan(0);
      // (Before the first cycle ends, a later one may finish first: then no parent position yet.)
      expect(states.every((s) => s.resume.at.parent === undefined || JSON.stringify(s.resume.at.parent) === '{"skip":1}')).toBe(true);
      expect(
        states
          .at(-1)
          ?.resume.at.done?.map((d) => d['cycle_uuid'])
          .sort(),
      ).toEqual(cycles.slice(1).sort());
    });
  });

  it('check passes with the key and fails with a wrong one, naming it without showing it', async () => {
    await withSandbox('reflektive', { seed: 1, scale: 0.1 }, {}, async (env) => {
      const ok = await runCli(['check', '--config', env.config]);
      expect(ok.connectionStatus()?.status).toBe('SUCCEEDED');

      const wrong = env.ws.write('wrong.json', {
        ...sandboxConfig(env.sb, 'reflektive'),
        platform: { vendor: 'reflektive', api_key: 'not-the-key-4242', base_url: env.sb.mounts.reflektive },
      });
      const failed = await runCli(['check', '--config', wrong]);
      const status = failed.connectionStatus();
      expect(status?.status).toBe('FAILED');
      expect(status?.message).toMatch(/API key/);
      expect(JSON.stringify(failed.messages) + failed.stderr).not.toContain('not-the-key-4242');
    });
  });
});
