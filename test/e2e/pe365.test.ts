/**
 * End-to-end: the built CLI reads every Perform & Engage 365 stream from the sandbox. What it emits is
 * compared with the sandbox's truth by primary key (nothing lost, nothing duplicated, each record as
 * the sandbox holds it), after changes (only the changes, plus the boundary the cursor re-reads), from
 * intermediate STATEs (at least the remainder), and under faults. Every test starts its own sandbox.
 */
import { describe, expect, it } from 'vitest';
import type { ConfiguredAirbyteStream } from '../../src/protocol/generated.js';
import { SANDBOX_CREDENTIALS } from '../../tools/sandbox/index.js';
import { onlyStreams, runCli } from '../../tools/testing/harness.js';
import {
  changedKeys,
  expectEveryStreamExactly,
  expectOnlyChangesSince,
  expectResumesFromCheckpoints,
  expectSucceeded,
  sample,
  sandboxConfig,
  withSandbox,
} from './kit.js';

type Row = Record<string, unknown>;

const STREAMS = [
  'users',
  'departments',
  'goals',
  'checkins',
  'questions',
  'question_responses',
  'recognitions',
  'conversations',
  'conversation_templates',
  'conversation_plans',
];
const INCREMENTAL = ['checkins', 'conversation_templates', 'conversations'];
const FULL_REFRESH = STREAMS.filter((s) => !INCREMENTAL.includes(s));

const cursorKey = (configured: ConfiguredAirbyteStream) => (configured.cursor_field ?? []).join('.');
const utcDay = (value: unknown) => new Date(Date.parse(String(value))).toISOString().slice(0, 10);

