#!/usr/bin/env node
import { type CliCommand, helpText, parseArgs } from './cli-args.js';
import { SANDBOX_CREDENTIALS, startSandbox, type Sandbox } from './index.js';

/** What to print once listening: the URL line first (scripts wait for it), then how to connect. */
export function banner(sb: Sandbox): string {
  const c = SANDBOX_CREDENTIALS;
  const cycles = ((sb.info()['reflektive'] as { calibrationCycleUuids?: string[] }).calibrationCycleUuids ?? []).join(', ');
  return [
    `sandbox listening on ${sb.url}`,
    `  leapsome       ${sb.mounts.leapsome}  (GET /token?secret=${c.leapsome.apiKey})`,
    `  leapsome scim  ${sb.mounts.leapsomeScim}  (Authorization: Bearer ${c.leapsome.scimToken})`,
    `  reflektive     ${sb.mounts.reflektive}  (Authorization: Token token=${c.reflektive.apiKey})`,
    `                 calibration cycle uuids: ${cycles || 'none'}`,
    `  pe365          ${sb.mounts.pe365}  (Basic ${c.pe365.username}:${c.pe365.apiKey})`,
    `  leanmote       ${sb.mounts.leanmote}  (Authorization: Bearer ${c.leanmote.apiKey})`,
    `  control        GET ${sb.url}/_sandbox/health, POST ${sb.url}/_sandbox/mutate`,
  ].join('\n');
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
