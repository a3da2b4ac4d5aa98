import { describe, expect, it } from 'vitest';
import { checkRetryPolicyOf, parseConfig, retryPolicyOf, settingsOf } from './config.js';
import { ConnectorError } from './engine/errors.js';
import { defaultRetryPolicy } from './engine/http/retry.js';
import { runContextOf } from './run-context.js';

const minimal = { platform: { vendor: 'leapsome', api_key: 'k3y' } };

function invalid(input: unknown): string {
  try {
    parseConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect((error as ConnectorError).failureType).toBe('config_error');
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
}

describe('config', () => {
  it('needs only the vendor and its secret; everything else has a default', () => {
    const config = parseConfig(minimal);
    // No page size: each endpoint's maximum.
    expect(settingsOf(config)).toEqual({});
    expect(retryPolicyOf(config)).toEqual(defaultRetryPolicy);
  });

  it('accepts the fixed config contract as written', () => {
    const config = parseConfig({
      platform: {
        vendor: 'leapsome',
        api_key: 'secret',
        base_url: 'https://api.leapsome.com/v1',
        scim_token: 'scim',
        scim_base_url: 'https://api.leapsome.com/scim/v1',
      },
      start_date: '2020-01-01T00:00:00Z',
    });
    expect(config.start_date).toBe('2020-01-01T00:00:00Z');
  });

  it('accepts a start_date with an offset or milliseconds', () => {
    expect(parseConfig({ ...minimal, start_date: '2020-01-01T02:00:00+02:00' }).start_date).toBeDefined();
    expect(parseConfig({ ...minimal, start_date: '2020-01-01T00:00:00.000Z' }).start_date).toBeDefined();
  });

  it('applies the advanced settings', () => {
    const config = parseConfig({ ...minimal, page_size: 50, requests_per_second: 5, max_retries: 2, retry_base_delay_seconds: 0.5 });
    expect(settingsOf(config)).toEqual({ pageSize: 50, requestsPerSecond: 5 });
    expect(retryPolicyOf(config)).toMatchObject({ maxRetries: 2, baseDelayMs: 500 });
  });

  it('gives every request a total deadline besides its idle timeout: 300 s and 60 s unless set; check takes 10 s for both', () => {
    expect(runContextOf(parseConfig(minimal))).toMatchObject({ requestTimeoutMs: 60_000, requestDeadlineMs: 300_000, checkTimeoutMs: 10_000 });
    expect(runContextOf(parseConfig({ ...minimal, request_timeout_seconds: 30, request_deadline_seconds: 900 }))).toMatchObject({
      requestTimeoutMs: 30_000,
      requestDeadlineMs: 900_000,
    });
    // A deadline shorter than check's own limit shortens check too.
    expect(runContextOf(parseConfig({ ...minimal, request_deadline_seconds: 5 })).checkTimeoutMs).toBe(5_000);
  });

  it.each([
    [{ ...minimal, page_size: 0 }, /page_size/],
    [{ ...minimal, request_deadline_seconds: 0 }, /request_deadline_seconds/],
    [{ ...minimal, request_deadline_seconds: 3601 }, /request_deadline_seconds/],
    [{ ...minimal, requests_per_second: 1000 }, /requests_per_second/],
    [{ ...minimal, max_retries: -1 }, /max_retries/],
    [{ ...minimal, concurrency: 1.5 }, /concurrency/],
  ])('rejects an out-of-range setting, naming it (%j)', (input, pattern) => {
    expect(invalid(input)).toMatch(pattern);
  });

  it('check retries less and sooner than read, whatever the config says', () => {
    const config = parseConfig({ ...minimal, max_retries: 10, retry_base_delay_seconds: 20 });
    expect(retryPolicyOf(config).maxRetries).toBe(10);
    const check = checkRetryPolicyOf(config);
    expect(check.maxRetries).toBe(2);
    expect(check.baseDelayMs).toBeLessThanOrEqual(1_000);
    // A config asking for fewer retries or shorter delays gets them in check too.
    expect(checkRetryPolicyOf(parseConfig({ ...minimal, max_retries: 0, retry_base_delay_seconds: 0.01 }))).toMatchObject({ maxRetries: 0, baseDelayMs: 10 });
  });
});
