/** The only Leapsome credentials the sandbox accepts: fixed, so configs, docs and tests can name them; they protect nothing. */
export const LEAPSOME_CREDENTIALS = {
  /** Exchanged at `GET /token?secret=` for a JWT. */
  apiKey: 'sandbox-leapsome-secret',
  /** Static bearer token of the SCIM API. */
  scimToken: 'sandbox-leapsome-scim-token',
} as const;
