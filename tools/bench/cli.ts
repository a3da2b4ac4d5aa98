#!/usr/bin/env node
/**
 * `npm run bench`: see bench.ts and docs/benchmarks.md. The same entry point runs the floor loop in its
 * child process (`cli.js floor JOB RESULT`), and the counting sink in another (`cli.js sink`); neither
 * loads the benchmark's modules (its sandbox above all).
 */
import { FLOOR_COMMAND } from './floor-job.js';
import { SINK_COMMAND } from './sink-process.js';

const argv = process.argv.slice(2);

async function main(): Promise<number> {
  if (argv[0] === FLOOR_COMMAND) return (await import('./floor-loop.js')).floorMain(argv.slice(1));
  if (argv[0] === SINK_COMMAND) return (await import('./sink-process.js')).sinkMain();
  return (await import('./bench.js')).benchMain(argv);
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`The benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
