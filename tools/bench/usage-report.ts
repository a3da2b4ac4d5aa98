/**
 * Preloaded into the connector process by the benchmark (`node --import`): on exit, writes the
 * process's own resource usage (peak RSS, CPU time) as JSON to file descriptor 3, if the parent
 * opened one. Elsewhere it does nothing.
 */
import { writeSync } from 'node:fs';

process.on('exit', () => {
  try {
    writeSync(3, JSON.stringify({ resourceUsage: process.resourceUsage(), memoryUsage: process.memoryUsage() }));
  } catch {
    // No fd 3: not run by the benchmark.
  }
});
