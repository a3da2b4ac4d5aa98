// Writes the configured catalogs and states that are derived from `discover`, for every vendor in
// src/streams/index.ts (run `npm run build` first):
//
//   catalogs/<vendor>.json                 a ready configured catalog: every stream the vendor can serve,
//                                          incremental + append_dedup where the stream supports it,
//                                          full_refresh + overwrite otherwise
//   integration_tests[/<vendor>]/          the acceptance-test inputs of each vendor the sandbox imitates
//     configured_catalog.json              (Leapsome at the top level, as Airbyte's tooling expects,
//     sample_state.json                     the others in a folder of their own): the same catalog,
//     abnormal_state.json                   a mid-history state and a far-future state per incremental
//                                          stream (acceptanceFullRefresh below says which streams
//                                          these catalogs read in full refresh, and why)
//
//   node scripts/generate-catalogs.mjs            write the files
//   node scripts/generate-catalogs.mjs --check    exit 1 if any file is missing or stale (the acceptance
//                                                 suite runs this)
//   node scripts/generate-catalogs.mjs --records  also record integration_tests[/<vendor>]/expected_records.jsonl
//                                                 by reading the sandbox (seed 42, scale 0.05) through the CLI
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { vendors } = await import('../dist/streams/index.js');
const { connectionSpecification, parseConfig, settingsOf } = await import('../dist/config.js');
const { buildCatalog } = await import('../dist/engine/catalog.js');
const { VENDORS: SANDBOX_VENDORS, fakeOf } = await import('../dist-tools/tools/sandbox/registry.js');
const { configuredCatalog, runCli } = await import('../dist-tools/tools/testing/harness.js');

/** The vendor whose acceptance inputs sit directly in integration_tests/. */
const PRIMARY = 'leapsome';
/** A cursor no record reaches: reading from it must give nothing. */
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';
/** A cursor in the middle of the sandbox's generated history (2015 to mid-2025). */
const MID_HISTORY = '2024-01-01T00:00:00.000Z';
/** Records kept per stream in expected_records.jsonl. */
const EXPECTED_PER_STREAM = 3;
/** The sandbox URL the committed acceptance inputs use. */
const FIXTURE_SANDBOX_URL = 'http://127.0.0.1:8787';
/**
 * Incremental streams configured full_refresh in the acceptance catalogs (not in catalogs/): the
 * sandbox serves records of theirs without a cursor value (their fake's `StreamFacts.unsetCursorValues`
 * says why), which the connector re-emits on every incremental read rather than lose them (as
 * Airbyte's Python CDK does), and which CAT's incremental rules cannot compare with a state.
 */
function acceptanceFullRefresh(vendorId) {
  return Object.entries(fakeOf(vendorId).streamFacts ?? {})
    .filter(([, facts]) => facts.unsetCursorValues)
    .map(([stream]) => stream);
}

const args = new Set(process.argv.slice(2));
const check = args.has('--check');
const record = args.has('--records');

function fixtureDir(vendor) {
  return vendor === PRIMARY ? 'integration_tests' : `integration_tests/${vendor}`;
}

/**
 * A config that turns on every optional feature of a vendor (optional tokens, report cycles), so the
 * catalog lists every stream the vendor can serve. Values come from the spec's own examples and
 * defaults; no request is made with them.
 */
function maximalConfig(vendorId) {
  const variants = connectionSpecification().properties.platform.oneOf;
  const variant = variants.find((v) => v.properties.vendor.const === vendorId);
  if (!variant) throw new Error(`no platform variant with vendor "${vendorId}" in the spec`);
  const platform = Object.fromEntries(Object.entries(variant.properties).map(([name, schema]) => [name, sampleOf(schema)]));
  return parseConfig({ platform });
}

function sampleOf(schema) {
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  switch (type) {
    case 'array':
      return [sampleOf(schema.items ?? {})];
    case 'integer':
    case 'number':
      return schema.minimum ?? 1;
    case 'boolean':
      return true;
    case 'object':
      return {};
    default:
      if (schema.format === 'uri') return 'https://example.com';
      if (schema.format === 'uuid') return '00000000-0000-4000-8000-000000000000';
      return 'placeholder';
  }
}

/**
 * Every stream of a vendor, configured as a platform sets a connection up: incremental + append_dedup
 * where the stream supports it (append without a primary key), full_refresh + overwrite otherwise.
 */
