#!/usr/bin/env node
import { run } from './connector.js';

/** After a stop signal, the read has this long to write its last messages before the process ends anyway. */
const STOP_GRACE_MS = 5_000;
const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

// A closed stdout (the reader went away) ends the process quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 1);
  throw error;
});

// SIGTERM (the platform cancelling a sync) and SIGINT stop the read between two messages: every line
// already written stays whole, and the last one says where the next sync resumes.
const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    stop.abort(signal);
    process.exitCode = SIGNAL_EXIT[signal];
    setTimeout(() => process.exit(SIGNAL_EXIT[signal]), STOP_GRACE_MS).unref();
  });
}

const code = await run(process.argv.slice(2), { signal: stop.signal });
if (stop.signal.aborted) {
  // Requests still in flight would keep the process alive: what had to be written is written.
  process.exit(SIGNAL_EXIT[stop.signal.reason as keyof typeof SIGNAL_EXIT] ?? 1);
}
process.exitCode = code;
