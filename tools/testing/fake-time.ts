import { expect, vi } from 'vitest';

const HOUR = 60 * 60_000;

/**
 * Runs vitest's fake clock from timer to timer until `promise` settles (or an hour has passed on it).
 * When no timer is due, a real turn of the event loop lets requests in flight (msw answers
 * in-process, a local socket) finish first.
 */
export async function settle<T>(promise: Promise<T>): Promise<T> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  const begun = Date.now();
  while (!settled && Date.now() - begun < HOUR) {
    if (vi.getTimerCount() > 0) await vi.advanceTimersToNextTimerAsync();
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
  expect(settled, 'still running after an hour on the fake clock').toBe(true);
  return promise;
}
