/**
 * The acceptance suite: what Airbyte's connector acceptance tests assert, run through one way of
 * running the connector (the built CLI, or the image: see tools/testing/harness.ts) against the sandbox, for every vendor the connector has and the
 * sandbox imitates. Inputs are the committed files in integration_tests/ and catalogs/.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionSpecification } from '../../src/config.js';
import type { ConfiguredAirbyteCatalog, ConnectorSpecification } from '../../src/protocol/generated.js';
import { primaryKeyOf, startSandbox, type Sandbox, type Vendor as SandboxVendor } from '../../tools/sandbox/index.js';
import { vendorOf } from '../../src/streams/index.js';
import {
  catalogProblems,
  cursorsOf,
  keyOf,
  missingExpectedRecords,
  outputProblems,
  recordProblems,
  recordsOlderThan,
  specProblems,
  stateProblems,
  statusProblems,
  withSyncMode,
} from './checks.js';
import {
  catConfig,
  connectorVendors,
  FIXTURE_SANDBOX_URL,
  forSandbox,
  readJson,
  SANDBOX_SETUP,
  vendorFixtures,
  vendorOfConfig,
  type Json,
} from './fixtures.js';
import { SchemaChecker } from './protocol.js';
import type { Command, Connector, ConnectorOutput, Inputs } from '../../tools/testing/harness.js';

/** Intermediate checkpoints resumed per vendor (evenly spread over the read): each is a whole read. */
const CHECKPOINT_SAMPLES = 4;
/** Small pages, so that every paginated stream checkpoints several times. */
const CHECKPOINT_PAGE_SIZE = 5;

function once<T>(make: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= make());
}

/** The values of the config's airbyte_secret fields: they must never appear in any output. */
function secretsOf(config: Json): string[] {
  const platform = (config.platform ?? {}) as Json;
  const variants = ((connectionSpecification().properties as Json).platform as { oneOf: Json[] }).oneOf;
  const variant = variants.find((v) => ((v.properties as Json).vendor as Json).const === platform.vendor);
  const fields = Object.entries((variant?.properties ?? {}) as Record<string, Json>).filter(([, p]) => p.airbyte_secret === true);
  return fields.map(([name]) => platform[name]).filter((v): v is string => typeof v === 'string');
}

export function acceptanceSuite(runner: Connector): void {
  const checker = new SchemaChecker();

  describe(`spec (${runner.name})`, () => {
    const spec = once(() => runner.run('spec'));

    it('prints exactly one SPEC message, valid per the protocol, and exits 0', async () => {
      const result = await spec();
      expect(outputProblems(result)).toEqual([]);
      expect(result.code).toBe(0);
      expect(result.answers().map((m) => m.type)).toEqual(['SPEC']);
    });

    it("follows Airbyte's spec rules: draft-07, secrets marked, one oneOf discriminator, no $ref, additionalProperties only true", async () => {
      const message = (await spec()).answers()[0];
      expect(specProblems(message!.spec!, checker)).toEqual([]);
    });

    it('equals spec.json (the spec_path of acceptance-test-config.yml)', async () => {
      expect((await spec()).answers()[0]?.spec).toEqual(readJson<ConnectorSpecification>('spec.json'));
    });

    it('accepts every committed sample and wrong-key config and rejects every malformed one', async () => {
      const schema = (await spec()).answers()[0]!.spec!.connectionSpecification as Json;
      for (const vendor of connectorVendors().testable) {
        const fx = vendorFixtures(vendor);
        expect(checker.problem(schema, fx.sampleConfig), `${fx.dir}/sample_config.json`).toBeUndefined();
        expect(checker.problem(schema, fx.invalidConfig), `${fx.dir}/invalid_config.json`).toBeUndefined();
        expect(checker.problem(schema, fx.malformedConfig), `${fx.dir}/malformed_config.json`).toBeDefined();
      }
    });
  });

  const { testable, untestable } = connectorVendors();
  for (const vendor of untestable) {
    describe.skip(`${vendor} (${runner.name}): skipped, the sandbox does not imitate this vendor`, () => {
      it('acceptance cases', () => undefined);
    });
  }
  for (const vendor of testable) vendorSuite(runner, vendor, checker);
}

