/**
 * One fault matrix for every vendor the sandbox imitates: transient faults (429 with Retry-After,
 * 5xx, dropped connections, truncated bodies), and crashes (SIGKILL at random points of a read, then
 * a read resumed from the last STATE printed before the kill, as the platform would). Every record of
 * the sandbox must be delivered (at least once), and no output may show a credential. Each vendor's
 * figures are printed for the record.
 */
import { describe, expect, it } from 'vitest';
import type { AirbyteStateMessage } from '../../src/protocol/generated.js';
import { SANDBOX_CREDENTIALS, VENDORS } from '../../tools/sandbox/index.js';
import { type ConnectorOutput, runCli } from '../../tools/testing/harness.js';
import { expectEveryStreamExactly, expectSucceeded, keysOf, truthByKey, withSandbox } from './kit.js';

/** Kills per vendor; the read after the last one runs to its end. */
const KILLS = 5;

/** A small deterministic generator, so that a failure can be replayed. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Every spelling of a credential an output could leak: as is, URL-encoded, in base64. */
function spellings(vendor: string): string[] {
  const values = Object.values(SANDBOX_CREDENTIALS[vendor as keyof typeof SANDBOX_CREDENTIALS] ?? {}).map(String);
  const pairs = values.length > 1 ? [values.join(':')] : [];
  return [...values, ...pairs].flatMap((value) => [value, encodeURIComponent(value), Buffer.from(value).toString('base64')]);
}

function leaks(vendor: string, outputs: ConnectorOutput[]): string[] {
  const secrets = spellings(vendor);
  return outputs.flatMap((output) => [...output.lines, output.stderr]).filter((line) => secrets.some((secret) => line.includes(secret)));
}

describe.each(VENDORS)('%s under the fault matrix', (vendor) => {
  it('delivers every record despite 429s, 5xx, dropped connections and truncated bodies, and shows no credential', async () => {
    const shares = { rate429: 0.06, retryAfterSeconds: 0, error5xx: 0.06, drop: 0.06, truncate: 0.06 };
    await withSandbox(vendor, { scale: 0.05, seed: 17, faults: shares }, { page_size: 10, max_retries: 10 }, async ({ sb, incremental, read }) => {
      const result = await read(incremental);
      expectSucceeded(result);
      const streams = incremental.streams.map((s) => s.stream.name);
      expectEveryStreamExactly(
        sb,
        vendor,
        streams.filter((s) => truthByKey(sb, vendor, s).size > 0),
        result,
      );
      const { faults } = sb.stats;
      expect(faults['429'] + faults['5xx'] + faults.drop + faults.truncate).toBeGreaterThan(4);
      expect(leaks(vendor, [result])).toEqual([]);
      const expected = streams.reduce((n, s) => n + truthByKey(sb, vendor, s).size, 0);
      console.info(
        `${vendor}: faults injected ${JSON.stringify(faults)}; records expected ${expected}, delivered ${result.records().length}; secret scan clean`,
      );
    });
  });

  it(`survives ${KILLS} SIGKILLs at random points: resumed from the last STATE printed, the reads together deliver every record`, async () => {
    const random = seeded(vendor.length * 7919);
    await withSandbox(vendor, { scale: 0.05, seed: 23, latencyMs: [0, 3] }, { page_size: 10, concurrency: 2 }, async ({ sb, ws, config, incremental }) => {
      const streams = incremental.streams.map((s) => s.stream.name);
      const expected = streams.reduce((n, s) => n + truthByKey(sb, vendor, s).size, 0);
      const outputs: ConnectorOutput[] = [];
      // The platform keeps the last STATE of each stream it received, and passes them to the next attempt.
      const saved = new Map<string, AirbyteStateMessage>();
      let kills = 0;
      for (let attempt = 0; attempt <= KILLS; attempt++) {
        const last = attempt === KILLS;
        const killAfter = Math.floor(random() * expected * 0.8) + 1;
        let records = 0;
        let pid: number | undefined;
        const argv = ['read', '--config', config, ...ws.flags({ catalog: incremental, ...(saved.size > 0 ? { state: [...saved.values()] } : {}) })];
        const output = await runCli(argv, {
          onStart: (id) => (pid = id),
          onMessage: (message) => {
            if (message.type === 'STATE' && message.state?.stream)
              saved.set(message.state.stream.stream_descriptor.name, { type: 'STREAM', stream: message.state.stream });
            if (message.type === 'RECORD' && ++records === killAfter && !last && pid) process.kill(pid, 'SIGKILL');
          },
        });
        outputs.push(output);
        if (output.code !== 0 && !last) kills++;
        if (last) expectSucceeded(output);
      }
      expect(kills, 'reads killed before their end').toBeGreaterThan(0);
      const delivered = new Map<string, Set<string>>();
      for (const output of outputs)
        for (const stream of streams) {
          const keys = delivered.get(stream) ?? new Set<string>();
          for (const key of keysOf(sb, vendor, stream, output.records(stream))) keys.add(key);
          delivered.set(stream, keys);
        }
      for (const stream of streams) {
        const missing = [...truthByKey(sb, vendor, stream).keys()].filter((key) => !delivered.get(stream)?.has(key));
        expect(missing, `${stream}: records never delivered across the killed reads and the last one`).toEqual([]);
      }
      expect(leaks(vendor, outputs)).toEqual([]);
      const total = outputs.reduce((n, o) => n + o.records().length, 0);
      console.info(
        `${vendor}: ${kills} kills survived; records expected ${expected}, delivered ${total} in ${outputs.length} reads (at least once each); secret scan clean`,
      );
    });
  });
});
