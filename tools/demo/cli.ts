#!/usr/bin/env node
import { REPO_ROOT } from '../paths.js';
import { type DemoOptions, HELP, parseDemoArgs } from './args.js';
import { runDemo } from './demo.js';
import { styleFor } from './format.js';

const ROOT = REPO_ROOT;

async function main(): Promise<number> {
  let options: DemoOptions | 'help';
  try {
    options = parseDemoArgs(process.argv.slice(2), ROOT);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    return 2;
  }
  if (options === 'help') {
    process.stdout.write(HELP);
    return 0;
  }
  // Ctrl-C: the connector child gets the signal too; give the terminal its cursor back.
  process.once('SIGINT', () => {
    if (process.stdout.isTTY) process.stdout.write('\x1b[?25h\n');
    process.exit(130);
  });
  return runDemo(options, { out: process.stdout, style: styleFor(process.stdout) });
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`The demo failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
