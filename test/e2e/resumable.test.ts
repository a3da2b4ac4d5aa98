/**
 * Every stream the connector declares resumable (`is_resumable` in discover) checkpoints forward, as
 * CAT's test_read_sequential_slices expects of every state it is given: a read resumed from a STATE
 * in the middle of a full read emits strictly fewer records than the full read did, and none of the
 * records that came after that STATE is missing from it.
 */
import { describe, expect, it } from 'vitest';
import type { AirbyteMessage } from '../../src/protocol/generated.js';
import { onlyStreams } from '../../tools/testing/harness.js';
import { VENDORS } from '../../tools/sandbox/index.js';
import { expectSucceeded, keysOf, withSandbox, type SandboxVendor } from './kit.js';

/** A sandbox size at which every resumable stream spans several pages, unless a vendor needs another. */
const SIZE = { scale: 0.05, page_size: 3 };
const SIZES: Partial<Record<SandboxVendor, typeof SIZE>> = {
  // Reflektive serves feedback in pages of a fixed size.
  reflektive: { scale: 1, page_size: 3 },
  pe365: { scale: 0.2, page_size: 2 },
  // Few git apps, and many commits: pages of 3 would cost thousands of requests.
  leanmote: { scale: 0.05, page_size: 20 },
};

describe.each(VENDORS)('%s: every resumable stream checkpoints forward', (vendor) => {
  it('a read resumed from a middle STATE reads strictly less and loses nothing that came after it', async () => {
    // Small pages and two partitions at a time, so that every resumable stream checkpoints mid-read.
    const { scale, page_size } = SIZES[vendor] ?? SIZE;
    await withSandbox(vendor, { scale, seed: 11 }, { page_size, concurrency: 2 }, async ({ sb, incremental, read }) => {
      const resumable = incremental.streams.filter((s) => s.stream.is_resumable).map((s) => s.stream.name);
      expect(resumable.length).toBeGreaterThan(0);
      const first = await read(incremental);
      expectSucceeded(first);

      const resumeAt = new Map<string, number>();
      const without: string[] = [];
      for (const stream of resumable) {
        const intermediate = first.checkpoints(stream);
        // A list whose records all fit in one page has no page boundary to checkpoint at.
        const onePage =
          !incremental.streams.find((s) => s.stream.name === stream)?.stream.source_defined_primary_key?.some((k) => k.length > 0 && k[0]?.endsWith('_id')) &&
          first.records(stream).length <= page_size;
        if (intermediate.length === 0 && !onePage) without.push(`${stream} (${first.records(stream).length})`);
        else if (intermediate.length > 0) resumeAt.set(stream, intermediate[Math.floor(intermediate.length / 2)] as number);
      }
      expect(without, 'resumable streams without a mid-read STATE').toEqual([]);
      // Streams resume independently: one read resumes each stream from its own middle STATE.
      const stateAt = (index: number) => (first.messages[index] as AirbyteMessage).state!.stream!;
      const resumed = await read(
        onlyStreams(incremental, resumable),
        [...resumeAt.values()].map((index) => ({ type: 'STREAM', stream: stateAt(index) })),
      );
      expectSucceeded(resumed);

      for (const [stream, index] of resumeAt) {
        const context = `${stream} resumed from STATE #${index} ${JSON.stringify(stateAt(index).stream_state)}`;
        const all = first.records(stream);
        const again = new Set(keysOf(sb, vendor, stream, resumed.records(stream)));
        expect(again.size, `${context}: read as much as the full read`).toBeLessThan(all.length);
        const later = keysOf(sb, vendor, stream, first.slice(index).records(stream));
        expect(
          later.filter((key) => !again.has(key)),
          `${context}: records after the STATE that were lost`,
        ).toEqual([]);
      }
    });
  });
});
