#!/usr/bin/env node
import { run } from './connector.js';

// A closed stdout (the reader went away) ends the process quietly instead of crashing on EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 1);
  throw error;
});

process.exitCode = await run(process.argv.slice(2));
