import type { z } from 'zod';
import { ApiClient, type RateLimit } from '../engine/http/client.js';
import type { RetryPolicy } from '../engine/http/retry.js';
import type { Transport } from '../engine/http/transport.js';
import type { Logger } from '../engine/logger.js';
import type { StreamDefinition } from '../engine/stream.js';

/** Settings shared by every vendor, from the optional advanced part of the config. */
export interface Settings {
  /** Overrides the vendor's documented request rate. */
  requestsPerSecond?: number;
  /** Records per page, clamped to each endpoint's documented maximum; by default that maximum. */
  pageSize?: number;
}

export interface VendorRuntime {
  transport: Transport;
  retry: RetryPolicy;
  logger: Logger;
  settings: Settings;
  /** Registers a secret learnt at run time (an exchanged token) so no output can show it. */
  addSecret: (secret: string) => void;
  /** Every pacing window this many times its length (see `RateLimit.timeScale`); 1 outside tests. */
  timeScale?: number;
}

/** An API's pace, as the vendor documents it, or our cautious default where it documents none. */
export interface ApiLimit {
  /** How people call it ("Content API"). */
  title: string;
  requestsPerSecond: number;
  /** Budgets over longer windows (Leanmote: 100 a minute, 1000 an hour), kept unless `requests_per_second` is set. */
  perMinute?: number;
  perHour?: number;
  /**
   * Share of the per-minute budget left to other clients of the same account, whose requests count in
   * the same window while no response header reports them (Leanmote's headers report the hour only).
   */
  minuteHeadroom?: number;
  /** Whether the vendor documents this limit. */
  documented: boolean;
}

/** A vendor's API clients, as named fields: `{ content: ApiClient; scim: ApiClient | undefined }`. */
export type ApiSet = object;

/** Every client of a vendor's set, to close them. */
export const clientsOf = (apis: ApiSet): ApiClient[] => Object.values(apis).filter((api): api is ApiClient => api instanceof ApiClient);

/**
 * What a vendor folder provides: its config variant, auth, limits and stream definitions. `A` is its
 * set of API clients, which its streams pick from by field, so a wrong one does not compile.
 */
export interface Vendor<C extends { vendor: string } = { vendor: string }, A extends ApiSet = ApiSet> {
  id: C['vendor'];
  title: string;
  /** The variant of the config's `platform` oneOf; `vendor` is its const discriminator. Its fields marked `airbyte_secret` are never printed. */
  config: z.ZodType<C>;
  /** Every stream the config can serve (optional ones only when their credentials are set). */
  streams(config: C, settings: Settings): Array<StreamDefinition<z.ZodType, A>>;
  /** Secrets derived from the config's secret fields (an encoded credential), also never printed. */
  derivedSecrets?(config: C): string[];
  /** Its endpoints' largest pages, the default page size, for the spec ("1000 (100 on review lists)"). */
  pageSizes: string;
  /** Each API's default pace, by the field that names it in the API set; `requests_per_second` overrides them all. */
  limits: { [K in keyof A]-?: ApiLimit };
  /** The vendor's API clients. */
  apis(config: C, runtime: VendorRuntime): A;
  /** Proves the credentials work with the cheapest authenticated request; throws otherwise. */
  check(apis: A, config: C): Promise<void>;
}

/** A vendor whose config and API types are only known to its own folder. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds vendors of different types
export type AnyVendor = Vendor<any, any>;

/** An endpoint's page size: the config's `page_size` up to the endpoint's maximum, or that maximum: fewer requests cost more than anything a larger page does. */
export const clampPageSize = (settings: Settings, max: number): number => Math.max(1, Math.min(settings.pageSize ?? max, max));

/** The pace of one of a vendor's APIs: the config's override, else the vendor's default. */
export const requestsPerSecondOf = (limit: ApiLimit, settings: Settings): number => settings.requestsPerSecond ?? limit.requestsPerSecond;

/**
 * The rate limit of one of a vendor's APIs: its documented windows, or the config's
 * `requests_per_second` alone when it is set (the user then owns the pace; a server's quota headers
 * still hold it to the quota).
 */
export function paceOf(limit: ApiLimit, runtime: Pick<VendorRuntime, 'settings' | 'timeScale'>): RateLimit {
  const scale = runtime.timeScale === undefined || runtime.timeScale === 1 ? {} : { timeScale: runtime.timeScale };
  if (runtime.settings.requestsPerSecond !== undefined) return { requestsPerSecond: runtime.settings.requestsPerSecond, ...scale };
  return {
    requestsPerSecond: limit.requestsPerSecond,
    ...(limit.perMinute ? { perMinute: Math.max(1, Math.floor(limit.perMinute * (1 - (limit.minuteHeadroom ?? 0)))) } : {}),
    ...(limit.perHour ? { perHour: limit.perHour } : {}),
    ...scale,
  };
}

/**
 * "Leapsome 20 (Content API) and 30 (SCIM API), as documented", "Leanmote 5 (and at most 100 per
 * minute and 1000 per hour unless this is set), as documented", for the spec and the demo.
 */
export function describeLimits(vendor: AnyVendor): string {
  const limits = Object.values(vendor.limits) as ApiLimit[];
  const rates = limits
    .map((l) => {
      const budgets = [l.perMinute ? `${l.perMinute} per minute` : '', l.perHour ? `${l.perHour} per hour` : ''].filter((b) => b !== '');
      const notes = [...(limits.length > 1 ? [l.title] : []), ...(budgets.length > 0 ? [`and at most ${budgets.join(' and ')} unless this is set`] : [])];
      return notes.length > 0 ? `${l.requestsPerSecond} (${notes.join('; ')})` : String(l.requestsPerSecond);
    })
    .join(' and ');
  return `${vendor.title} ${rates}${limits.every((l) => l.documented) ? ', as documented' : ', a cautious default since it documents none'}`;
}
