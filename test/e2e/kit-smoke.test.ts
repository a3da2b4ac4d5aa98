import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/index.js';
import { configuredCatalog, Files, runCli } from '../../tools/testing/harness.js';
import { sandboxConfig } from './kit.js';

describe('the built CLI against the sandbox', () => {
  let sb: Sandbox;
  const ws = new Files();
  beforeAll(async () => {
    sb = await startSandbox({ scale: 0.2 });
  });
  afterAll(async () => {
    await sb.close();
    ws.dispose();
  });

  it('reads Leapsome goals', async () => {
    const config = ws.write('config.json', sandboxConfig(sb, 'leapsome'));
    const catalog = configuredCatalog((await runCli(['discover', '--config', config])).catalog(), { streams: ['goals'] });
    const result = await runCli(['read', '--config', config, '--catalog', ws.write('catalog.json', catalog)]);
    expect(result.code).toBe(0);
    expect(result.strays).toEqual([]);
    expect(result.records('goals').length).toBe(sb.truth('leapsome', 'goals').length);
  });
});
