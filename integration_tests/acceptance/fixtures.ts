/**
 * The acceptance inputs in integration_tests/ (written for a sandbox on port 8787, as
 * acceptance-test-config.yml describes) and what the suite does to them to aim them at the sandbox
 * it starts itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import type { Sandbox } from '../../tools/sandbox/index.js';
import { isSandboxVendor, type Vendor as SandboxVendor } from '../../tools/sandbox/registry.js';
import { vendors } from '../../src/streams/index.js';

export const ROOT = resolve(import.meta.dirname, '../..');

/** The sandbox URL the committed inputs use; the suite replaces it with its own sandbox's. */
export const FIXTURE_SANDBOX_URL = 'http://127.0.0.1:8787';
/**
 * The sandbox the expected records were recorded from (`node scripts/generate-catalogs.mjs --records`).
 * Leanmote's hour and minute windows last 3.6 s and 60 ms here: at 100 requests a second at most, no
 * read can spend the 1000 an hour its headers report, which the connector would rightly wait for.
 */
export const SANDBOX_SETUP = { seed: 42, scale: 0.05, leanmoteWindowScale: 0.001 } as const;
/** Fast settings for tests: no vendor rate limit to wait for, quick retries. */
export const FAST = { requests_per_second: 100, retry_base_delay_seconds: 0.01, concurrency: 8 } as const;

/** Leapsome's inputs sit directly in integration_tests/, every other vendor's in a folder of its own. */
const PRIMARY = 'leapsome';

export function fixtureDir(vendor: string): string {
  return vendor === PRIMARY ? 'integration_tests' : `integration_tests/${vendor}`;
}

export type Json = Record<string, unknown>;

export function readJson<T = Json>(path: string): T {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
}

export function readJsonLines<T = Json>(path: string): T[] {
  return readFileSync(join(ROOT, path), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

export interface ExpectedRecord {
  stream: string;
  data: Json;
}

/** Every acceptance input of one vendor. */
export interface VendorFixtures {
  vendor: string;
  dir: string;
  sampleConfig: Json;
  invalidConfig: Json;
  malformedConfig: Json;
  catalog: ConfiguredAirbyteCatalog;
  sampleState: AirbyteStateMessage[];
  abnormalState: AirbyteStateMessage[];
  expectedRecords: ExpectedRecord[];
}

export function vendorFixtures(vendor: string): VendorFixtures {
  const dir = fixtureDir(vendor);
  return {
    vendor,
    dir,
    sampleConfig: readJson(`${dir}/sample_config.json`),
    invalidConfig: readJson(`${dir}/invalid_config.json`),
    malformedConfig: readJson(`${dir}/malformed_config.json`),
    catalog: readJson<ConfiguredAirbyteCatalog>(`${dir}/configured_catalog.json`),
    sampleState: readJson<AirbyteStateMessage[]>(`${dir}/sample_state.json`),
    abnormalState: readJson<AirbyteStateMessage[]>(`${dir}/abnormal_state.json`),
    expectedRecords: readJsonLines<ExpectedRecord>(`${dir}/expected_records.jsonl`),
  };
}

/** A committed config aimed at a running sandbox, with the fast test settings unless it sets its own. */
export function forSandbox(config: Json, sb: Sandbox, extra: Json = {}): Json {
  const aimed = JSON.parse(JSON.stringify(config).replaceAll(FIXTURE_SANDBOX_URL, sb.url)) as Json;
  return { ...FAST, ...aimed, ...extra };
}

/** Vendors of the connector, split by whether the sandbox imitates them (only those can be tested here). */
export function connectorVendors(): { testable: SandboxVendor[]; untestable: string[] } {
  const ids = vendors.map((v) => v.id as string);
  return {
    testable: ids.filter(isSandboxVendor),
    untestable: ids.filter((id) => !isSandboxVendor(id)),
  };
}

export interface CatTest {
  config_path?: string;
  configured_catalog_path?: string;
  status?: 'succeed' | 'failed' | 'exception';
  spec_path?: string;
  expect_records?: { path?: string; bypass_reason?: string; exact_order?: boolean };
  empty_streams?: Array<{ name: string; bypass_reason?: string }>;
  fail_on_extra_columns?: boolean;
  future_state?: { future_state_path?: string; bypass_reason?: string; missing_streams?: Array<{ name: string; bypass_reason?: string }> };
}

export interface CatConfig {
  connector_image: string;
  test_strictness_level: string;
  acceptance_tests: Record<string, { tests?: CatTest[]; bypass_reason?: string }>;
}

export function catConfig(): CatConfig {
  return parse(readFileSync(join(ROOT, 'acceptance-test-config.yml'), 'utf8')) as CatConfig;
}

/** The vendor a committed config is for. */
export function vendorOfConfig(path: string): string {
  return ((readJson(path).platform ?? {}) as { vendor?: string }).vendor ?? '';
}

export function exists(path: string): boolean {
  return existsSync(join(ROOT, path));
}
