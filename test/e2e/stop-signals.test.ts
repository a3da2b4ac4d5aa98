/**
 * SIGTERM (the platform cancelling a sync) and SIGINT in the middle of a read: the connector stops
 * within a few seconds, every line it wrote is a whole message, the last one says where the next sync
 * resumes, the exit code is non-zero, and a read from the last STATE loses nothing.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../src/protocol/generated.js';
import { expectSucceeded, keysOf, MAIN, onlyStreams, recordsOf, truthByKey, withSandbox } from './kit.js';

interface Stopped {
  code: number | null;
  lines: string[];
  /** From the signal to the process's end. */
  stopMs: number;
}

/** Runs a read and sends `signal` once `afterRecords` records came out. */
function readAndStop(args: string[], signal: NodeJS.Signals, afterRecords: number): Promise<Stopped> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    let records = 0;
    let signalledAt = 0;
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      records += chunk.split('"type":"RECORD"').length - 1;
      if (!signalledAt && records >= afterRecords) {
        signalledAt = Date.now();
        child.kill(signal);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, lines: text.split('\n').filter((line) => line !== ''), stopMs: signalledAt ? Date.now() - signalledAt : -1 });
    });
  });
}

describe.each([
  ['SIGTERM', 143],
  ['SIGINT', 130],
] as const)('%s in the middle of a read', (signal, exitCode) => {
  it('stops within seconds, leaves whole lines and a resumable STATE, and says where the next sync resumes', async () => {
    // Slow answers, so the read is surely under way when the signal comes.
    await withSandbox('leapsome', { scale: 0.2, seed: 3, latencyMs: 40 }, { page_size: 10 }, async ({ sb, ws, config, incremental, read }) => {
      const catalog = onlyStreams(incremental, ['employees', 'goals']);
      const stopped = await readAndStop(['read', '--config', config, '--catalog', ws.file('catalog.json', catalog)], signal, 25);
      expect(stopped.stopMs).toBeGreaterThanOrEqual(0);
      expect(stopped.stopMs).toBeLessThan(5_000);
      expect(stopped.code).toBe(exitCode);
      const messages = stopped.lines.map((line) => JSON.parse(line) as AirbyteMessage);
      const logs = messages.filter((m) => m.type === 'LOG').map((m) => m.log?.message ?? '');
      expect(logs.some((line) => new RegExp(`Stopped by ${signal} while reading \\w+: the next sync resumes it from its last STATE`).test(line))).toBe(true);

      // The next sync, from the last STATE of each stream, completes what was missing.
      const last = new Map<string, AirbyteMessage>();
      for (const m of messages) if (m.type === 'STATE') last.set(m.state?.stream?.stream_descriptor.name ?? '', m);
      const resumed = await read(catalog, [...last.values()].map((m) => m.state));
      expectSucceeded(resumed);
      for (const stream of ['employees', 'goals']) {
        const union = new Set(keysOf(sb, 'leapsome', stream, [...recordsOf(messages, stream), ...recordsOf(resumed.messages, stream)]));
        expect([...truthByKey(sb, 'leapsome', stream).keys()].filter((k) => !union.has(k)), `${stream}: lost`).toEqual([]);
      }
    });
  });
});
