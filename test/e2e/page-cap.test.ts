/**
 * End-to-end: a server that silently serves fewer records per page than asked for. Every paginated
 * endpoint of the sandbox is capped at CAP records a page while the connector asks for 1000 (or the
 * endpoint's maximum); a short page then says nothing about the end of the list, and a read that
 * stops at one loses records with a successful exit. Every stream of every vendor must still bring
 * exactly the sandbox's records.
 */
import { describe, expect, it } from 'vitest';
import { VENDORS } from '../../tools/sandbox/index.js';
import { expectEveryStreamExactly, expectSucceeded, withSandbox } from './kit.js';

/** Odd, and below the record count of every paginated stream (and of most child partitions) at this scale. */
const CAP = 7;
const SCALE = 0.5;
/** Leanmote's sandbox holds about 40 records per unit of scale where the others hold about 10: fewer, for the same number of requests. */
const SCALES: Partial<Record<(typeof VENDORS)[number], number>> = { leanmote: 0.25 };

describe.concurrent('a server that caps the page size below what the connector asks for', () => {
  it.each(VENDORS)('%s: every stream reads exactly the sandbox’s records, page_size 1000 against pages of 7', async (vendor) => {
    await withSandbox(vendor, { scale: SCALES[vendor] ?? SCALE, seed: 5, pageCap: CAP }, { page_size: 1000 }, async ({ sb, catalog: configure, read }) => {
      const streams = Object.keys(sb.streams(vendor));
      const catalog = configure({ mode: 'full_refresh' });
      expect(catalog.streams.map((s) => s.stream.name).sort()).toEqual([...streams].sort());

      const result = await read(catalog);
      expectSucceeded(result);
      // First the counts of every stream at once, so that a failure names every stream that lost records.
      const short = Object.fromEntries(
        streams.flatMap((stream) => {
          const read = result.records(stream).length;
          const truth = sb.truth(vendor, stream).length;
          return read === truth ? [] : [[stream, `${read} of ${truth}`]];
        }),
      );
      expect(short, 'streams that did not read every record').toEqual({});
      expectEveryStreamExactly(sb, vendor, streams, result);
    });
  });
});
