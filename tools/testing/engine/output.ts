/** Test helper: an Output writing into memory, and the AirbyteMessages it received. */
import { Writable } from 'node:stream';
import type { AirbyteMessage } from '../../../src/protocol/generated.js';
import { Output } from '../../../src/protocol/output.js';

export interface MemoryOutput {
  stdout: Writable;
  output: Output;
  /** Raw lines, as the platform would read them. */
  lines(): string[];
  messages(): AirbyteMessage[];
}

export function memoryOutput(): MemoryOutput {
  let text = '';
  const stdout = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  const lines = () => text.split('\n').filter((line) => line !== '');
  return {
    stdout,
    output: new Output(stdout),
    lines,
    messages: () => lines().map((line) => JSON.parse(line) as AirbyteMessage),
  };
}
