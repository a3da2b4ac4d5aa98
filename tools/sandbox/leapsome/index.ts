import { Churn } from '../churn.js';
import type { ResolvedOptions } from '../options.js';
import type { FakeVendor, VendorModule } from '../vendor.js';
import { LEAPSOME_CREDENTIALS } from './credentials.js';
import { LEAPSOME_PREFIX, leapsomeContentMount } from './content.js';
import { LeapsomeData } from './data.js';
import { mutateLeapsome } from './mutate.js';
import { leapsomeScimMount, SCIM_PREFIX } from './scim.js';
import { LEAPSOME_KEYS, leapsomeTruth } from './truth.js';

export function createLeapsome(options: ResolvedOptions, selfUrl: () => string): VendorModule {
  const data = new LeapsomeData(options.seed, options.scale);
  let serial = 0;
  const churn = new Churn(options.churn, options.seed, 'leapsome');
  return {
    vendor: 'leapsome',
    mounts: [leapsomeContentMount(data, options, churn), leapsomeScimMount(data, selfUrl, churn)],
    churned: () => churn.counts,
    primaryKeys: LEAPSOME_KEYS,
    truth: (stream) => leapsomeTruth(data, stream, `${selfUrl()}${SCIM_PREFIX}`),
    mutate: (round, now, updates, inserts) => mutateLeapsome(data, data.world.rng('mutate', round), now, updates, inserts, () => serial++),
  };
}

export const leapsomeFake: FakeVendor<'leapsome', 'leapsome' | 'leapsomeScim', typeof LEAPSOME_CREDENTIALS> = {
  vendor: 'leapsome',
  create: createLeapsome,
  primaryKeys: LEAPSOME_KEYS,
  mountPaths: { leapsome: LEAPSOME_PREFIX, leapsomeScim: SCIM_PREFIX },
  credentials: LEAPSOME_CREDENTIALS,
  platform: (sb) => ({
    vendor: 'leapsome',
    api_key: LEAPSOME_CREDENTIALS.apiKey,
    base_url: sb.mounts.leapsome,
    scim_token: LEAPSOME_CREDENTIALS.scimToken,
    scim_base_url: sb.mounts.leapsomeScim,
  }),
};
