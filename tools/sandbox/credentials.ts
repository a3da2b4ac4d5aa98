/**
 * The only credentials the sandbox accepts. Fixed so that configs, docs and tests can hard-code them;
 * they protect nothing.
 */
export const SANDBOX_CREDENTIALS = {
  leapsome: {
    /** Exchanged at `GET /token?secret=` for a JWT. */
    apiKey: 'sandbox-leapsome-secret',
    /** Static bearer token of the SCIM API. */
    scimToken: 'sandbox-leapsome-scim-token',
  },
  reflektive: {
    /** Sent as `Authorization: Token token=<apiKey>`. */
    apiKey: 'sandbox-reflektive-key',
  },
  pe365: {
    /** HTTP Basic `username:apiKey`. */
    username: 'sandbox-pe365-user',
    apiKey: 'sandbox-pe365-key',
  },
} as const;
