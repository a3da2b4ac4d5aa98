/**
 * What the benchmark hands the floor loop (a child process: `cli.js floor JOB RESULT`) and what the
 * loop writes back: both JSON files. Types and one constant only, so that the child loads nothing else.
 */

/** The first argument that makes cli.js run the floor loop instead of the benchmark. */
export const FLOOR_COMMAND = 'floor';

export interface FloorJob {
  /** `http://127.0.0.1:PORT`: where the requests go. */
  origin: string;
  /** The requests, in order: method, path and query as the sandbox received them, index into `auths`. */
  requests: Array<{ method: string; url: string; auth: number }>;
  /** Distinct `Authorization` headers the requests carried ('' for none). */
  auths: string[];
  /** Requests in flight at most. */
  concurrency: number;
  /** Turns per window: at most this many requests start in any `windowMs`, evenly spaced. */
  limit: number;
  windowMs: number;
  /** Sends of one request at most, when the server answers 429 (after its Retry-After). */
  maxAttempts: number;
  /**
   * Fetched once before the first turn, outside the measured requests (the sandbox's health check: never
   * counted, never rate limited), so that loading the HTTP client and opening the first connection do
   * not hold back the first request and bunch it up with the next ones at the server.
   */
  warmUp?: string;
}

export interface FloorResult {
  /** Requests sent, retries included. */
  sent: number;
  /** Responses by status (`error` for a network failure). */
  statuses: Record<string, number>;
  /** Body bytes read (and discarded). */
  bytes: number;
  /** Requests that never got an answer other than 429 or 5xx. */
  failed: number;
  /** From the first send to the last body's end, measured by the loop itself. */
  loopMs: number;
}
