/**
 * The child-stream section: a Leapsome child stream (one request or more per parent, read
 * `concurrency` parents at a time) read small and large, for the connector's memory against volume.
 */
import type { Options } from './args.js';
import { memoryReport, memoryRun, readStream } from './memory-runs.js';
import type { Say } from './print.js';
import type { MemoryReport } from './report.js';

export async function childSection(options: Options, work: string, say: Say): Promise<{ memory: MemoryReport; problems: string[] }> {
  const { childStream: stream, seed } = options;
  const speed = { requestsPerSecond: options.rps, pageSize: options.pageSize, concurrency: options.concurrency };
  say(`── Child stream: ${stream}, small and large (requests_per_second ${options.rps}, page_size ${options.pageSize}, concurrency ${options.concurrency})`);
  say();
  const small = await readStream({ stream, records: options.smallRecords, seed, speed, work, say, progress: false });
  const large = await readStream({ stream, records: options.childRecords, seed, speed, work, say, progress: true });
  return {
    memory: memoryReport(stream, memoryRun(small.report, small.scale), memoryRun(large.report, large.scale)),
    problems: [...small.problems, ...large.problems],
  };
}
