import { startSandbox, type Vendor } from '../sandbox/index.js';

/** The sandbox scale that gives about `records` records of a stream: counted at scale 1, where counting is cheap. */
export async function scaleFor(vendor: Vendor, stream: string, records: number, seed: number): Promise<number> {
  const probe = await startSandbox({ seed, scale: 1 });
  let perScale = 0;
  try {
    for (const _ of probe.truthIterator(vendor, stream)) perScale++;
  } finally {
    await probe.close();
  }
  if (perScale === 0) throw new Error(`the sandbox has no ${vendor} records for ${stream}`);
  return Math.max(0.001, Math.round((records / perScale) * 1000) / 1000);
}
