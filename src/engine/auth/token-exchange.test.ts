import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorError, failureTypeOf, HttpError } from '../errors.js';
import { rejectedSecret, TokenExchangeAuth } from './token-exchange.js';

function exchanger(expiresIn: number) {
  const issued: string[] = [];
  const exchange = vi.fn(async () => {
    const token = `token-${issued.length + 1}`;
    issued.push(token);
    return { token, expiresIn };
  });
  return { exchange, issued };
}

afterEach(() => vi.useRealTimers());

describe('TokenExchangeAuth', () => {
  it('exchanges once and reuses the token, even for concurrent callers', async () => {
    const { exchange } = exchanger(18_000);
    const auth = new TokenExchangeAuth(exchange);
    const headers = await Promise.all([auth.headers(), auth.headers(), auth.headers()]);
    expect(await auth.headers()).toEqual({ authorization: 'Bearer token-1' });
    expect(headers.every((h) => h.authorization === 'Bearer token-1')).toBe(true);
    expect(exchange).toHaveBeenCalledTimes(1);
  });

  it('exchanges again a minute before a 5-hour token expires, not after', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse('2025-01-01T00:00:00Z'));
    const { exchange } = exchanger(18_000);
    const auth = new TokenExchangeAuth(exchange);
    await auth.headers();
    vi.setSystemTime(Date.parse('2025-01-01T04:58:59Z'));
    expect(await auth.headers()).toEqual({ authorization: 'Bearer token-1' });
    vi.setSystemTime(Date.parse('2025-01-01T04:59:01Z'));
    expect(await auth.headers()).toEqual({ authorization: 'Bearer token-2' });
    expect(exchange).toHaveBeenCalledTimes(2);
  });

  it('uses a short-lived token for half its lifetime', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(0);
    const { exchange } = exchanger(10);
    const auth = new TokenExchangeAuth(exchange);
    await auth.headers();
    vi.setSystemTime(4_900);
    await auth.headers();
    expect(exchange).toHaveBeenCalledTimes(1);
    vi.setSystemTime(5_100);
    await auth.headers();
    expect(exchange).toHaveBeenCalledTimes(2);
  });

  it('exchanges again after invalidate (a 401), and reports each token so it can be redacted', async () => {
    const { exchange } = exchanger(18_000);
    const seen: string[] = [];
    const auth = new TokenExchangeAuth(exchange, (token) => seen.push(token));
    await auth.headers();
    auth.invalidate();
    expect(await auth.headers()).toEqual({ authorization: 'Bearer token-2' });
    expect(seen).toEqual(['token-1', 'token-2']);
  });

  it('a failed exchange is not cached: the next call tries again', async () => {
    let fail = true;
    const auth = new TokenExchangeAuth(async () => {
      if (fail) throw new Error('boom');
      return { token: 'fresh', expiresIn: 3600 };
    });
    await expect(auth.headers()).rejects.toThrow('boom');
    fail = false;
    expect(await auth.headers()).toEqual({ authorization: 'Bearer fresh' });
  });
});

describe('rejectedSecret', () => {
  it.each([401, 403])('turns HTTP %i at the exchange into a config error naming the credential', (status) => {
    const error = (() => {
      try {
        rejectedSecret('Leapsome', 'Content API secret', new HttpError(status, 'GET', '/v1/token', '', 1));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConnectorError);
    expect(failureTypeOf(error)).toBe('config_error');
    expect((error as Error).message).toMatch(/Leapsome rejected the Content API secret/);
  });

  it('passes other failures through unchanged (a 503 stays transient)', () => {
    const original = new HttpError(503, 'GET', '/v1/token', '', 3);
    expect(() => rejectedSecret('Leapsome', 'Content API secret', original)).toThrow(original);
  });
});
