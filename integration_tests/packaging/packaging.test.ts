/**
 * The Airbyte packaging is consistent: metadata.yaml, the Dockerfile, package.json, the spec,
 * acceptance-test-config.yml and the committed acceptance inputs all say the same thing, and the
 * generated catalogs and states are current. Runs without Docker and without the sandbox.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { connectionSpecification } from '../../src/config.js';
import type { AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { HEARTBEAT_MS } from '../../src/engine/sync.js';
import { DOCUMENTATION_URL } from '../../src/spec.js';
import { vendors } from '../../src/streams/index.js';
import { catConfig, connectorVendors, exists, fixtureDir, readJson, ROOT, vendorFixtures, vendorOfConfig, type Json } from '../acceptance/fixtures.js';
import { SchemaChecker, validateAgainst } from '../acceptance/protocol.js';

const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');
/** The fields of metadata.yaml's `data` that these tests read; the rest are compared with toMatchObject. */
interface ConnectorMetadata {
  definitionId: string;
  dockerRepository: string;
  dockerImageTag: string;
  maxSecondsBetweenMessages: number;
  allowedHosts: { hosts: string[] };
  suggestedStreams: { streams: string[] };
  [field: string]: unknown;
}
const metadata = (parse(text('metadata.yaml')) as { data: ConnectorMetadata; metadataSpecVersion: string }).data;
const pkg = readJson<{ version: string; license: string }>('package.json');

