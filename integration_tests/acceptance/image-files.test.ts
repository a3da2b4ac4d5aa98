/**
 * The image holds the connector and its runtime dependencies, nothing else: no sandbox, demo, bench
 * or test code, no sources, no development dependencies. Needs ACCEPTANCE_IMAGE (`.ci/run` sets it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docker } from '../../tools/testing/harness.js';
import { ROOT } from './fixtures.js';

const IMAGE = process.env.ACCEPTANCE_IMAGE;
const APP = '/airbyte/integration_code';

/** The files a build of the connector alone may put in the image besides node_modules. */
const CONNECTOR_FILE = /^(package\.json|entrypoint\.sh|heap\.sh|node-flags|dist\/[\w./-]+\.js(\.map)?)$/;
/** Words that only the tools around the connector use in their paths. */
const TOOL_PATH = /(^|\/)(sandbox|demo|bench|testing|tools|test|tests)(\/|$)|\.test\.|\.ts$/;

describe.skipIf(!IMAGE)(`the files of the image ${IMAGE ?? '(skipped: set ACCEPTANCE_IMAGE)'}`, () => {
  async function list(script: string): Promise<string[]> {
    const result = await docker(['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', IMAGE as string, '-c', `cd ${APP} && ${script}`]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout.split('\n').filter((line) => line !== '');
  }

  it('are the compiled connector, its manifest and its entrypoint scripts, and none of the tools', async () => {
    const files = (await list("find . -type f | grep -v '^./node_modules/' | sed 's#^./##'")).sort();
    expect(files).toContain('dist/main.js');
    expect(files.filter((file) => !CONNECTOR_FILE.test(file))).toEqual([]);
    expect(files.filter((file) => TOOL_PATH.test(file))).toEqual([]);
  });

  it('have in node_modules the runtime dependencies of package.json alone', async () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const installed = (await list('ls node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed.sort()).toEqual(Object.keys(pkg.dependencies).sort());
  });
});
