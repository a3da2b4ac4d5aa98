/**
 * SIGTERM (the platform cancelling a sync) and SIGINT in the middle of a read: the connector stops
 * within a few seconds, every line it wrote is a whole message, the last one says where the next sync
 * resumes, the exit code is non-zero, and a read from the last STATE loses nothing.
 */
import { describe, expect, it } from 'vitest';
import { onlyStreams, runCli, type ConnectorOutput } from '../../tools/testing/harness.js';
import { expectSucceeded, keysOf, truthByKey, withSandbox } from './kit.js';

/** Runs a read and sends `signal` once `afterRecords` records came out; `stopMs` is from the signal to the process's end. */
async function readAndStop(args: string[], signal: NodeJS.Signals, afterRecords: number): Promise<{ output: ConnectorOutput; stopMs: number }> {
  let pid: number | undefined;
  let records = 0;
  let signalledAt = 0;
  const output = await runCli(args, {
    timeoutMs: 30_000,
    onStart: (started) => (pid = started),
    onMessage: (message) => {
      if (message.type === 'RECORD') records++;
      if (!signalledAt && records >= afterRecords && pid !== undefined) {
        signalledAt = Date.now();
        process.kill(pid, signal);
      }
    },
  });
  return { output, stopMs: signalledAt ? Date.now() - signalledAt : -1 };
}

describe.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)('%s in the middle of a read', (signal, exitCode) => {
  it('stops within seconds, leaves whole lines and a resumable STATE, and says where the next sync resumes', async () => {
    // Slow answers, so the read is surely under way when the signal comes.
    await withSandbox('leapsome', { scale: 0.2, seed: 3, latencyMs: 40 }, { page_size: 10 }, async ({ sb, ws, config, incremental, read }) => {
      const catalog = onlyStreams(incremental, ['employees', 'goals']);
      const stopped = await readAndStop(['read', '--config', config, '--catalog', ws.write('catalog.json', catalog)], signal, 25);
      expect(stopped.stopMs).toBeGreaterThanOrEqual(0);
      expect(stopped.stopMs).toBeLessThan(5_000);
      const { output } = stopped;
      expect(output.code).toBe(exitCode);
      // Whole lines only: every one a JSON message.
      expect(output.strays).toEqual([]);
      const logs = output.logs();
      expect(logs.some((line) => new RegExp(`Stopped by ${signal} while reading \\w+: the next sync resumes it from its last STATE`).test(line))).toBe(true);

      // The next sync, from the last STATE of each stream, completes what was missing.
      const resumed = await read(catalog, output.finalStates());
      expectSucceeded(resumed);
      for (const stream of ['employees', 'goals']) {
        const union = new Set(keysOf(sb, 'leapsome', stream, [...output.records(stream), ...resumed.records(stream)]));
        expect(
          [...truthByKey(sb, 'leapsome', stream).keys()].filter((k) => !union.has(k)),
          `${stream}: lost`,
        ).toEqual([]);
      }
    });
  });
});
