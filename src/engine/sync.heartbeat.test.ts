/**
 * The platform counts only RECORD and STATE messages as signs of life (the replication worker's
 * heartbeat, bounded by metadata.yaml's maxSecondsBetweenMessages). A stream that waits, for a report
 * job, a long Retry-After or an hourly quota, repeats its latest STATE every HEARTBEAT_MS meanwhile.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { AirbyteMessage } from '../protocol/generated.js';
import { silentLogger } from './logger.js';
import { offsetLimit } from './pagination.js';
import type { StreamDefinition } from './stream.js';
import { HEARTBEAT_MS, sync } from './sync.js';
import { memoryOutput } from '../../tools/testing/harness.js';
import { catalogEntry, testContext, testStream } from '../../tools/testing/engine/reader.js';

const MINUTE = 60_000;

/** A stream that emits one record, then waits `waitMs` (a report job polling), then one more. */
const waiting = (waitMs: number): StreamDefinition =>
  testStream({
    name: 'report',
    schema: z.looseObject({ id: z.string() }),
    primaryKey: [['id']],
    request: { path: '/report' },
    paginate: offsetLimit({ size: 1 }),
    read: async function* () {
      yield { id: 'first' };
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      yield { id: 'second' };
    },
  });

/** Seconds since the start at which each RECORD and STATE came out, with its record count. */
function signsOfLife(messages: Array<{ at: number; message: AirbyteMessage }>) {
  return messages
    .filter(({ message }) => message.type === 'RECORD' || message.type === 'STATE')
    .map(({ at, message }) => ({ at: at / 1000, type: message.type, count: message.state?.sourceStats?.recordCount }));
}

beforeEach(() => vi.useFakeTimers({ now: new Date('2025-01-01T00:00:00Z') }));
afterEach(() => vi.useRealTimers());

async function runWaiting(waitMs: number, heartbeatMs?: number) {
  const memory = memoryOutput();
  const start = Date.now();
  const seen: Array<{ at: number; message: AirbyteMessage }> = [];
  let taken = 0;
  const collect = () => {
    const all = memory.messages();
    for (const message of all.slice(taken)) seen.push({ at: Date.now() - start, message });
    taken = all.length;
  };
  const done = sync(
    { reader: testContext(), output: memory.output, logger: silentLogger, vendor: 'Test', ...(heartbeatMs ? { heartbeatMs } : {}) },
    [catalogEntry(waiting(waitMs))],
    new Map(),
  );
  // Advance a second at a time so every message is stamped with the fake time it came out at.
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    await vi.advanceTimersByTimeAsync(1_000);
    collect();
  }
  collect();
  return { failed: await done, seen };
}

describe('heartbeat states while a stream waits', () => {
  it('a 17-minute wait repeats the latest STATE every 4 min 45 s (a twentieth early, for a late timer), and no silence reaches 5 minutes', async () => {
    expect(HEARTBEAT_MS).toBe(5 * MINUTE);
    const { failed, seen } = await runWaiting(17 * MINUTE);
    expect(failed).toEqual([]);
    const signs = signsOfLife(seen);
    expect(signs.map(({ type }) => type)).toEqual(['RECORD', 'STATE', 'STATE', 'STATE', 'RECORD', 'STATE']);
    // The first repeat counts the record emitted before it; the next ones count none.
    expect(signs.filter((s) => s.type === 'STATE').map((s) => s.count)).toEqual([1, 0, 0, 1]);
    const times = signs.map(({ at }) => at);
    expect(times.slice(1, 4)).toEqual([285, 570, 855]);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(Math.max(...gaps)).toBeLessThan(HEARTBEAT_MS / 1000);
  });

  it("the repeated STATE is the stream's latest: the one the read started from, until a checkpoint", async () => {
    const { seen } = await runWaiting(6 * MINUTE);
    const states = seen.filter(({ message }) => message.type === 'STATE').map(({ message }) => message.state?.stream?.stream_state);
    expect(states).toEqual([{}, {}]);
  });

  it('a read that never goes quiet for the interval sends no extra STATE', async () => {
    const { seen } = await runWaiting(4 * MINUTE);
    expect(signsOfLife(seen).map(({ type }) => type)).toEqual(['RECORD', 'RECORD', 'STATE']);
  });

  it('the heartbeat stops with the stream: nothing is written once the read ended', async () => {
    const { seen } = await runWaiting(1_000);
    const count = seen.length;
    await vi.advanceTimersByTimeAsync(30 * MINUTE);
    expect(seen.length).toBe(count);
  });
});
