/**
 * The benchmark end to end, at a size that takes seconds: the built CLI reads through the real
 * connector, its output counted by the sink in a process of its own, and says whether every run read
 * what it should.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../paths.js';
import type { BenchReport } from './report.js';

const work = mkdtempSync(join(tmpdir(), 'bench-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('npm run bench', () => {
  it('counts every record of a small read, the API total included, and exits 0', async () => {
    const json = join(work, 'bench.json');
    const args = ['--scenario', 'throughput', '--records', '3000', '--small-records', '1000', '--no-floor', '--json', json];
    await promisify(execFile)(process.execPath, [join(REPO_ROOT, 'dist-tools/tools/bench/cli.js'), ...args], { timeout: 60_000 });
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report.problems).toEqual([]);
    expect(report.runsOk).toBe(true);
    const connector = report.throughput?.connector;
    expect(connector?.expected, "the API's total, from the connector's ESTIMATE trace").toBe(3000);
    expect(connector?.records).toBe(3000);
    expect(connector?.stdoutBytes).toBeGreaterThan(3000 * 100);
  }, 60_000);
});
