/** The only PE365 credentials the sandbox accepts: fixed, so configs, docs and tests can name them; they protect nothing. */
export const PE365_CREDENTIALS = {
  /** HTTP Basic `username:apiKey`. */
  username: 'sandbox-pe365-user',
  apiKey: 'sandbox-pe365-key',
} as const;
