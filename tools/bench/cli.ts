#!/usr/bin/env node
/**
 * `npm run bench`: see bench.ts and docs/benchmarks.md. The same entry point runs the floor loop in its
 * child process (`cli.js floor JOB RESULT`); each loads only its own modules, so that the floor's
 * process holds nothing of the benchmark's.
 */
import { FLOOR_COMMAND } from './floor-job.js';

const argv = process.argv.slice(2);

async function main(): Promise<number> {
  if (argv[0] === FLOOR_COMMAND) return (await import('./floor-loop.js')).floorMain(argv.slice(1));
  return (await import('./bench.js')).benchMain(argv);
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
