#!/usr/bin/env node
import { type CliCommand, helpText, parseArgs } from './cli-args.js';
import { startSandbox, type Sandbox } from './index.js';
import { FAKES } from './registry.js';

/** What to print once listening: the URL line first (scripts wait for it), then how to connect. */
export function banner(sb: Sandbox): string {
  const rows: Array<[string, string]> = [
    ...FAKES.flatMap((fake) => fake.banner(sb)),
    ['control', `GET ${sb.url}/_sandbox/health, POST ${sb.url}/_sandbox/mutate`],
  ];
  return [`sandbox listening on ${sb.url}`, ...rows.map(([label, text]) => `  ${label.padEnd(15)}${text}`)].join('\n');
}

async function main(): Promise<void> {
  let command: CliCommand;
  try {
    command = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  if (command.kind === 'help') {
    process.stdout.write(helpText());
    return;
  }
  const sb = await startSandbox(command.options);
  process.stdout.write(`${banner(sb)}\n`);
  const stop = (signal: string) => {
    process.stderr.write(`sandbox: ${signal}, shutting down after ${sb.stats.total} requests\n`);
    sb.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
