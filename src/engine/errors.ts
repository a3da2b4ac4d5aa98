import type { FailureType } from '../protocol/messages.js';

/**
 * An error with a message a person can act on, and the Airbyte failure type that tells the platform
 * whether retrying can help (transient), the user must fix something (config), or we must (system).
 */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly failureType: FailureType,
    options: { cause?: unknown; internal?: string } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.internal = options.internal;
  }
  readonly internal: string | undefined;
}

/** A response that is not a success, after retries where retrying made sense. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly method: string,
    /** URL without its query string: queries can carry secrets and are noise in messages. */
    readonly path: string,
    readonly bodySnippet: string,
    readonly attempts: number,
  ) {
    super(`${method} ${path} answered HTTP ${status}${attempts > 1 ? ` after ${attempts} attempts` : ''}${bodySnippet ? `: ${bodySnippet}` : ''}`);
    this.name = 'HttpError';
  }
}

/** The network failed (reset, timeout, DNS, truncated body) and retries did not help. */
export class NetworkError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly reason: string,
    readonly attempts: number,
    cause?: unknown,
  ) {
    super(`${method} ${path} failed after ${attempts} attempt(s): ${reason}`, { cause });
    this.name = 'NetworkError';
  }
}

export function failureTypeOf(error: unknown): FailureType {
  if (error instanceof ConnectorError) return error.failureType;
  if (error instanceof HttpError) {
    if (error.status === 401 || error.status === 403) return 'config_error';
    if (error.status === 429 || error.status >= 500) return 'transient_error';
    return 'system_error';
  }
  if (error instanceof NetworkError) return 'transient_error';
  return 'system_error';
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The read was stopped from outside (SIGTERM, SIGINT). */
export class Interrupted extends Error {
  constructor(readonly reason: string) {
    super(`stopped by ${reason}`);
    this.name = 'Interrupted';
  }
}

/** The error a read stopped by `signal` ends with. */
export function interruptedBy(signal: AbortSignal): Interrupted {
  return new Interrupted(String(signal.reason ?? 'a signal'));
}