function catalogOf(vendor, fullRefresh = []) {
  const config = maximalConfig(vendor.id);
  const catalog = buildCatalog(vendor.streams(config.platform, settingsOf(config)));
  return configuredCatalog(catalog, { destination: 'dedup', fullRefresh });
}

/** One STREAM state per incremental stream, its cursor at `cursor`, as the platform passes them back. */
function stateFor(catalog, cursor) {
  return catalog.streams
    .filter((s) => s.sync_mode === 'incremental')
    .map((s) => ({
      type: 'STREAM',
      stream: { stream_descriptor: { name: s.stream.name }, stream_state: { [s.cursor_field.join('.')]: cursor } },
    }));
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

const files = new Map();
for (const vendor of vendors) {
  files.set(`catalogs/${vendor.id}.json`, json(catalogOf(vendor)));
  if (!SANDBOX_VENDORS.includes(vendor.id)) continue;
  const catalog = catalogOf(vendor, acceptanceFullRefresh(vendor.id));
  const dir = fixtureDir(vendor.id);
  files.set(`${dir}/configured_catalog.json`, json(catalog));
  files.set(`${dir}/sample_state.json`, json(stateFor(catalog, MID_HISTORY)));
  files.set(`${dir}/abnormal_state.json`, json(stateFor(catalog, FAR_FUTURE)));
}

if (check) {
  const stale = [...files].filter(([path, text]) => {
    try {
      return readFileSync(join(root, path), 'utf8') !== text;
    } catch {
      return true;
    }
  });
  if (stale.length > 0) {
    console.error(`stale or missing: ${stale.map(([p]) => p).join(', ')}. Run: npm run build && node scripts/generate-catalogs.mjs`);
    process.exit(1);
  }
  console.log(`${files.size} generated files are up to date`);
} else {
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  console.log(`wrote ${[...files.keys()].join(', ')}`);
}

if (record && !check) await recordExpectedRecords();

/**
 * expected_records.jsonl per sandbox vendor: the first records of every stream a full read of the
 * sandbox (seed 42, scale 0.05: the acceptance-test-config.yml setup) emits through the built CLI.
 */
async function recordExpectedRecords() {
  const { startSandbox } = await import('../dist-tools/tools/sandbox/index.js');
  const sb = await startSandbox({ seed: 42, scale: 0.05 });
  const work = mkdtempSync(join(tmpdir(), 'spm-records-'));
  try {
    for (const vendor of vendors) {
      if (!SANDBOX_VENDORS.includes(vendor.id)) continue;
      const dir = fixtureDir(vendor.id);
      const sample = readFileSync(join(root, dir, 'sample_config.json'), 'utf8').replaceAll(FIXTURE_SANDBOX_URL, sb.url);
      writeFileSync(join(work, 'config.json'), sample);
      writeFileSync(join(work, 'catalog.json'), files.get(`${dir}/configured_catalog.json`));
      // Asynchronous: the sandbox answers from this process.
      const output = await runCli(['read', '--config', join(work, 'config.json'), '--catalog', join(work, 'catalog.json')], {
        timeoutMs: Number.POSITIVE_INFINITY,
      });
      process.stderr.write(output.stderr);
      if (output.code !== 0) throw new Error(`${vendor.id}: read exited ${output.code}`);
      const kept = new Map();
      const lines = [];
      for (const message of output.messages) {
        if (message.type !== 'RECORD') continue;
        const n = kept.get(message.record.stream) ?? 0;
        if (n >= EXPECTED_PER_STREAM) continue;
        kept.set(message.record.stream, n + 1);
        // Records that carry the sandbox's own URL (SCIM meta.location) are kept as a sandbox on 8787 serves them.
        const data = JSON.parse(JSON.stringify(message.record.data).replaceAll(sb.url, FIXTURE_SANDBOX_URL));
        lines.push(JSON.stringify({ stream: message.record.stream, data, emitted_at: 1748736000000 }));
      }
      writeFileSync(join(root, dir, 'expected_records.jsonl'), `${lines.join('\n')}\n`);
      console.log(`wrote ${relative(root, join(root, dir, 'expected_records.jsonl'))} (${lines.length} records, ${kept.size} streams)`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
    await sb.close();
  }
}