/** Instructions of the Dockerfile's last (runtime) stage, continuation lines joined. */
function runtimeStage(): string[] {
  const instructions = text('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const lastFrom = instructions.map((l) => l.startsWith('FROM ')).lastIndexOf(true);
  return instructions.slice(lastFrom);
}

/** KEY="value" or KEY=value pairs of a LABEL or ENV instruction. */
function pairs(instruction: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of instruction.matchAll(/([\w.]+)=("([^"]*)"|\S+)/g)) out[m[1]!] = m[3] ?? m[2]!;
  return out;
}

describe('the npm package', () => {
  it('publishes the compiled connector alone: no tools, tests or sources', () => {
    const packed = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(packed.status, packed.stderr).toBe(0);
    const files = (JSON.parse(packed.stdout) as Array<{ files: Array<{ path: string }> }>)[0]?.files.map((f) => f.path) ?? [];
    expect(files).toContain('dist/main.js');
    expect(files.filter((path) => !/^(package\.json|README\.md|LICENSE|dist\/[\w./-]+\.js(\.map)?)$/.test(path))).toEqual([]);
    expect(files.filter((path) => /(^|\/)(sandbox|demo|bench|testing|tools)(\/|$)|\.test\./.test(path))).toEqual([]);
  });
});

describe('metadata.yaml', () => {
  it("describes an alpha MIT API source whose tag is the package version and whose docs URL is the spec's", () => {
    expect(metadata).toMatchObject({
      connectorType: 'source',
      connectorSubtype: 'api',
      dockerRepository: 'airbyte/source-performance-management',
      dockerImageTag: pkg.version,
      documentationUrl: DOCUMENTATION_URL,
      releaseStage: 'alpha',
      license: pkg.license,
    });
    expect(metadata.definitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.isInteger(metadata.maxSecondsBetweenMessages) && metadata.maxSecondsBetweenMessages > 0).toBe(true);
  });

  it('tolerates several heartbeat intervals of silence: a wait that repeats its STATE every HEARTBEAT_MS never looks dead', () => {
    expect(metadata.maxSecondsBetweenMessages).toBeGreaterThanOrEqual((4 * HEARTBEAT_MS) / 1000);
  });

  it("allows every base URL the config can hold: templated from the config, and each field's default host", () => {
    const hosts: string[] = metadata.allowedHosts.hosts;
    const variants = ((connectionSpecification().properties as Json).platform as { oneOf: Array<{ properties: Record<string, Json> }> }).oneOf;
    const allowed = (host: string) => hosts.some((h) => h === host || (h.startsWith('*.') && host.endsWith(h.slice(1))));
    const problems: string[] = [];
    for (const variant of variants) {
      for (const [name, property] of Object.entries(variant.properties)) {
        if (property.format !== 'uri') continue;
        if (!hosts.includes(`\${platform.${name}}`)) problems.push(`\${platform.${name}} is not in allowedHosts`);
        if (typeof property.default === 'string' && !allowed(new URL(property.default).hostname)) {
          problems.push(`${String((variant.properties.vendor as Json).const)} ${name} default host ${new URL(property.default).hostname} is not allowed`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('suggests only streams that some vendor has', () => {
    const all = new Set(vendors.flatMap((v) => readJson<ConfiguredAirbyteCatalog>(`catalogs/${v.id}.json`).streams.map((s) => s.stream.name)));
    expect(metadata.suggestedStreams.streams.filter((s) => !all.has(s))).toEqual([]);
  });
});

describe('Dockerfile', () => {
  const stage = runtimeStage();
  const find = (keyword: string) => stage.filter((l) => l.startsWith(`${keyword} `));

  it('builds every stage from node:24-bookworm-slim', () => {
    const froms = text('Dockerfile')
      .split('\n')
      .filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from).toMatch(/^FROM node:24-bookworm-slim( AS \w+)?$/);
  });

  it("labels the runtime image with metadata.yaml's dockerRepository and dockerImageTag", () => {
    const labels = Object.assign({}, ...find('LABEL').map(pairs)) as Record<string, string>;
    expect(labels['io.airbyte.name']).toBe(metadata.dockerRepository);
    expect(labels['io.airbyte.version']).toBe(metadata.dockerImageTag);
  });

  it('sets AIRBYTE_ENTRYPOINT to the space-joined ENTRYPOINT, runs as node and ships no dev dependencies', () => {
    const env = Object.assign({}, ...find('ENV').map(pairs)) as Record<string, string>;
    const entrypoint = JSON.parse(find('ENTRYPOINT')[0]!.slice('ENTRYPOINT '.length)) as string[];
    expect(env.AIRBYTE_ENTRYPOINT).toBe(entrypoint.join(' '));
    expect(find('USER').at(-1)).toBe('USER node');
    expect(stage.filter((l) => l.startsWith('RUN ') && /npm (ci|install)/.test(l) && !l.includes('--omit=dev'))).toEqual([]);
    expect(text('Dockerfile')).toMatch(/npm ci --omit=dev/);
  });

  it('runs the connector through docker/heap.sh from a POSIX sh entrypoint', () => {
    const script = text('docker/entrypoint.sh');
    expect(script.split('\n')[0]).toBe('#!/bin/sh');
    expect(script).toMatch(/^\. \/airbyte\/integration_code\/heap\.sh$/m);
    expect(script).toMatch(/^read -r SPM_NODE_FLAGS < \/airbyte\/integration_code\/node-flags \|\| :$/m);
    expect(script).toMatch(/^exec node \$SPM_NODE_FLAGS \/airbyte\/integration_code\/dist\/main\.js "\$@"$/m);
    // One line of flags, each one Node accepts (the image's build runs `node <flags> -e 0`).
    expect(text('docker/node-flags')).toMatch(/^(--[a-z-]+=\d+)( --[a-z-]+=\d+)*\n$/);
  });
});

describe('acceptance-test-config.yml', () => {
  const cat = catConfig();
  const tests = (kind: string) => cat.acceptance_tests[kind]?.tests ?? [];
  const { testable } = connectorVendors();

  it('uses the current layout at high strictness and names the image .ci/run builds', () => {
    expect(cat.test_strictness_level).toBe('high');
    expect(cat.connector_image).toBe(`${String(metadata.dockerRepository).split('/').pop()}:dev`);
    expect(Object.keys(cat.acceptance_tests).sort()).toEqual(['basic_read', 'connection', 'discovery', 'full_refresh', 'incremental', 'spec']);
    expect(tests('spec').map((t) => t.spec_path)).toEqual(['spec.json']);
  });

  it('refers only to files that exist', () => {
    const paths = Object.values(cat.acceptance_tests).flatMap((section) =>
      (section.tests ?? []).flatMap((t) => [t.spec_path, t.config_path, t.configured_catalog_path, t.expect_records?.path, t.future_state?.future_state_path]),
    );
    expect(paths.filter((p): p is string => typeof p === 'string' && !exists(p))).toEqual([]);
  });

  it('covers every vendor the sandbox imitates: check succeed/failed/exception, discovery, basic read with expected records, full refresh, incremental with a future state', () => {
    for (const vendor of testable) {
      const dir = fixtureDir(vendor);
      const config = `${dir}/sample_config.json`;
      expect(
        tests('connection')
          .filter((t) => vendorOfConfig(t.config_path!) === vendor)
          .map((t) => [t.config_path, t.status]),
      ).toEqual([
        [config, 'succeed'],
        [`${dir}/invalid_config.json`, 'failed'],
        [`${dir}/malformed_config.json`, 'exception'],
      ]);
      expect(tests('discovery').map((t) => t.config_path)).toContain(config);
      const read = tests('basic_read').find((t) => t.config_path === config);
      // At high strictness CAT builds basic_read's catalog from discover and refuses a custom one.
      expect(read?.configured_catalog_path).toBeUndefined();
      expect(read?.expect_records?.path).toBe(`${dir}/expected_records.jsonl`);
      expect(tests('full_refresh').find((t) => t.config_path === config)?.configured_catalog_path).toBe(`${dir}/configured_catalog.json`);
      const incremental = tests('incremental').find((t) => t.config_path === config);
      expect(incremental?.future_state?.future_state_path).toBe(`${dir}/abnormal_state.json`);
    }
  });

  it('gives a reason for every empty stream and every bypassed expectation', () => {
    for (const t of tests('basic_read')) {
      for (const empty of t.empty_streams ?? []) expect(empty.bypass_reason, `${t.config_path}: ${empty.name}`).toMatch(/\w{5}/);
      if (!t.expect_records?.path) expect(t.expect_records?.bypass_reason, String(t.config_path)).toMatch(/\w{5}/);
    }
  });
});

describe('docs/performance-management.md', () => {
  const doc = text('docs/performance-management.md');

  it('has the sections of an Airbyte docs page and the current version in its changelog', () => {
    for (const heading of [
      '## Prerequisites',
      '## Setup guide',
      '## Supported sync modes',
      '## Supported streams',
      '## Rate limits',
      '## Performance considerations',
      '## Changelog',
    ]) {
      expect(doc).toContain(heading);
    }
    expect(doc).toMatch(new RegExp(`^\\| ${pkg.version.replaceAll('.', '\\.')} \\|`, 'm'));
  });

  it("lists every stream of every vendor in a table row, and links each vendor's stream page", () => {
    const missing: string[] = [];
    for (const v of vendors) {
      if (!doc.includes(`(streams/${v.id}.md)`) || !exists(`docs/streams/${v.id}.md`)) missing.push(`link to docs/streams/${v.id}.md`);
      for (const s of readJson<ConfiguredAirbyteCatalog>(`catalogs/${v.id}.json`).streams) {
        if (!doc.includes(`\n| ${s.stream.name} |`)) missing.push(`${v.id}: ${s.stream.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('integration_tests inputs', () => {
  const { testable, untestable } = connectorVendors();
  const checker = new SchemaChecker();
  const spec = connectionSpecification();

  it('exist for every vendor the sandbox imitates', () => {
    const files = [
      'sample_config.json',
      'invalid_config.json',
      'malformed_config.json',
      'configured_catalog.json',
      'sample_state.json',
      'abnormal_state.json',
      'expected_records.jsonl',
    ];
    expect(testable.flatMap((v) => files.map((f) => `${fixtureDir(v)}/${f}`)).filter((p) => !exists(p))).toEqual([]);
    expect(untestable).toEqual([]);
  });

  for (const vendor of connectorVendors().testable) {
    it(`${vendor}: configs aim at the sandbox on port 8787, valid per the spec except malformed_config.json`, () => {
      const fx = vendorFixtures(vendor);
      for (const config of [fx.sampleConfig, fx.invalidConfig]) {
        expect(checker.problem(spec, config)).toBeUndefined();
        expect(JSON.stringify(config)).toContain('http://127.0.0.1:8787/');
      }
      expect(checker.problem(spec, fx.malformedConfig)).toBeDefined();
    });

    it(`${vendor}: the configured catalog and the states are valid protocol objects; abnormal_state.json is far in the future for every incremental stream`, () => {
      const fx = vendorFixtures(vendor);
      expect(validateAgainst('ConfiguredAirbyteCatalog', fx.catalog)).toBeUndefined();
      const incremental = fx.catalog.streams.filter((s) => s.sync_mode === 'incremental');
      for (const states of [fx.sampleState, fx.abnormalState]) {
        for (const state of states) expect(validateAgainst('AirbyteStateMessage', state)).toBeUndefined();
        expect(states.map((s: AirbyteStateMessage) => s.stream!.stream_descriptor.name).sort()).toEqual(incremental.map((s) => s.stream.name).sort());
      }
      const inAHundredYears = Date.now() + 100 * 365 * 24 * 3600 * 1000;
      for (const state of fx.abnormalState) {
        for (const value of Object.values(state.stream!.stream_state ?? {})) expect(Date.parse(String(value))).toBeGreaterThan(inAHundredYears);
      }
    });

    it(`${vendor}: expected records belong to configured streams`, () => {
      const fx = vendorFixtures(vendor);
      const names = new Set(fx.catalog.streams.map((s) => s.stream.name));
      expect(fx.expectedRecords.filter((r) => !names.has(r.stream)).map((r) => r.stream)).toEqual([]);
    });
  }

  it('catalogs/ has a configured catalog for every vendor of src/streams/index.ts, and nothing else', () => {
    const expected = vendors.map((v) => `${v.id}.json`).sort();
    const present = readdirSync(join(ROOT, 'catalogs'))
      .filter((f) => f.endsWith('.json'))
      .sort();
    expect(present).toEqual(expected);
    for (const v of vendors) expect(validateAgainst('ConfiguredAirbyteCatalog', readJson(`catalogs/${v.id}.json`))).toBeUndefined();
  });

  it('the generated catalogs and states are current (node scripts/generate-catalogs.mjs --check)', () => {
    expect(existsSync(join(ROOT, 'dist/main.js')), 'run npm run build first').toBe(true);
    const result = spawnSync(process.execPath, [join(ROOT, 'scripts/generate-catalogs.mjs'), '--check'], { encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
