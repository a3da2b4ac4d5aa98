import { z } from 'zod';
import { ConnectorError } from './engine/errors.js';
import { defaultRetryPolicy, type RetryPolicy } from './engine/http/retry.js';
import { toAirbyteJsonSchema } from './engine/schema.js';
import { vendors } from './streams/index.js';
import { describeLimits, type Settings } from './streams/vendor.js';

const platform = z
  .discriminatedUnion('vendor', vendors.map((v) => v.config) as unknown as [z.ZodObject<{ vendor: z.ZodLiteral<string> }>])
  .meta({ title: 'Platform', description: 'The vendor to read from, and its credentials.', order: 0 });

/** How long a server may stay silent within one request (undici's connect, headers and body timeouts). */
export const DEFAULT_REQUEST_TIMEOUT_SECONDS = 60;
/** How long one request may take in all, however steadily its answer trickles in. */
export const DEFAULT_REQUEST_DEADLINE_SECONDS = 300;

/** The connector's configuration: the single source of the spec, its validation and its type. */
export const ConfigSchema = z
  .object({
    platform,
    start_date: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({
        title: 'Start date',
        description:
          'UTC date-time (e.g. 2020-01-01T00:00:00Z). Records whose cursor is older are not read, in full refresh and in the first incremental sync. Leave empty for all history.',
        examples: ['2020-01-01T00:00:00Z'],
        pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$',
        pattern_descriptor: 'YYYY-MM-DDTHH:mm:ssZ',
        format: 'date-time',
        order: 1,
      }),
    page_size: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({
        title: 'Page size',
        description: `Records asked for per request, at most each endpoint's maximum. Leave empty for that maximum, the fewest requests: ${vendors.map((v) => `${v.title} ${v.pageSizes}`).join('; ')}.`,
        order: 2,
      }),
    requests_per_second: z
      .number()
      .positive()
      .max(100)
      .optional()
      .meta({
        title: 'Requests per second',
        description: `Overrides the vendor's rate limit, in requests per second: ${vendors.map(describeLimits).join('; ')}. Lower it when the account is shared with other integrations.`,
        order: 3,
      }),
    concurrency: z.number().int().min(1).max(32).optional().meta({
      title: 'Concurrent partitions',
      description: 'Child-stream partitions (e.g. one review cycle each) read at the same time, always within the rate limit.',
      default: 4,
      order: 4,
    }),
    max_retries: z.number().int().min(0).max(20).optional().meta({
      title: 'Retries per request',
      description: 'Retries of a request that failed with 429, 5xx or a network error, with exponential backoff.',
      default: defaultRetryPolicy.maxRetries,
      order: 5,
    }),
    retry_base_delay_seconds: z
      .number()
      .min(0)
      .max(60)
      .optional()
      .meta({
        title: 'First retry delay (seconds)',
        description: "Backoff before the first retry; it doubles with each retry. A server's Retry-After always wins.",
        default: defaultRetryPolicy.baseDelayMs / 1000,
        order: 6,
      }),
    request_timeout_seconds: z.number().int().min(1).max(600).optional().meta({
      title: 'Request timeout (seconds)',
      description: 'How long the server may stay silent, before its answer starts or in the middle of it, before the request is retried.',
      default: DEFAULT_REQUEST_TIMEOUT_SECONDS,
      order: 7,
    }),
    request_deadline_seconds: z.number().int().min(1).max(3600).optional().meta({
      title: 'Request deadline (seconds)',
      description:
        'The longest one request may take, from sending it to the last byte of its answer, even when the server keeps sending a little at a time; then it is retried like a network error. Raise it only for very large downloads on a slow link.',
      default: DEFAULT_REQUEST_DEADLINE_SECONDS,
      order: 8,
    }),
  })
  .meta({ title: 'Performance Management Source Spec' });

export type Config = z.infer<typeof ConfigSchema>;

export function connectionSpecification(): Record<string, unknown> {
  const schema = toAirbyteJsonSchema(ConfigSchema, { keepRequired: true });
  return { ...schema, $schema: 'http://json-schema.org/draft-07/schema#' };
}

export function parseConfig(input: unknown): Config {
  const parsed = ConfigSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConnectorError(`The configuration is invalid: ${z.prettifyError(parsed.error)}`, 'config_error');
  }
  return parsed.data;
}

export function settingsOf(config: Config): Settings {
  return {
    ...(config.page_size === undefined ? {} : { pageSize: config.page_size }),
    ...(config.requests_per_second === undefined ? {} : { requestsPerSecond: config.requests_per_second }),
  };
}

export function retryPolicyOf(config: Config): RetryPolicy {
  return {
    ...defaultRetryPolicy,
    ...(config.max_retries === undefined ? {} : { maxRetries: config.max_retries }),
    ...(config.retry_base_delay_seconds === undefined ? {} : { baseDelayMs: config.retry_base_delay_seconds * 1000 }),
  };
}

/**
 * `check` answers a person waiting in a UI: a couple of quick retries, never the minutes of backoff a
 * sync may spend. Each attempt has CHECK_TIMEOUT_MS in all (its deadline) and of silence; worst case
 * per request: two attempts of CHECK_TIMEOUT_MS plus a second of backoff.
 */
export const CHECK_TIMEOUT_MS = 10_000;

export function checkRetryPolicyOf(config: Config): RetryPolicy {
  const policy = retryPolicyOf(config);
  return {
    maxRetries: Math.min(policy.maxRetries, 2),
    baseDelayMs: Math.min(policy.baseDelayMs, 1_000),
    maxDelayMs: 2_000,
    maxElapsedMs: 2 * CHECK_TIMEOUT_MS,
  };
}
