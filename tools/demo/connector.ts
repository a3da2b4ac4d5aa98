import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { createInterface } from 'node:readline';
import type { AirbyteMessage } from '../../src/protocol/generated.js';

import { CONNECTOR_MAIN } from '../paths.js';

export { CONNECTOR_MAIN };

export interface ConnectorRun {
  code: number;
  /** Whatever the connector wrote to stderr (it should write nothing). */
  stderr: string;
  /** stdout lines that are not JSON messages (there should be none). */
  strays: string[];
}

/**
 * Runs `node dist/main.js <args>` as a child process, hands every message to `onMessage` as it
 * arrives, and copies stdout byte for byte to `outputFile` when one is given.
 */
export async function runConnector(
  args: string[],
  options: { outputFile?: string; onMessage?: (message: AirbyteMessage) => void } = {},
): Promise<ConnectorRun> {
  const child = spawn(process.execPath, [CONNECTOR_MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number>((resolvePromise, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolvePromise(code ?? (signal ? 128 : 1)));
  });
  const file = options.outputFile ? createWriteStream(options.outputFile) : undefined;
  if (file) child.stdout.pipe(file);

  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const strays: string[] = [];
  const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line === '') return;
    let message: AirbyteMessage;
    try {
      message = JSON.parse(line) as AirbyteMessage;
    } catch {
      strays.push(line);
      return;
    }
    options.onMessage?.(message);
  });

  const stop = () => child.kill('SIGTERM');
  process.once('exit', stop);
  try {
    const code = await exited;
    if (file) await finished(file);
    return { code, stderr, strays };
  } finally {
    process.off('exit', stop);
  }
}
