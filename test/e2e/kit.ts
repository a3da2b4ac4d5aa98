/**
 * End-to-end kit: runs the built CLI (`node dist/main.js`) as a child process against the sandbox,
 * the way the Airbyte platform does, and parses what it prints.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AirbyteMessage, AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { SANDBOX_CREDENTIALS, type Sandbox } from '../../src/sandbox/index.js';

export const MAIN = resolve(import.meta.dirname, '../../dist/main.js');

export type SandboxVendor = 'leapsome' | 'reflektive' | 'pe365';

/** A config for one vendor of a running sandbox, fast enough for tests (no vendor rate limit, quick retries). */
export function sandboxConfig(sb: Sandbox, vendor: SandboxVendor, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const fast = { requests_per_second: 100, retry_base_delay_seconds: 0.01, concurrency: 8 };
  switch (vendor) {
    case 'leapsome':
      return {
        platform: {
          vendor,
          api_key: SANDBOX_CREDENTIALS.leapsome.apiKey,
          base_url: sb.mounts.leapsome,
          scim_token: SANDBOX_CREDENTIALS.leapsome.scimToken,
          scim_base_url: sb.mounts.leapsomeScim,
        },
        ...fast,
        ...extra,
      };
    case 'reflektive':
      return {
        platform: {
          vendor,
          api_key: SANDBOX_CREDENTIALS.reflektive.apiKey,
          base_url: sb.mounts.reflektive,
          calibration_cycle_uuids: (sb.info().reflektive as { calibrationCycleUuids: string[] }).calibrationCycleUuids,
        },
        ...fast,
        ...extra,
      };
    case 'pe365':
      return {
        platform: {
          vendor,
          username: SANDBOX_CREDENTIALS.pe365.username,
          api_key: SANDBOX_CREDENTIALS.pe365.apiKey,
          base_url: sb.mounts.pe365,
        },
        ...fast,
        ...extra,
      };
  }
}

export interface RunResult {
  code: number;
  messages: AirbyteMessage[];
  stderr: string;
  /** stdout lines that are not JSON messages (must stay empty). */
  strays: string[];
}

/** A temporary folder for input files, removed by `dispose`. */
export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'spm-e2e-'));

  file(name: string, content: unknown): string {
    const path = join(this.dir, name);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Runs the CLI with arguments and resolves when it exits (killed after `timeoutMs`). */
export function runCli(args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const messages: AirbyteMessage[] = [];
      const strays: string[] = [];
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        try {
          messages.push(JSON.parse(line) as AirbyteMessage);
        } catch {
          strays.push(line);
        }
      }
      resolvePromise({ code: code ?? -1, messages, stderr, strays });
    });
  });
}

/** Runs `discover` and configures every stream, incrementally where it can be. */
export async function discoverCatalog(ws: Workspace, configPath: string, mode: 'incremental' | 'full_refresh' = 'incremental'): Promise<ConfiguredAirbyteCatalog> {
  const result = await runCli(['discover', '--config', configPath]);
  const catalog = result.messages.find((m) => m.type === 'CATALOG')?.catalog;
  if (!catalog) throw new Error(`discover printed no catalog: ${result.stderr} ${JSON.stringify(result.messages)}`);
  return {
    streams: catalog.streams.map((stream) => {
      const incremental = mode === 'incremental' && (stream.supported_sync_modes ?? []).includes('incremental');
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: 'append',
        ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
      };
    }),
  } as ConfiguredAirbyteCatalog;
}

export function onlyStreams(catalog: ConfiguredAirbyteCatalog, names: string[]): ConfiguredAirbyteCatalog {
  return { streams: catalog.streams.filter((s) => names.includes(s.stream.name)) };
}

/** Records of one stream, in emission order. */
export function recordsOf(messages: AirbyteMessage[], stream: string): Record<string, unknown>[] {
  return messages.filter((m) => m.type === 'RECORD' && m.record?.stream === stream).map((m) => m.record!.data as Record<string, unknown>);
}

export function statesOf(messages: AirbyteMessage[]): AirbyteStateMessage[] {
  return messages.filter((m) => m.type === 'STATE').map((m) => m.state!);
}

/** The last STATE of every stream, as the per-stream array the platform passes back with `--state`. */
export function finalState(messages: AirbyteMessage[]): AirbyteStateMessage[] {
  const last = new Map<string, AirbyteStateMessage>();
  for (const state of statesOf(messages)) last.set(state.stream!.stream_descriptor.name, state);
  return [...last.values()].map(({ type, stream }) => ({ type, stream }) as AirbyteStateMessage);
}

/** The primary key of a record as a comparable string, in the same form as the sandbox's `primaryKeyOf`. */
export function keyOf(record: Record<string, unknown>, primaryKey: readonly string[]): string {
  return JSON.stringify(primaryKey.map((field) => record[field] ?? null));
}

export function errorsOf(messages: AirbyteMessage[]): string[] {
  return messages.filter((m) => m.type === 'TRACE' && m.trace?.type === 'ERROR').map((m) => m.trace!.error!.message);
}
