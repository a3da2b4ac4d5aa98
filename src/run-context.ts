import {
  CHECK_TIMEOUT_MS,
  checkRetryPolicyOf,
  DEFAULT_REQUEST_DEADLINE_SECONDS,
  DEFAULT_REQUEST_TIMEOUT_SECONDS,
  retryPolicyOf,
  settingsOf,
  type Config,
} from './config.js';
import type { RetryPolicy } from './engine/http/retry.js';
import { toAirbyteJsonSchema } from './engine/schema.js';
import { vendorOf, vendors } from './streams/index.js';
import { requestsPerSecondOf, type AnyVendor, type ApiLimit, type Settings } from './streams/vendor.js';

/** Everything a command needs from the config, read once. */
export interface RunContext {
  vendor: AnyVendor;
  /** The vendor's own part of the config, as its folder types it. */
  platform: Config['platform'];
  settings: Settings;
  retry: RetryPolicy;
  /** `check` answers a person waiting in a UI: short retries, short deadlines. */
  checkRetry: RetryPolicy;
  /** How long a server may stay silent within one request. */
  requestTimeoutMs: number;
  /** How long one request may take in all, from sending it to the last byte of its answer. */
  requestDeadlineMs: number;
  /** `check`'s limit per request, both in all and of silence. */
  checkTimeoutMs: number;
  concurrency: number;
  startDate: string | undefined;
  /** Requests per hour the tightest of the vendor's APIs allows (the config's requests_per_second included). */
  requestsPerHour: number;
  /** Every value no output may show: the fields marked `airbyte_secret`, and what the vendor derives from them. */
  secrets: string[];
}

export function runContextOf(config: Config): RunContext {
  const vendor = vendorOf(config.platform.vendor);
  const requestTimeoutMs = (config.request_timeout_seconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS) * 1000;
  const requestDeadlineMs = (config.request_deadline_seconds ?? DEFAULT_REQUEST_DEADLINE_SECONDS) * 1000;
  const platform = config.platform as Record<string, unknown>;
  const declared = secretFieldsOf(vendor).flatMap((field) => (typeof platform[field] === 'string' ? [platform[field] as string] : []));
  return {
    vendor,
    platform: config.platform,
    settings: settingsOf(config),
    retry: retryPolicyOf(config),
    checkRetry: checkRetryPolicyOf(config),
    requestTimeoutMs,
    requestDeadlineMs,
    checkTimeoutMs: Math.min(requestTimeoutMs, requestDeadlineMs, CHECK_TIMEOUT_MS),
    concurrency: config.concurrency ?? 4,
    startDate: config.start_date,
    requestsPerHour: hourlyCapacity(vendor, settingsOf(config)),
    secrets: [...declared, ...(vendor.derivedSecrets?.(config.platform) ?? [])],
  };
}

const secretFields = new Map<AnyVendor, string[]>();

/** The fields of a vendor's config variant marked `airbyte_secret`, as the spec shows them. */
export function secretFieldsOf(vendor: AnyVendor): string[] {
  let fields = secretFields.get(vendor);
  if (!fields) {
    const properties = (toAirbyteJsonSchema(vendor.config).properties ?? {}) as Record<string, { airbyte_secret?: boolean }>;
    fields = Object.entries(properties).flatMap(([name, property]) => (property.airbyte_secret ? [name] : []));
    secretFields.set(vendor, fields);
  }
  return fields;
}

/**
 * The values of any vendor's secret fields in a config that may not parse: an error about that
 * config must not echo them, and which vendor it is for is not known yet.
 */
export function secretsOfRawConfig(raw: unknown): string[] {
  const platform = (raw as { platform?: unknown } | null)?.platform;
  if (!platform || typeof platform !== 'object') return [];
  const names = new Set(vendors.flatMap(secretFieldsOf));
  return [...names].flatMap((name) => {
    const value = (platform as Record<string, unknown>)[name];
    return typeof value === 'string' ? [value] : [];
  });
}

/** The fewest requests per hour any of the vendor's APIs allows, by its per-second and per-hour limits. */
function hourlyCapacity(vendor: AnyVendor, settings: Settings): number {
  const limits = Object.values(vendor.limits) as Array<ApiLimit & { perHour?: number }>;
  return Math.min(...limits.map((limit) => Math.min(requestsPerSecondOf(limit, settings) * 3600, limit.perHour ?? Number.POSITIVE_INFINITY)));
}
