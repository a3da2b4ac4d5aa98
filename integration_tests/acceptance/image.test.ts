/**
 * The acceptance suite against the container image, plus what only an image has: labels,
 * AIRBYTE_ENTRYPOINT, the user, a read-only root, the heap sized from the memory limit.
 * Needs Docker and a built image: ACCEPTANCE_IMAGE=source-performance-management:dev (`.ci/run` sets it).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startSandbox, type Sandbox } from '../../tools/sandbox/index.js';
import { docker, image as imageConnector } from '../../tools/testing/harness.js';
import { forSandbox, ROOT, SANDBOX_SETUP, vendorFixtures } from './fixtures.js';
import { acceptanceSuite } from './suite.js';

const IMAGE = process.env.ACCEPTANCE_IMAGE;

if (!IMAGE) {
  console.warn(
    'integration_tests/acceptance/image.test.ts: the image cases are skipped because ACCEPTANCE_IMAGE is not set. ' +
      'Build the image and set it: docker build -t source-performance-management:dev . && ACCEPTANCE_IMAGE=source-performance-management:dev npm test',
  );
  describe.skip('the image (skipped: set ACCEPTANCE_IMAGE to a built image, e.g. source-performance-management:dev)', () => {
    it('acceptance suite, labels, entrypoint, user, read-only root, heap', () => undefined);
  });
} else {
  const image = IMAGE;
  const metadata = (parse(readFileSync(join(ROOT, 'metadata.yaml'), 'utf8')) as { data: Record<string, unknown> }).data;

  describe(`the image ${image}`, () => {
    interface ImageConfig {
      Labels: Record<string, string> | null;
      Env: string[];
      Entrypoint: string[] | null;
      User: string;
    }
    let config: ImageConfig;
    beforeAll(async () => {
      const inspected = await docker(['image', 'inspect', '--format', '{{json .Config}}', image]);
      expect(inspected.code, `docker image inspect ${image}: ${inspected.stderr}`).toBe(0);
      config = JSON.parse(inspected.stdout) as ImageConfig;
    });

    it('has the labels io.airbyte.name and io.airbyte.version of metadata.yaml', () => {
      expect(config.Labels?.['io.airbyte.name']).toBe(metadata.dockerRepository);
      expect(config.Labels?.['io.airbyte.version']).toBe(metadata.dockerImageTag);
    });

    it('sets AIRBYTE_ENTRYPOINT to its ENTRYPOINT, space-joined', () => {
      const env = Object.fromEntries(config.Env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
      expect(config.Entrypoint?.length).toBeGreaterThan(0);
      expect(env.AIRBYTE_ENTRYPOINT).toBe(config.Entrypoint!.join(' '));
    });

    it('runs as the node user (uid 1000) by default, with /bin/sh', async () => {
      const result = await docker(['run', '--rm', '--network', 'none', '--entrypoint', '/bin/sh', image, '-c', 'id -u; id -g']);
      expect(result.stdout.trim().split('\n')).toEqual(['1000', '1000']);
    });

    it('runs with `docker run IMAGE spec` through its ENTRYPOINT, read-only and without capabilities', async () => {
      const result = await docker(['run', '--rm', '--network', 'none', '--read-only', '--cap-drop', 'ALL', image, 'spec']);
      expect(result.code, result.stderr).toBe(0);
      expect(
        result.stdout
          .trim()
          .split('\n')
          .map((l) => (JSON.parse(l) as { type: string }).type),
      ).toEqual(['SPEC']);
    });

    describe('writes nothing outside /tmp during a read', () => {
      let sb: Sandbox;
      beforeAll(async () => {
        sb = await startSandbox({ ...SANDBOX_SETUP });
      });
      afterAll(async () => {
        await sb?.close();
      });

      it('docker diff after a whole Leapsome read lists only /tmp', async () => {
        const fx = vendorFixtures('leapsome');
        const name = `spm-acceptance-diff-${process.pid}`;
        const input = JSON.stringify({ config: forSandbox(fx.sampleConfig, sb), catalog: fx.catalog });
        // Inputs go in through an environment variable, so that no mount shows up in the diff.
        const script =
          'printf %s "$INPUT" | node -e \'const i=JSON.parse(require("fs").readFileSync(0,"utf8"));' +
          'for (const k of ["config","catalog"]) require("fs").writeFileSync("/tmp/"+k+".json", JSON.stringify(i[k]))\' && ' +
          '$AIRBYTE_ENTRYPOINT read --config /tmp/config.json --catalog /tmp/catalog.json';
        try {
          const run = await docker(
            ['run', '--name', name, '--network', 'host', '--cap-drop', 'ALL', '-e', `INPUT=${input}`, '--entrypoint', 'sh', image, '-c', script],
            60_000,
          );
          expect(run.code, run.stderr).toBe(0);
          expect(run.stdout).toContain('"type":"RECORD"');
          const diff = await docker(['diff', name]);
          expect(diff.code, diff.stderr).toBe(0);
          const changed = diff.stdout
            .split('\n')
            .filter(Boolean)
            .map((line) => line.slice(2));
          expect(changed.filter((path) => path !== '/tmp' && !path.startsWith('/tmp/'))).toEqual([]);
        } finally {
          await docker(['rm', '-f', name]);
        }
      }, 90_000);
    });

    it('gives Node a heap of about 75% of the memory limit, and leaves it alone without a limit', async () => {
      const heapMb = async (extra: string[]) => {
        const result = await docker([
          'run',
          '--rm',
          '--network',
          'none',
          ...extra,
          '--entrypoint',
          'sh',
          image,
          '-c',
          '. /airbyte/integration_code/heap.sh && node -e "process.stdout.write(String(require(\'v8\').getHeapStatistics().heap_size_limit / 1048576))"',
        ]);
        expect(result.code, result.stderr).toBe(0);
        return Number(result.stdout);
      };
      const limited = await heapMb(['--memory', '512m']);
      expect(limited).toBeGreaterThan(512 * 0.7);
      expect(limited).toBeLessThan(512 * 0.8);
      const unlimited = await heapMb([]);
      expect(Math.abs(unlimited - limited)).toBeGreaterThan(16);
    });

    it('the entrypoint starts the connector under a small memory limit', async () => {
      const result = await docker(['run', '--rm', '--network', 'none', '--memory', '128m', image, 'spec']);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain('"type":"SPEC"');
    });
  });

  describe('acceptance through the image', () => {
    acceptanceSuite(imageConnector(image));
  });
}
