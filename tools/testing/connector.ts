/**
 * Test helper: runs connector commands in-process, the way the CLI does, with their HTTP going
 * through msw and their stdout captured line by line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/connector.js';
import { mswTransport } from './engine/msw.js';
import { memoryOutput } from './engine/output.js';
import type { AirbyteCatalog, AirbyteMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';

export interface ConnectorRun {
  code: number;
  /** Every stdout line, raw. */
  lines: string[];
  messages: AirbyteMessage[];
}

/** A temporary folder for the files a command reads. */
export class Files {
  readonly dir = mkdtempSync(join(tmpdir(), 'spm-test-'));

  write(name: string, content: unknown): string {
    const path = join(this.dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function runConnector(argv: string[]): Promise<ConnectorRun> {
  const memory = memoryOutput();
  const code = await run(argv, { stdout: memory.stdout, transport: mswTransport });
  return { code, lines: memory.lines(), messages: memory.messages() };
}

/** Runs `discover` with a config and returns the catalog it printed. */
export async function discover(files: Files, config: unknown): Promise<AirbyteCatalog> {
  const result = await runConnector(['discover', '--config', files.write('config.json', config)]);
  const catalog = result.messages.find((m) => m.type === 'CATALOG')?.catalog;
  if (!catalog) throw new Error(`discover printed no catalog: ${result.lines.join('\n')}`);
  return catalog;
}

/** Configures streams of a catalog, incrementally where they can be unless told otherwise. */
export function configure(catalog: AirbyteCatalog, names?: string[], mode: 'incremental' | 'full_refresh' = 'incremental'): ConfiguredAirbyteCatalog {
  return {
    streams: catalog.streams
      .filter((stream) => !names || names.includes(stream.name))
      .map((stream) => {
        const incremental = mode === 'incremental' && (stream.supported_sync_modes ?? []).includes('incremental');
        return {
          stream,
          sync_mode: incremental ? 'incremental' : 'full_refresh',
          destination_sync_mode: 'append',
          ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
        };
      }),
  } as ConfiguredAirbyteCatalog;
}

/** Runs `read` with a config, a configured catalog and optionally a state. */
export async function read(files: Files, config: unknown, catalog: ConfiguredAirbyteCatalog, state?: unknown): Promise<ConnectorRun> {
  const argv = ['read', '--config', files.write('config.json', config), '--catalog', files.write('catalog.json', catalog)];
  if (state !== undefined) argv.push('--state', files.write('state.json', state));
  return runConnector(argv);
}
