/**
 * Records that do not match their stream's declared schema are emitted as received (the data is the
 * vendor's) with a warning naming the record and the problem. Checking every record costs a tenth of
 * a read's CPU: once a stream's first 1,000 records matched, one in 50 is checked, and after a
 * mismatch every record again.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memoryOutput } from '../../tools/testing/harness.js';
import { testApi, testStream, catalogEntry } from '../../tools/testing/engine/reader.js';
import type { Logger } from './logger.js';
import { sync } from './sync.js';

/** A stream of `count` records read by its own `read`, where `bad(i)` says which have a number for a name. */
function readNames(count: number, bad: (i: number) => boolean) {
  const names = testStream({
    name: 'names',
    schema: z.looseObject({ id: z.number(), name: z.string() }),
    primaryKey: [['id']],
    request: { path: '/names' },
    read: async function* () {
      for (let i = 0; i < count; i++) yield { id: i, name: bad(i) ? 42 : `n${i}` };
    },
  });
  return names;
}

async function run(count: number, bad: (i: number) => boolean) {
  const memory = memoryOutput();
  const warnings: string[] = [];
  const logger: Logger = { info: () => undefined, warn: (m) => warnings.push(m), error: () => undefined };
  const stream = readNames(count, bad);
  const failed = await sync(
    { reader: { apis: testApi(), logger, concurrency: 1 }, output: memory.output, logger, vendor: 'Test' },
    [catalogEntry(stream)],
    new Map(),
  );
  return { failed, records: memory.result(0).records('names'), warnings };
}

describe('records checked against the declared schema', () => {
  it('warns about a record that does not match, naming it and the field, and emits it as received', async () => {
    const { failed, records, warnings } = await run(10, (i) => i === 3);
    expect(failed).toEqual([]);
    expect(records).toHaveLength(10);
    expect(records[3]).toEqual({ id: 3, name: 42 });
    expect(warnings).toEqual([expect.stringMatching(/^names: record 3 does not match the declared schema \(name: .*\); emitted as received\.$/)]);
  });

  it('logs the first five mismatches, then counts them all', async () => {
    const { warnings } = await run(20, (i) => i % 2 === 0);
    expect(warnings.filter((w) => /does not match/.test(w))).toHaveLength(5);
    expect(warnings.at(-1)).toBe('names: 10 records in all did not match the declared schema.');
  });

  it('checks every one of the first 1,000 records, then one in 50, and every record again after a mismatch', async () => {
    // Record 1,010 is not among those checked (1,050 is); from 1,050 on, every record is.
    const { warnings } = await run(1_200, (i) => i === 1_009 || i === 1_049 || i === 1_051 || i === 1_999);
    const named = warnings.filter((w) => /does not match/.test(w)).map((w) => Number(/record (\d+)/.exec(w)?.[1]));
    expect(named).toEqual([1_049, 1_051]);
    const { warnings: early } = await run(1_000, (i) => i === 999);
    expect(early.filter((w) => /does not match/.test(w))).toHaveLength(1);
  });

  it('says, in its count of mismatches, how many records were checked of those read', async () => {
    // From record 1,049 on (the first one sampled past 1,000) every record is checked: 1,000 + 151.
    const { warnings } = await run(1_200, (i) => i >= 1_049);
    expect(warnings.at(-1)).toBe('names: 151 records in all did not match the declared schema (of the 1151 checked; 1200 were read).');
  });
});
