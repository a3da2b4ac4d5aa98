import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../tools/sandbox/index.js';
import { discoverCatalog, onlyStreams, recordsOf, runCli, sandboxConfig, Workspace } from './kit.js';

describe('the built CLI against the sandbox', () => {
  let sb: Sandbox;
  const ws = new Workspace();
  beforeAll(async () => {
    sb = await startSandbox({ scale: 0.2 });
  });
  afterAll(async () => {
    await sb.close();
    ws.dispose();
  });

  it('reads Leapsome goals', async () => {
    const config = ws.file('config.json', sandboxConfig(sb, 'leapsome'));
    const catalog = onlyStreams(await discoverCatalog(ws, config), ['goals']);
    const result = await runCli(['read', '--config', config, '--catalog', ws.file('catalog.json', catalog)]);
    expect(result.code).toBe(0);
    expect(result.strays).toEqual([]);
    expect(recordsOf(result.messages, 'goals').length).toBe(sb.truth('leapsome', 'goals').length);
  });
});
