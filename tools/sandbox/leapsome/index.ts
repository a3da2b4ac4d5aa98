import type { ResolvedOptions } from '../options.js';
import type { VendorModule } from '../vendor.js';
import { leapsomeContentMount } from './content.js';
import { LeapsomeData } from './data.js';
import { mutateLeapsome } from './mutate.js';
import { leapsomeScimMount, SCIM_PREFIX } from './scim.js';
import { LEAPSOME_KEYS, leapsomeTruth } from './truth.js';

export function createLeapsome(options: ResolvedOptions, selfUrl: () => string): VendorModule {
  const data = new LeapsomeData(options.seed, options.scale);
  let serial = 0;
  return {
    vendor: 'leapsome',
    mounts: [leapsomeContentMount(data, options), leapsomeScimMount(data, selfUrl)],
    primaryKeys: LEAPSOME_KEYS,
    truth: (stream) => leapsomeTruth(data, stream, `${selfUrl()}${SCIM_PREFIX}`),
    mutate: (round, now, updates, inserts) =>
      mutateLeapsome(data, data.world.rng('mutate', round), now, updates, inserts, () => serial++),
  };
}