function vendorSuite(runner: Connector, vendor: SandboxVendor, checker: SchemaChecker): void {
  describe(`${vendor} (${runner.name})`, () => {
    const fx = vendorFixtures(vendor);
    const catalog = fx.catalog;
    let sb: Sandbox;
    beforeAll(async () => {
      sb = await startSandbox({ ...SANDBOX_SETUP });
    });
    afterAll(async () => {
      await sb?.close();
    });

    const config = (extra: Json = {}) => forSandbox(fx.sampleConfig, sb, extra);
    const secrets = [...secretsOf(fx.sampleConfig), ...secretsOf(fx.invalidConfig)];
    const run = (command: Command, inputs: Inputs, timeoutMs?: number) => runner.run(command, inputs, timeoutMs === undefined ? {} : { timeoutMs });
    /** Exit 0, every line a valid message, no secret shown, no error trace. */
    const expectClean = (result: ConnectorOutput) => {
      expect(outputProblems(result, secrets), result.stderr).toEqual([]);
      expect(result.errors().map((e) => e.message)).toEqual([]);
      expect(result.code, result.stderr).toBe(0);
    };

    const basicRead = once(() => run('read', { config: config(), catalog }));
    const fullRefresh = withSyncMode(catalog, 'full_refresh');
    const fullRead = once(() => run('read', { config: config(), catalog: fullRefresh }));

    // ------------------------------------------------------------------ connection

    it('check succeeds with sample_config.json: one CONNECTION_STATUS SUCCEEDED, exit 0', async () => {
      const result = await run('check', { config: config() });
      expectClean(result);
      expect(result.answers().map((m) => [m.type, m.connectionStatus?.status])).toEqual([['CONNECTION_STATUS', 'SUCCEEDED']]);
    });

    it('check fails with the wrong key of invalid_config.json: one CONNECTION_STATUS FAILED with a reason, exit 0', async () => {
      const result = await run('check', { config: forSandbox(fx.invalidConfig, sb) });
      expectClean(result);
      expect(result.answers().map((m) => [m.type, m.connectionStatus?.status])).toEqual([['CONNECTION_STATUS', 'FAILED']]);
      // A message a person can act on: it names the vendor.
      expect(result.answers()[0]?.connectionStatus?.message).toContain(vendorOf(vendor).title);
    });

    it('check raises on malformed_config.json: one TRACE ERROR (config_error), non-zero exit', async () => {
      const result = await run('check', { config: forSandbox(fx.malformedConfig, sb) });
      expect(outputProblems(result, secrets)).toEqual([]);
      expect(result.code).not.toBe(0);
      expect(result.answers().map((m) => [m.type, m.trace?.type, m.trace?.error?.failure_type])).toEqual([['TRACE', 'ERROR', 'config_error']]);
    });

    // ------------------------------------------------------------------ discovery

    const discover = once(() => run('discover', { config: config() }));

    it('discover prints one CATALOG: unique names, valid schemas, primary keys and cursors in the schemas, sync modes', async () => {
      const result = await discover();
      expectClean(result);
      expect(result.answers().map((m) => m.type)).toEqual(['CATALOG']);
      expect(catalogProblems(result.answers()[0]!.catalog!, checker)).toEqual([]);
    });

    it(`the committed catalogs (catalogs/${vendor}.json, ${fx.dir}/configured_catalog.json) configure what discover returns`, async () => {
      const discovered = (await discover()).answers()[0]!.catalog!.streams;
      const committed = readJson<ConfiguredAirbyteCatalog>(`catalogs/${vendor}.json`);
      expect(committed.streams.map((s) => s.stream)).toEqual(discovered);
      expect(catalog.streams.map((s) => s.stream)).toEqual(discovered);
      for (const s of committed.streams) {
        const incremental = s.stream.supported_sync_modes.includes('incremental');
        expect([s.stream.name, s.sync_mode]).toEqual([s.stream.name, incremental ? 'incremental' : 'full_refresh']);
      }
    });

    // ------------------------------------------------------------------ basic read

    it('basic read: valid messages, statuses STARTED → RUNNING → COMPLETE, a counted STATE per stream', async () => {
      const result = await basicRead();
      expectClean(result);
      expect(statusProblems(result, catalog)).toEqual([]);
      expect(stateProblems(result, catalog)).toEqual([]);
      expect(result.messages.filter((m) => m.type === 'STATE').length).toBeGreaterThanOrEqual(catalog.streams.length);
    });

    const failOnExtraColumns = basicReadCase(`${fx.dir}/sample_config.json`)?.fail_on_extra_columns ?? true;
    it(`basic read: records match their schemas (strict integers and date-times${failOnExtraColumns ? ', no undeclared fields' : ''})`, async () => {
      expect(recordProblems(await basicRead(), catalog, checker, failOnExtraColumns)).toEqual([]);
    });

    const mayBeEmpty = new Set((basicReadCase(`${fx.dir}/sample_config.json`)?.empty_streams ?? []).map((s) => s.name));
    it(`basic read: every stream${mayBeEmpty.size ? ' not in empty_streams' : ''} has records and ${fx.dir}/expected_records.jsonl is among them`, async () => {
      const result = await basicRead();
      const byStream = result.recordsByStream();
      const empty = catalog.streams.filter((s) => !byStream.get(s.stream.name)?.length).map((s) => s.stream.name);
      expect(empty.filter((name) => !mayBeEmpty.has(name))).toEqual([]);
      expect(fx.expectedRecords.length).toBeGreaterThan(0);
      expect(missingExpectedRecords(result, fx.expectedRecords, sb.url, FIXTURE_SANDBOX_URL)).toEqual([]);
    });

    for (const test of lateStartCases(vendor)) {
      // Without a configured_catalog_path CAT reads what discover returns, in full refresh (and leaves
      // empty_streams out); here every stream is read, so that the empty ones are seen to be empty.
      const lateCatalog = test.configured_catalog_path ? readJson<ConfiguredAirbyteCatalog>(test.configured_catalog_path) : fullRefresh;
      it(`basic read with ${test.config_path}: exactly the streams of empty_streams are empty`, async () => {
        const result = await run('read', { config: forSandbox(readJson(test.config_path!), sb), catalog: lateCatalog });
        expectClean(result);
        const byStream = result.recordsByStream();
        const empty = catalog.streams.filter((s) => !byStream.get(s.stream.name)?.length).map((s) => s.stream.name);
        expect(empty.sort()).toEqual((test.empty_streams ?? []).map((s) => s.name).sort());
      });
    }

    // ------------------------------------------------------------------ full refresh

    it('full refresh twice gives the same records', async () => {
      const first = await fullRead();
      const second = await run('read', { config: config(), catalog: fullRefresh });
      expectClean(first);
      expectClean(second);
      const sorted = (r: ConnectorOutput) => new Map([...r.recordsByStream()].map(([s, records]) => [s, records.map((d) => JSON.stringify(d)).sort()]));
      expect(sorted(second)).toEqual(sorted(first));
    });

    it("full refresh emits every record of the sandbox's truth exactly once", async () => {
      const byStream = (await fullRead()).recordsByStream();
      const problems: string[] = [];
      for (const { stream } of fullRefresh.streams) {
        const got = (byStream.get(stream.name) ?? []).map((r) => primaryKeyOf(vendor, stream.name, r));
        const want = new Set(sb.truth(vendor, stream.name).map((r) => primaryKeyOf(vendor, stream.name, r)));
        const duplicates = got.filter((k, i) => got.indexOf(k) !== i);
        const missing = [...want].filter((k) => !got.includes(k));
        const extra = got.filter((k) => !want.has(k));
        if (duplicates.length + missing.length + extra.length > 0) {
          problems.push(`${stream.name}: ${missing.length} missing, ${extra.length} unexpected, ${duplicates.length} duplicated (of ${want.size})`);
        }
      }
      expect(problems).toEqual([]);
    });

    // ------------------------------------------------------------------ incremental

    it('a read resumed from an intermediate checkpoint loses nothing and reads nothing older than the state', async () => {
      const paged = config({ page_size: CHECKPOINT_PAGE_SIZE });
      const first = await run('read', { config: paged, catalog });
      expectClean(first);
      const all = first.recordsByStream();
      // A checkpoint is intermediate when its stream had more to read after it.
      const lastStateAt = new Map<string, number>();
      first.messages.forEach((m, at) => {
        if (m.type === 'STATE') lastStateAt.set(m.state!.stream!.stream_descriptor.name, at);
      });
      const intermediate = first.messages
        .map((m, at) => ({ m, at }))
        .filter(({ m, at }) => m.type === 'STATE' && lastStateAt.get(m.state!.stream!.stream_descriptor.name) !== at)
        .map(({ at }) => at);
      expect(intermediate.length, 'the paged read has intermediate checkpoints').toBeGreaterThan(0);
      const sample = [
        ...new Set(Array.from({ length: CHECKPOINT_SAMPLES }, (_, i) => intermediate[Math.floor((i * intermediate.length) / CHECKPOINT_SAMPLES)]!)),
      ];

      for (const at of sample) {
        const state = first.slice(0, at + 1).finalStates();
        const resumed = await run('read', { config: paged, catalog, state });
        expectClean(resumed);
        expect(statusProblems(resumed, catalog)).toEqual([]);
        expect(recordsOlderThan(resumed, catalog, cursorsOf(state, catalog))).toEqual([]);
        const before = first.slice(0, at + 1).recordsByStream();
        const after = resumed.recordsByStream();
        const lost: string[] = [];
        for (const { stream, primary_key } of catalog.streams) {
          const pk = primary_key ?? stream.source_defined_primary_key ?? [];
          const seen = new Set([...(before.get(stream.name) ?? []), ...(after.get(stream.name) ?? [])].map((r) => keyOf(r, pk)));
          const missing = (all.get(stream.name) ?? []).filter((r) => !seen.has(keyOf(r, pk)));
          if (missing.length > 0) lost.push(`${stream.name}: ${missing.length} records lost resuming at message ${at}`);
        }
        expect(lost).toEqual([]);
      }
    }, 150_000);

    it('sample_state.json: a read from it returns only records at or after its cursors', async () => {
      const result = await run('read', { config: config(), catalog, state: fx.sampleState });
      expectClean(result);
      expect(stateProblems(result, catalog)).toEqual([]);
      expect(recordsOlderThan(result, catalog, cursorsOf(fx.sampleState, catalog))).toEqual([]);
    });

    it('abnormal_state.json: a far-future state gives no records and at least one state per stream', async () => {
      const incremental = withSyncMode(catalog, 'incremental');
      expect(incremental.streams.length).toBeGreaterThan(0);
      const result = await run('read', { config: config(), catalog: incremental, state: fx.abnormalState });
      expectClean(result);
      expect(result.messages.filter((m) => m.type === 'RECORD').map((m) => m.record!.stream)).toEqual([]);
      expect(stateProblems(result, incremental)).toEqual([]);
    });

    it('an invalid catalog gives a config_error trace, no records and a non-zero exit', async () => {
      const invalid = { streams: [{ ...catalog.streams[0]!, stream: { ...catalog.streams[0]!.stream, name: 'no_such_stream' } }] };
      const result = await run('read', { config: config(), catalog: invalid });
      expect(outputProblems(result, secrets)).toEqual([]);
      expect(result.code).not.toBe(0);
      expect(result.errors().map((e) => e.failure_type)).toEqual(['config_error']);
      expect(result.errors()[0]?.message).toContain('no_such_stream');
      expect(result.messages.filter((m) => m.type === 'RECORD')).toEqual([]);
    });

    // Last: it changes the sandbox's data.
    it("incremental twice: after changes, the second read (from the first one's state) returns the changes and only newer records", async () => {
      const first = await basicRead();
      expectClean(first);
      const state = first.finalStates();
      const changes = sb.mutate({ vendors: [vendor] })[vendor] ?? {};
      const second = await run('read', { config: config(), catalog, state });
      expectClean(second);
      expect(statusProblems(second, catalog)).toEqual([]);
      expect(stateProblems(second, catalog)).toEqual([]);
      expect(recordsOlderThan(second, catalog, cursorsOf(state, catalog))).toEqual([]);

      const firstRecords = first.recordsByStream();
      const secondRecords = second.recordsByStream();
      const problems: string[] = [];
      let changed = 0;
      for (const { stream, sync_mode } of catalog.streams) {
        const keys = new Set((secondRecords.get(stream.name) ?? []).map((r) => primaryKeyOf(vendor, stream.name, r)));
        const expected = [...(changes[stream.name]?.updated ?? []), ...(changes[stream.name]?.inserted ?? [])];
        const missed = expected.filter((k) => !keys.has(k));
        if (missed.length > 0) problems.push(`${stream.name}: ${missed.length} of ${expected.length} changed records not read again`);
        if (sync_mode !== 'incremental') continue;
        const before = (firstRecords.get(stream.name) ?? []).map((r) => JSON.stringify(r));
        changed += (secondRecords.get(stream.name) ?? []).filter((r) => !before.includes(JSON.stringify(r))).length;
      }
      expect(problems).toEqual([]);
      expect(changed, 'incremental streams return records the first read did not have').toBeGreaterThan(0);
      const incrementalCount = (r: Map<string, Json[]>) =>
        catalog.streams.filter((s) => s.sync_mode === 'incremental').reduce((n, s) => n + (r.get(s.stream.name)?.length ?? 0), 0);
      expect(incrementalCount(secondRecords)).toBeLessThan(incrementalCount(firstRecords));
    });
  });
}

/** The basic_read case of acceptance-test-config.yml for a config (the first, if several). */
function basicReadCase(configPath: string) {
  return (catConfig().acceptance_tests.basic_read?.tests ?? []).find((t) => t.config_path === configPath);
}

/** The basic_read cases of acceptance-test-config.yml with empty_streams, for this vendor's configs. */
function lateStartCases(vendor: string) {
  return (catConfig().acceptance_tests.basic_read?.tests ?? []).filter(
    (t) => (t.empty_streams?.length ?? 0) > 0 && t.config_path && vendorOfConfig(t.config_path) === vendor,
  );
}
