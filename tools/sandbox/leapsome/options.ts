import { type FlagDefinition, list, number } from '../flags.js';
import type { FakeOptions } from '../vendor.js';

/** Leapsome permissions an API key can lack; the matching endpoints answer 403. */
export type LeapsomePermission = 'timesheets' | 'payroll' | 'absences' | 'access_roles';
const LEAPSOME_PERMISSIONS: readonly LeapsomePermission[] = ['timesheets', 'payroll', 'absences', 'access_roles'];

/** The Leapsome fake's fields of `SandboxOptions`. */
export interface LeapsomeFakeOptions {
  /** Lifetime of Leapsome JWTs. Default 18000. */
  tokenTtlSeconds?: number;
  /** Leapsome permissions the API key lacks. */
  forbidden?: LeapsomePermission[];
  /**
   * Silent server-side cap on Leapsome `/reviews` and participants `pageSize` (no maximum is
   * documented). Default 100; 0 disables it.
   */
  leapsomeReviewsMaxPageSize?: number;
}

export interface ResolvedLeapsome {
  tokenTtlSeconds: number;
  forbidden: ReadonlySet<LeapsomePermission>;
  reviewsMaxPageSize: number;
}

const flags: FlagDefinition<LeapsomeFakeOptions>[] = [
  {
    name: 'token-ttl',
    value: 'SECONDS',
    help: 'Lifetime of Leapsome JWTs from GET /token. Default 18000.',
    apply: (o, v) => (o.tokenTtlSeconds = number('token-ttl', v, { min: 0.001 })),
  },
  {
    name: 'forbidden',
    value: 'LIST',
    help: `Leapsome permissions the key lacks (403): ${LEAPSOME_PERMISSIONS.join(', ')}.`,
    apply: (o, v) => (o.forbidden = list('forbidden', v, LEAPSOME_PERMISSIONS)),
  },
  {
    name: 'reviews-max-page-size',
    value: 'N',
    help: 'Silent cap on Leapsome review/participant pageSize (0 = none). Default 100.',
    apply: (o, v) => (o.leapsomeReviewsMaxPageSize = number('reviews-max-page-size', v, { min: 0, integer: true })),
  },
];

export const leapsomeOptions: FakeOptions<LeapsomeFakeOptions, ResolvedLeapsome> = {
  resolve: (options) => ({
    tokenTtlSeconds: options.tokenTtlSeconds ?? 18000,
    forbidden: new Set(options.forbidden ?? []),
    reviewsMaxPageSize: options.leapsomeReviewsMaxPageSize ?? 100,
  }),
  flags,
};
