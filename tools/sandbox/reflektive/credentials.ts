/** The only Reflektive credentials the sandbox accepts: fixed, so configs, docs and tests can name them; they protect nothing. */
export const REFLEKTIVE_CREDENTIALS = {
  /** Sent as `Authorization: Token token=<apiKey>`. */
  apiKey: 'sandbox-reflektive-key',
} as const;
