/** The only Leanmote token the sandbox accepts: fixed, so configs, docs and tests can name it; it protects nothing. */
export const LEANMOTE_CREDENTIALS = {
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey: 'sandbox-leanmote-token',
} as const;

/** Tokens the sandbox knows but refuses, each with Leanmote's own 401 message. */
export const LEANMOTE_REFUSED_TOKENS = {
  expired: 'sandbox-leanmote-expired-token',
  inactive: 'sandbox-leanmote-inactive-token',
} as const;
