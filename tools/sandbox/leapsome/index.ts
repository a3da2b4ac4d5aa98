import { Churn } from '../churn.js';
import type { ResolvedOptions } from '../options.js';
import { defineFake, type VendorModule } from '../vendor.js';
import { LEAPSOME_CREDENTIALS } from './credentials.js';
import { LEAPSOME_PREFIX, leapsomeContentMount } from './content.js';
import { LeapsomeData } from './data.js';
import { mutateLeapsome } from './mutate.js';
import { leapsomeOptions, type ResolvedLeapsome } from './options.js';
import { leapsomeScimMount, SCIM_PREFIX } from './scim.js';
import { LEAPSOME_KEYS, leapsomeTruth } from './truth.js';

export function createLeapsome(options: ResolvedOptions, own: ResolvedLeapsome, selfUrl: () => string): VendorModule<'leapsome', 'leapsome' | 'scim'> {
  const data = new LeapsomeData(options.seed, options.scale);
  let serial = 0;
  const churn = new Churn(options.churn, options.seed, 'leapsome');
  return {
    vendor: 'leapsome',
    mounts: [leapsomeContentMount(data, options.seed, own, churn), leapsomeScimMount(data, selfUrl, churn)],
    churned: () => churn.counts,
    primaryKeys: LEAPSOME_KEYS,
    truth: (stream) => leapsomeTruth(data, stream, `${selfUrl()}${SCIM_PREFIX}`),
    mutate: (round, now, updates, inserts) => mutateLeapsome(data, data.world.rng('mutate', round), now, updates, inserts, () => serial++),
  };
}

export const leapsomeFake = defineFake({
  vendor: 'leapsome',
  title: 'Leapsome Content + SCIM',
  create: createLeapsome,
  primaryKeys: LEAPSOME_KEYS,
  mountPaths: { leapsome: LEAPSOME_PREFIX, leapsomeScim: SCIM_PREFIX },
  mounts: {
    leapsome: { requestsPerSecond: { default: 20, api: 'Leapsome Content API', documented: true } },
    scim: { requestsPerSecond: { default: 30, api: 'Leapsome SCIM', documented: true } },
  },
  credentials: LEAPSOME_CREDENTIALS,
  options: leapsomeOptions,
  streamFacts: {
    // A cycle's detail has no lastModifiedOn of its own: the connector copies the cycle's from /reviews.
    review_cycle_details: { copiedFrom: { stream: 'review_cycles', fields: ['lastModifiedOn'] } },
    work_locations: { unsetCursorValues: 'work locations never updated have updatedAt null' },
  },
  platform: (sb) => ({
    vendor: 'leapsome',
    api_key: LEAPSOME_CREDENTIALS.apiKey,
    base_url: sb.mounts.leapsome,
    scim_token: LEAPSOME_CREDENTIALS.scimToken,
    scim_base_url: sb.mounts.leapsomeScim,
  }),
  banner: (sb) => [
    ['leapsome', `${sb.mounts.leapsome}  (GET /token?secret=${LEAPSOME_CREDENTIALS.apiKey})`],
    ['leapsome scim', `${sb.mounts.leapsomeScim}  (Authorization: Bearer ${LEAPSOME_CREDENTIALS.scimToken})`],
  ],
});
