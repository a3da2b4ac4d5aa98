/**
 * The floor: the least a client can do to fetch the same pages as the connector did. It replays the
 * connector's requests (same method, path, query and Authorization header, in the order they reached the
 * sandbox) with undici's `request` on a keep-alive pool, at most `concurrency` in flight and
 * paced by `pacing.ts`, reads every body to its end and throws it away. No parsing, no validation, no
 * output. A 429 is retried after its Retry-After; a 5xx or a network error counts as failed (the
 * connector's requests it replays got neither).
 *
 * Runs in a child process of its own (`cli.js floor JOB RESULT`), so that its CPU time and memory
 * are measured the way the connector's are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { FloorJob, FloorResult } from './floor-job.js';
import { nextTurnAt, retryAfterSeconds } from './pacing.js';

export async function floorMain(argv: string[]): Promise<number> {
  const [jobFile, resultFile] = argv;
  if (!jobFile || !resultFile) {
    process.stderr.write('usage: cli.js floor JOB_FILE RESULT_FILE\n');
    return 2;
  }
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as FloorJob;
  const result = await replay(job);
  writeFileSync(resultFile, JSON.stringify(result));
  return result.failed === 0 ? 0 : 1;
}

async function replay(job: FloorJob): Promise<FloorResult> {
  const agent = new Agent({ connections: job.concurrency, keepAliveTimeout: 10_000 });
  const result: FloorResult = { sent: 0, statuses: {}, bytes: 0, failed: 0, loopMs: 0 };
  const given: number[] = [];
  // Turns are given one after the other, in the order they were asked for.
  let previous: Promise<void> = Promise.resolve();
  const turn = (): Promise<void> => {
    const mine = previous.then(async () => {
      const wait = nextTurnAt(given, job.limit, job.windowMs) - Date.now();
      if (wait > 0) await sleep(wait);
      given.push(Date.now());
    });
    previous = mine;
    return mine;
  };
  const count = (status: string) => (result.statuses[status] = (result.statuses[status] ?? 0) + 1);

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < job.requests.length) {
      const { method, url, auth } = job.requests[next++] as FloorJob['requests'][number];
      const authorization = job.auths[auth];
      const headers = authorization ? { authorization } : {};
      let done = false;
      for (let attempt = 1; attempt <= job.maxAttempts && !done; attempt++) {
        await turn();
        result.sent++;
        try {
          const response = await request(`${job.origin}${url}`, { method: method as 'GET', headers, dispatcher: agent });
          for await (const chunk of response.body) result.bytes += (chunk as Buffer).length;
          count(String(response.statusCode));
          if (response.statusCode !== 429) {
            done = response.statusCode < 500;
            break;
          }
          await sleep(retryAfterSeconds(response.headers['retry-after']) * 1000);
        } catch {
          count('error');
          break;
        }
      }
      if (!done) result.failed++;
    }
  };

  if (job.warmUp) await (await request(`${job.origin}${job.warmUp}`, { dispatcher: agent })).body.dump();
  const started = Date.now();
  await Promise.all(Array.from({ length: job.concurrency }, worker));
  result.loopMs = Date.now() - started;
  await agent.close();
  return result;
}
