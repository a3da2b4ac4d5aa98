/**
 * Preloaded into the connector process by the benchmark (`node --import`): on exit, writes the
 * process's own resource usage (peak RSS, CPU time) as JSON to the file the environment variable
 * SPM_BENCH_USAGE_FILE names. Without it, it does nothing.
 */
import { writeFileSync } from 'node:fs';

export const USAGE_FILE_VARIABLE = 'SPM_BENCH_USAGE_FILE';

const file = process.env[USAGE_FILE_VARIABLE];
if (file) {
  process.on('exit', () => {
    writeFileSync(file, JSON.stringify({ resourceUsage: process.resourceUsage(), memoryUsage: process.memoryUsage() }));
  });
}
