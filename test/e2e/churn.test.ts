/**
 * End-to-end: data that changes between the page requests of a read. The sandbox's churn deletes
 * records placed before the offset of a list request just before serving it, and inserts records
 * there just after: a client that pages by position then starts its next page too late (a record
 * skipped) or too early (a record repeated). Every stream of every vendor must still deliver every
 * record that existed for the whole read, once; records inserted or deleted meanwhile may or may not
 * come (docs/streams/<vendor>.md, "Data that changes during a read").
 */
import { describe, expect, it } from 'vitest';
import type { ChurnOptions } from '../../tools/sandbox/index.js';
import { duplicates, expectSucceeded, keysOf, withSandbox, type SandboxVendor } from './kit.js';

/** Small pages, so that every paginated list has many page boundaries for the churn to shift. */
const PAGE_SIZE = 10;

const VENDORS: Array<{ vendor: SandboxVendor; scale: number; pageCap?: number }> = [
  { vendor: 'leapsome', scale: 0.3 },
  // Reflektive's page size is fixed at 200: the sandbox's page cap makes its pages small instead.
  { vendor: 'reflektive', scale: 1, pageCap: PAGE_SIZE },
  { vendor: 'pe365', scale: 0.3 },
  { vendor: 'leanmote', scale: 0.3 },
];

const RHYTHMS: Array<{ name: string; churn: ChurnOptions }> = [
  { name: 'every third request, one deleted and one inserted', churn: { everyRequests: 3, insert: 1, delete: 1 } },
  { name: 'every request, two deleted and one inserted', churn: { everyRequests: 1, insert: 1, delete: 2 } },
];

const CASES = VENDORS.flatMap((run) => RHYTHMS.map((rhythm) => ({ ...run, ...rhythm })));

describe.concurrent('records inserted and deleted while a read pages through the lists', () => {
  it.each(CASES)('$vendor, $name: every record that existed for the whole read is delivered, once', async ({ vendor, scale, pageCap, churn }) => {
    await withSandbox(vendor, { scale, seed: 8, churn, ...(pageCap ? { pageCap } : {}) }, { page_size: PAGE_SIZE }, async ({ sb, catalog, read }) => {
      const streams = Object.keys(sb.streams(vendor));
      const watch = sb.watch(vendor);
      const result = await read(catalog({ mode: 'full_refresh' }));
      expectSucceeded(result);
      const churned = sb.churned(vendor);
      expect(churned.deleted, 'records the churn deleted').toBeGreaterThan(10);
      expect(churned.inserted, 'records the churn inserted').toBeGreaterThan(5);

      // Every stream at once, so that a failure names every stream that lost records, and how many.
      const lost: Record<string, string> = {};
      const repeated: Record<string, number> = {};
      for (const stream of streams) {
        const { throughout } = watch.lifetimes(stream);
        const emitted = keysOf(sb, vendor, stream, result.records(stream));
        const seen = new Set(emitted);
        const missing = [...throughout].filter((key) => !seen.has(key));
        if (missing.length > 0) lost[stream] = `${missing.length} of ${throughout.size}`;
        const twice = duplicates(emitted).length;
        if (twice > 0) repeated[stream] = twice;
      }
      expect(lost, 'records that existed for the whole read and were not delivered').toEqual({});
      expect(repeated, 'records delivered more than once').toEqual({});

      // Lists that page by position say that they moved, and that nothing was skipped for it.
      if (vendor !== 'reflektive') {
        expect(
          result
            .logs()
            .some((line) => /records were added or deleted before the page being read \d+ times? while the list was read;.*none was skipped/.test(line)),
        ).toBe(true);
      }
      expect(result.logs().filter((line) => /read again from its start/.test(line))).toEqual([]);
    });
  });
});
