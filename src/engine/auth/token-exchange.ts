import { ConnectorError, HttpError } from '../errors.js';
import type { AuthProvider } from '../http/client.js';

export interface ExchangedToken {
  token: string;
  /** Lifetime in seconds, as the API reports it. */
  expiresIn: number;
}

/**
 * A bearer token obtained by exchanging a long-lived secret, cached until shortly before it expires
 * and exchanged again on demand (also after a 401). Concurrent callers share one exchange.
 */
export class TokenExchangeAuth implements AuthProvider {
  private current: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly exchange: () => Promise<ExchangedToken>,
    private readonly onToken: (token: string) => void = () => undefined,
    private readonly marginMs = 60_000,
  ) {}

  async headers(): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token()}` };
  }

  invalidate(): void {
    this.current = undefined;
  }

  private async token(): Promise<string> {
    if (this.current && Date.now() < this.current.expiresAt) return this.current.token;
    this.pending ??= this.exchange()
      .then(({ token, expiresIn }) => {
        this.onToken(token);
        // Refresh a margin before expiry, but never sooner than half the lifetime of short tokens.
        const lifetimeMs = Math.max(0, expiresIn) * 1000;
        this.current = { token, expiresAt: Date.now() + Math.max(lifetimeMs - this.marginMs, lifetimeMs / 2) };
        return token;
      })
      .finally(() => {
        this.pending = undefined;
      });
    return this.pending;
  }
}

/** The credentials were refused at the exchange itself: a config error with the vendor's words. */
export function rejectedSecret(vendor: string, what: string, error: unknown): never {
  if (error instanceof HttpError && (error.status === 401 || error.status === 403)) {
    throw new ConnectorError(`${vendor} rejected the ${what} (HTTP ${error.status}). Check it in the connector's configuration.`, 'config_error', {
      cause: error,
    });
  }
  throw error;
}

export function staticBearer(token: string): AuthProvider {
  return { headers: async () => ({ authorization: `Bearer ${token}` }) };
}