describe.concurrent('Perform & Engage 365 through the built CLI against the sandbox', () => {
  it('check succeeds with the sandbox credentials and fails, saying what to fix, with a wrong key', async () => {
    await withSandbox('pe365', { scale: 0.1, seed: 1 }, {}, async (env) => {
      const ok = await runCli(['check', '--config', env.config]);
      expect(ok.connectionStatus()?.status).toBe('SUCCEEDED');

      const wrong = sandboxConfig(env.sb, 'pe365');
      (wrong['platform'] as Row)['api_key'] = 'not-the-key-42';
      const failed = await runCli(['check', '--config', env.ws.write('wrong.json', wrong)]);
      const status = failed.connectionStatus();
      expect(status?.status).toBe('FAILED');
      expect(status?.message).toMatch(/API username and API key \(HTTP 401: Invalid username\/password\.\)/);
      const printed = failed.messages.map((m) => JSON.stringify(m)).join('\n');
      expect(printed).not.toContain('not-the-key-42');
      expect(printed).not.toContain(Buffer.from(`${SANDBOX_CREDENTIALS.pe365.username}:not-the-key-42`).toString('base64'));
    });
  });

  it('full refresh returns exactly the sandbox’s records of every stream, with count as the estimate', async () => {
    await withSandbox('pe365', { scale: 0.3, seed: 7 }, {}, async (env) => {
      const catalog = env.catalog({ mode: 'full_refresh' });
      expect(catalog.streams.map((s) => s.stream.name).sort()).toEqual(Object.keys(env.sb.streams('pe365')).sort());
      expect(catalog.streams.map((s) => s.stream.name)).toEqual(STREAMS);

      const result = await env.read(catalog);
      expectSucceeded(result);
      expectEveryStreamExactly(env.sb, 'pe365', STREAMS, result);
      for (const state of result.finalStates()) expect(state.stream?.stream_state).toEqual({});

      const estimates = new Map(result.estimates().map((e) => [e.name, e.row_estimate]));
      for (const stream of STREAMS.filter((s) => s !== 'question_responses')) {
        expect(estimates.get(stream), stream).toBe(env.sb.truth('pe365', stream).length);
      }
      // Every request went to a path ending in a slash: never redirected.
      expect(env.sb.stats.byStatus['301'] ?? 0).toBe(0);
    });
  });

  it('incremental reads after changes return the changes, and re-reading the boundary day loses nothing', async () => {
    await withSandbox('pe365', { scale: 0.2, seed: 11 }, {}, async (env) => {
      expect(
        env.incremental.streams
          .filter((s) => s.sync_mode === 'incremental')
          .map((s) => s.stream.name)
          .sort(),
      ).toEqual(INCREMENTAL);

      const first = await env.read(env.incremental);
      expectSucceeded(first);
      expectEveryStreamExactly(env.sb, 'pe365', STREAMS, first);
      const incrementalOnly = onlyStreams(env.incremental, INCREMENTAL);

      // Round one: check-ins submitted today, conversations and templates updated now.
      const round1 = env.sb.mutate({ updates: 3, inserts: 2, vendors: ['pe365'] });
      const second = await env.read(env.incremental, first.finalStates());
      expectSucceeded(second);
      expectOnlyChangesSince(env.sb, 'pe365', incrementalOnly, first, second, (stream) => changedKeys(round1, 'pe365', stream));
      for (const configured of incrementalOnly.streams) {
        const stream = configured.stream.name;
        expect(changedKeys(round1, 'pe365', stream).size, `${stream}: the sandbox changed something`).toBeGreaterThan(0);
        const before = Date.parse(String(first.committedState(stream)?.[cursorKey(configured)]));
        expect(Date.parse(String(second.committedState(stream)?.[cursorKey(configured)])), `${stream}: the cursor moved on`).toBeGreaterThan(before);
      }
      expectEveryStreamExactly(env.sb, 'pe365', FULL_REFRESH, second);
      // The check-in cursor now sits on today, the day round two submits more check-ins on.
      expect(utcDay(second.committedState('checkins')?.['submission_date'])).toBe(utcDay(new Date().toISOString()));

      // Round two, the same day: the day-granular filter must not lose these.
      const round2 = env.sb.mutate({ updates: 3, inserts: 2, vendors: ['pe365'] });
      const third = await env.read(incrementalOnly, second.finalStates());
      expectSucceeded(third);
      expectOnlyChangesSince(env.sb, 'pe365', incrementalOnly, second, third, (stream) => changedKeys(round2, 'pe365', stream));

      // Nothing changed since: only the boundary comes back (today's check-ins; the records on the instant cursors).
      const fourth = await env.read(incrementalOnly, third.finalStates());
      expectSucceeded(fourth);
      expectOnlyChangesSince(env.sb, 'pe365', incrementalOnly, third, fourth, () => new Set());
      for (const stream of INCREMENTAL) {
        const records = fourth.records(stream);
        expect(records.length, stream).toBeLessThanOrEqual(changedKeys(round1, 'pe365', stream).size + changedKeys(round2, 'pe365', stream).size);
      }
    });
  });

  it('a read resumed from an intermediate STATE returns at least the remainder', async () => {
    // Small pages make many pages, hence many intermediate states, out of little data.
    await withSandbox('pe365', { scale: 0.1, seed: 5 }, { page_size: 7 }, async (env) => {
      const first = await env.read(env.incremental);
      expectSucceeded(first);
      expectEveryStreamExactly(env.sb, 'pe365', STREAMS, first);

      await expectResumesFromCheckpoints(env, 'pe365', first, STREAMS, { fewest: 1, parallel: 4, pick: (positions) => sample(positions, 3) });
    });
  });

  it('completes with every record despite 429s, 5xx, dropped connections and truncated bodies', async () => {
    const shares = { rate429: 0.07, retryAfterSeconds: 0, error5xx: 0.07, drop: 0.07, truncate: 0.07 };
    await withSandbox('pe365', { scale: 0.2, seed: 3, faults: shares }, { page_size: 10, max_retries: 10 }, async (env) => {
      const result = await env.read(env.incremental);
      expectSucceeded(result);
      expectEveryStreamExactly(env.sb, 'pe365', STREAMS, result);

      const { faults } = env.sb.stats;
      expect(faults['429']).toBeGreaterThan(2);
      expect(faults['5xx']).toBeGreaterThan(2);
      expect(faults.drop).toBeGreaterThan(2);
      expect(faults.truncate).toBeGreaterThan(2);
    });
  });
});
