/**
 * Runs one connector command the way the platform does, either with the built CLI
 * (`node dist/main.js`) or inside the image (`sh -c "$AIRBYTE_ENTRYPOINT …"` as uid 1000, every
 * capability dropped, a read-only root and read-only inputs), and parses what it prints.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AirbyteMessage } from '../../src/protocol/generated.js';
import { ROOT } from './fixtures.js';

export type Command = 'spec' | 'check' | 'discover' | 'read';

export interface Inputs {
  config?: unknown;
  catalog?: unknown;
  state?: unknown;
}

export interface RunResult {
  code: number;
  /** Every non-empty stdout line, raw. */
  lines: string[];
  /** The lines that parse as JSON (validity as AirbyteMessages is checked separately). */
  messages: AirbyteMessage[];
  stdout: string;
  stderr: string;
}

export interface Runner {
  /** 'cli' or 'image', for test names. */
  readonly name: string;
  run(command: Command, inputs?: Inputs, options?: { timeoutMs?: number }): Promise<RunResult>;
}

const INPUT_FILES = { config: 'config.json', catalog: 'catalog.json', state: 'state.json' } as const;

/** Writes the inputs to a fresh folder readable by anyone (the image runs as uid 1000) and lists their flags. */
function writeInputs(inputs: Inputs, dirInArgs: (dir: string) => string): { dir: string; args: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'spm-acceptance-'));
  chmodSync(dir, 0o755);
  const args: string[] = [];
  for (const key of ['config', 'catalog', 'state'] as const) {
    if (inputs[key] === undefined) continue;
    const file = join(dir, INPUT_FILES[key]);
    writeFileSync(file, typeof inputs[key] === 'string' ? (inputs[key] as string) : JSON.stringify(inputs[key]), { mode: 0o644 });
    args.push(`--${key}`, `${dirInArgs(dir)}/${INPUT_FILES[key]}`);
  }
  return { dir, args };
}

function collect(program: string, argv: string[], timeoutMs: number, onTimeout?: () => void): Promise<Omit<RunResult, 'messages' | 'lines'>> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(program, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      onTimeout?.();
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code: code ?? (signal ? 128 : -1), stdout, stderr });
    });
  });
}

function parsed(raw: Omit<RunResult, 'messages' | 'lines'>): RunResult {
  const lines = raw.stdout.split('\n').filter((line) => line !== '');
  const messages: AirbyteMessage[] = [];
  for (const line of lines) {
    try {
      messages.push(JSON.parse(line) as AirbyteMessage);
    } catch {
      // Reported by the protocol check, which sees every line.
    }
  }
  return { ...raw, lines, messages };
}

export const cliRunner: Runner = {
  name: 'cli',
  async run(command, inputs = {}, options = {}) {
    const { dir, args } = writeInputs(inputs, (d) => d);
    try {
      return parsed(await collect(process.execPath, [join(ROOT, 'dist/main.js'), command, ...args], options.timeoutMs ?? 50_000));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

let containers = 0;

/** `docker run` as the platform does it; the host network reaches the in-process sandbox on 127.0.0.1. */
export function imageRunner(image: string): Runner {
  return {
    name: 'image',
    async run(command, inputs = {}, options = {}) {
      const { dir, args } = writeInputs(inputs, () => '/inputs');
      const name = `spm-acceptance-${process.pid}-${++containers}`;
      const argv = [
        'run', '--rm', '--name', name,
        '--network', 'host',
        '--user', '1000',
        '--cap-drop', 'ALL',
        '--security-opt', 'no-new-privileges',
        '--read-only', '--tmpfs', '/tmp',
        '-v', `${dir}:/inputs:ro`,
        '--entrypoint', 'sh',
        image,
        // Expanded by the container's sh, exactly like the platform's `sh -c "$AIRBYTE_ENTRYPOINT …"`.
        '-c', `$AIRBYTE_ENTRYPOINT ${[command, ...args].join(' ')}`,
      ];
      try {
        const raw = await collect('docker', argv, options.timeoutMs ?? 50_000, () => {
          spawn('docker', ['rm', '-f', name], { stdio: 'ignore' });
        });
        return parsed(raw);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Runs docker with arguments and returns its output (for inspect, diff and one-off runs). */
export async function docker(argv: string[], timeoutMs = 30_000): Promise<{ code: number; stdout: string; stderr: string }> {
  return collect('docker', argv, timeoutMs);
}
