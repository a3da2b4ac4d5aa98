/**
 * docker/heap.sh, run by the host's sh against fake cgroup trees: the cases a machine cannot
 * switch between (cgroup v1 and v2, with and without a limit). The image test checks the real one.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../acceptance/fixtures.js';

const HEAP_SH = join(ROOT, 'docker/heap.sh');
const trees = mkdtempSync(join(tmpdir(), 'spm-cgroup-'));
afterAll(() => rmSync(trees, { recursive: true, force: true }));

let n = 0;
/** A cgroup tree with the given files (path relative to /sys/fs/cgroup -> content). */
function cgroup(files: Record<string, string>): string {
  const root = join(trees, String(++n));
  mkdirSync(root, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), `${content}\n`);
  }
  return root;
}

/** NODE_OPTIONS after sourcing heap.sh, and whether it leaked any helper variable or function. */
function nodeOptions(root: string, preset?: string): { options: string; leaked: string } {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, SPM_CGROUP_ROOT: root };
  if (preset !== undefined) env.NODE_OPTIONS = preset;
  const out = execFileSync('sh', ['-c', `. "${HEAP_SH}"; printf '%s\\n' "\${NODE_OPTIONS:-}"; set | grep '^spm_'; command -v spm_memory_limit; true`], {
    env,
    encoding: 'utf8',
  });
  const [options = '', ...rest] = out.split('\n');
  return { options, leaked: rest.join('\n').trim() };
}

const GiB = 1024 ** 3;

describe('docker/heap.sh sizes the Node heap from the container memory limit', () => {
  it('cgroup v2: 75% of memory.max', () => {
    expect(nodeOptions(cgroup({ 'memory.max': String(2 * GiB) }))).toEqual({ options: '--max-old-space-size=1536', leaked: '' });
  });

  it('cgroup v1: 75% of memory/memory.limit_in_bytes', () => {
    expect(nodeOptions(cgroup({ 'memory/memory.limit_in_bytes': String(512 * 1024 ** 2) })).options).toBe('--max-old-space-size=384');
  });

  it('v2 wins when both are present', () => {
    const root = cgroup({ 'memory.max': String(GiB), 'memory/memory.limit_in_bytes': String(4 * GiB) });
    expect(nodeOptions(root).options).toBe('--max-old-space-size=768');
  });

  it('no limit: v2 "max", v1\'s near-2^63 "unlimited", or no cgroup files leave NODE_OPTIONS alone', () => {
    expect(nodeOptions(cgroup({ 'memory.max': 'max' })).options).toBe('');
    expect(nodeOptions(cgroup({ 'memory/memory.limit_in_bytes': '9223372036854771712' })).options).toBe('');
    expect(nodeOptions(cgroup({})).options).toBe('');
  });

  it('keeps other NODE_OPTIONS and never overrides a --max-old-space-size the user set', () => {
    const root = cgroup({ 'memory.max': String(GiB) });
    expect(nodeOptions(root, '--enable-source-maps').options).toBe('--max-old-space-size=768 --enable-source-maps');
    expect(nodeOptions(root, '--max-old-space-size=100').options).toBe('--max-old-space-size=100');
  });

  it('a tiny limit still gets a usable 32 MB heap', () => {
    expect(nodeOptions(cgroup({ 'memory.max': String(20 * 1024 ** 2) })).options).toBe('--max-old-space-size=32');
  });
});
