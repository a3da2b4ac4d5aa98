/**
 * The demo end to end, in process (it runs the built connector, so `npm run build` first): it must
 * succeed on a fresh checkout with no configuration, write what it says it writes, and fail loudly
 * when a read fails.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Vendor } from '../sandbox/index.js';
import { DEFAULTS, type DemoOptions } from './args.js';
import { DEMO_VENDORS } from './configs.js';
import { fakeOf } from '../sandbox/registry.js';
import { ConnectorOutput } from '../testing/harness.js';
import { runDemo } from './demo.js';
import { styleFor } from './format.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function demo(sandbox = {}, options: Partial<DemoOptions> = {}) {
  const outDir = mkdtempSync(join(tmpdir(), 'spm-demo-'));
  dirs.push(outDir);
  let text = '';
  const out = { write: (chunk: string) => (text += chunk) };
  const run = { ...DEFAULTS, scale: 0.05, seed: 3, outDir, ...options };
  const code = await runDemo(run, { out, style: styleFor(out), sandbox });
  return { code, text, file: (name: string) => join(outDir, `${run.vendor}-${name}`) };
}

describe('npm start', () => {
  it('reads everything, then only the changes, and says so', async () => {
    const { code, text, file } = await demo();
    expect(code, text).toBe(0);
    expect(text).toMatch(/✓ All 18 streams hold exactly the sandbox's records/);
    expect(text).toMatch(/✓ All \d+ changes came back/);
    expect(text).toMatch(/✓ Nothing else came back/);
    expect(text).not.toContain('\x1b['); // not a terminal: no escape codes
    for (const name of ['config.json', 'catalog.json', 'read-1.jsonl', 'state.json', 'read-2.jsonl', 'state-2.json'])
      expect(existsSync(file(name)), name).toBe(true);
    const records = readFileSync(file('read-1.jsonl'), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('{"type":"RECORD"')).length;
    expect(text).toContain(`${records.toLocaleString('en-US')} records, none missing`);
    const state = JSON.parse(readFileSync(file('state.json'), 'utf8')) as Array<{ stream: { stream_descriptor: { name: string } } }>;
    expect(state).toHaveLength(18);
  });

  it.each(DEMO_VENDORS.filter((vendor) => vendor !== DEFAULTS.vendor))('--vendor %s: reads everything, then only the changes', async (vendor: Vendor) => {
    const { code, text } = await demo({}, { vendor });
    expect(code, text).toBe(0);
    expect(text).toMatch(/✓ All \d+ streams hold exactly the sandbox's records/);
    expect(text).toMatch(/✓ All \d+ changes came back/);
    expect(text).toMatch(/✓ Nothing else came back/);
  });

  it("--vendor leanmote at its own scale: both reads fit in one hour of Leanmote's quota", async () => {
    // The sandbox's real hour: a demo that needed more than the 1000 requests its headers allow would
    // wait for the hour to slide, and time out here.
    const { code, text, file } = await demo({}, { vendor: 'leanmote', scale: undefined });
    expect(code, text).toBe(0);
    expect(text).toContain(`scale ${fakeOf('leanmote').demo?.scale}`);
    // Neither read had to wait for the quota.
    for (const read of ['read-1.jsonl', 'read-2.jsonl']) {
      const output = ConnectorOutput.parse(readFileSync(file(read), 'utf8'), 0);
      expect(
        output.messages.filter((m) => m.trace?.stream_status?.reasons?.length),
        read,
      ).toEqual([]);
    }
    expect(text).toMatch(/✓ All \d+ changes came back/);
  });

  it('exits non-zero and shows why when a read fails', async () => {
    const { code, text } = await demo({ forbidden: ['payroll'] });
    expect(code).toBe(1);
    expect(text).toMatch(/✗ The read failed/);
    expect(text).toMatch(/payroll_cycles: Leapsome refused access to payroll_cycles \(HTTP 403\)/);
  });
});
