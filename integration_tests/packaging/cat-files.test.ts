/**
 * acceptance-test-config.yml and metadata.yaml load in Airbyte's own tools. Both are checked against
 * models written here from the fields Airbyte documents, so an edit that Airbyte would refuse fails
 * here first:
 *
 * - acceptance-test-config.yml: the pydantic models of airbytehq/airbyte
 *   airbyte-integrations/bases/connector-acceptance-test/connector_acceptance_test/config.py (BaseConfig
 *   has `extra = "forbid"`: an unknown key refuses the whole file; GenericTestConfig does not forbid),
 *   read the way CAT reads it (PyYAML, YAML 1.1: `no` is false), and the rules CAT enforces at
 *   `test_strictness_level: high` in connector_acceptance_test/conftest.py (empty_streams and
 *   expect_records), tests/test_core.py (TestBasicRead.configured_catalog_fixture: no custom
 *   configured catalog in basic_read; should_validate_schema) and tests/test_incremental.py
 *   (future_state_configuration_fixture, future_state_fixture).
 * - metadata.yaml: airbytehq/airbyte
 *   airbyte-ci/connectors/metadata_service/lib/metadata_service/models/src/ConnectorMetadataDefinitionV0.yaml
 *   and its sub-models (ConnectorTestSuiteOptions.yaml, RegistryOverrides.yaml, AllowedHosts.yaml,
 *   SuggestedStreams.yaml, AirbyteInternal.yaml, ...): `additionalProperties: false` wherever the
 *   models have it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { connectionSpecification } from '../../src/config.js';
import type { AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { SchemaChecker } from '../acceptance/protocol.js';
import { fixtureDir, ROOT, vendorOfConfig } from '../acceptance/fixtures.js';

/** As CAT loads YAML (PyYAML's safe_load: YAML 1.1). */
const loadYaml = (path: string): unknown => parse(readFileSync(join(ROOT, path), 'utf8'), { version: '1.1' });
const readJson = <T>(path: string): T => JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as T;
const readJsonLines = <T>(path: string): T[] =>
  readFileSync(join(ROOT, path), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

// ---------------------------------------------------------------- CAT's config.py, as zod

/** CAT's default config_path (config.py). */
const CAT_DEFAULT_CONFIG_PATH = 'secrets/config.json';
/** config.py SEMVER_REGEX; pydantic v1 matches it from the start of the value. */
const SEMVER = /^(0|(?:[1-9]\d*))(?:\.(0|(?:[1-9]\d*))(?:\.(0|(?:[1-9]\d*)))?(?:-([\w][\w.\-_]*))?)?/;

const str = z.string();
const timeoutSeconds = z.number().int().min(0);
const deploymentMode = z.string().regex(/^(cloud|oss)$/);
const bypassReason = z.string().nullish();

const BackwardCompatibilityTestsConfig = z.strictObject({
  previous_connector_version: z.string().regex(SEMVER).optional(),
  disable_for_version: z.string().regex(SEMVER).nullish(),
});
const OAuthTestConfig = z
  .strictObject({ oauth: z.boolean().optional(), bypass_reason: bypassReason })
  .refine((c) => c.oauth !== false || !!c.bypass_reason, 'Please provide a bypass reason for Auth default method');
const SpecTestConfig = z.strictObject({
  spec_path: str.optional(),
  config_path: str.optional(),
  timeout_seconds: timeoutSeconds.optional(),
  deployment_mode: deploymentMode.nullish(),
  backward_compatibility_tests_config: BackwardCompatibilityTestsConfig.optional(),
  auth_default_method: OAuthTestConfig.nullish(),
});
const ConnectionTestConfig = z.strictObject({
  config_path: str.optional(),
  status: z.enum(['succeed', 'failed', 'exception']).optional(),
  timeout_seconds: timeoutSeconds.optional(),
  deployment_mode: deploymentMode.nullish(),
});
const DiscoveryTestConfig = z.strictObject({
  config_path: str.optional(),
  timeout_seconds: timeoutSeconds.optional(),
  deployment_mode: deploymentMode.nullish(),
  backward_compatibility_tests_config: BackwardCompatibilityTestsConfig.optional(),
  validate_primary_keys_data_type: z.boolean().optional(),
});
const ExpectedRecordsConfig = z
  .strictObject({ bypass_reason: bypassReason, path: str.nullish(), exact_order: z.boolean().optional() })
  .refine((c) => !(c.path && c.bypass_reason), "You can't set a bypass_reason if a path is set")
  .refine((c) => !!c.path || !!c.bypass_reason, 'A path or a bypass_reason must be set');
const EmptyStreamConfiguration = z.strictObject({ name: str, bypass_reason: bypassReason });
const IgnoredFieldsConfiguration = z.strictObject({ name: str, bypass_reason: bypassReason });
const NoPrimaryKeyConfiguration = z.strictObject({ name: str, bypass_reason: bypassReason });
const UnsupportedFileTypeConfig = z.strictObject({
  extension: str.refine((e) => e.startsWith('.') && e.length >= 2, "Please provide a valid file extension (e.g. '.csv')."),
  bypass_reason: bypassReason,
});
const FileTypesConfig = z
  .strictObject({ bypass_reason: bypassReason, unsupported_types: z.array(UnsupportedFileTypeConfig).nullish(), skip_test: z.boolean().nullish() })
  .refine((c) => !(c.skip_test && c.unsupported_types?.length), "You can't set 'unsupported_types' if the test is skipped.")
  .refine((c) => !!c.skip_test || c.bypass_reason == null, "You can't set 'bypass_reason' if the test is not skipped.");
const command = z.array(str).nullish();
const ClientContainerConfig = z.strictObject({
  secrets_path: str.optional(),
  client_container_dockerfile_path: str.optional(),
  setup_command: command,
  teardown_command: command,
  between_syncs_command: command,
  final_teardown_command: command,
});
const BasicReadTestConfig = z.strictObject({
  config_path: str.optional(),
  deployment_mode: deploymentMode.nullish(),
  configured_catalog_path: str.nullish(),
  empty_streams: z.array(EmptyStreamConfiguration).optional(),
  expect_records: ExpectedRecordsConfig.nullish(),
  validate_schema: z.boolean().optional(),
  validate_stream_statuses: z.boolean().nullish(),
  validate_state_messages: z.boolean().optional(),
  validate_primary_keys_data_type: z.boolean().optional(),
  fail_on_extra_columns: z.boolean().optional(),
  validate_data_points: z.boolean().optional(),
  expect_trace_message_on_failure: z.boolean().optional(),
  timeout_seconds: timeoutSeconds.optional(),
  file_types: FileTypesConfig.nullish(),
  client_container_config: ClientContainerConfig.nullish(),
});
const FullRefreshConfig = z.strictObject({
  config_path: str.optional(),
  configured_catalog_path: str.nullish(),
  timeout_seconds: timeoutSeconds.optional(),
  deployment_mode: deploymentMode.nullish(),
  ignored_fields: z.record(str, z.array(IgnoredFieldsConfiguration)).nullish(),
  client_container_config: ClientContainerConfig.nullish(),
});
const FutureStateCursorFormatConfiguration = z.strictObject({
  format: str.nullish(),
  streams: z.array(z.strictObject({ name: str, format: str.nullish() })).optional(),
});
const FutureStateConfig = z.strictObject({
  future_state_path: str.nullish(),
  missing_streams: z.array(EmptyStreamConfiguration).optional(),
  bypass_reason: bypassReason,
  cursor_format: FutureStateCursorFormatConfiguration.nullish(),
});
const IncrementalConfig = z.strictObject({
  config_path: str.optional(),
  configured_catalog_path: str.nullish(),
  future_state: FutureStateConfig.nullish(),
  timeout_seconds: timeoutSeconds.optional(),
  deployment_mode: deploymentMode.nullish(),
  skip_comprehensive_incremental_tests: z.boolean().nullish(),
  client_container_config: ClientContainerConfig.nullish(),
});
const ConnectorAttributesConfig = z.strictObject({
  timeout_seconds: timeoutSeconds.optional(),
  config_path: str.optional(),
  streams_without_primary_key: z.array(NoPrimaryKeyConfiguration).nullish(),
  allowed_hosts: z.strictObject({ bypass_reason: bypassReason }).nullish(),
  suggested_streams: z.strictObject({ bypass_reason: bypassReason }).nullish(),
});
const TestConnectorDocumentationConfig = z.strictObject({ timeout_seconds: timeoutSeconds.optional(), config_path: str.optional() });
/** GenericTestConfig is a GenericModel without `extra = "forbid"`: unknown keys are dropped, not refused. */
const generic = <T extends z.ZodType>(test: T) =>
  z
    .object({ bypass_reason: bypassReason, tests: z.array(test).nullish() })
    .refine((g) => !(g.tests?.length && g.bypass_reason), "You can't set a bypass_reason if tests are set.")
    .nullish();
const CatConfig = z.strictObject({
  connector_image: str,
  acceptance_tests: z.strictObject({
    spec: generic(SpecTestConfig),
    connection: generic(ConnectionTestConfig),
    discovery: generic(DiscoveryTestConfig),
    basic_read: generic(BasicReadTestConfig),
    full_refresh: generic(FullRefreshConfig),
    incremental: generic(IncrementalConfig),
    connector_attributes: generic(ConnectorAttributesConfig),
    connector_documentation: generic(TestConnectorDocumentationConfig),
    client_container_config: ClientContainerConfig.nullish(),
  }),
  base_path: str.nullish(),
  test_strictness_level: z.enum(['high', 'low']).optional(),
  custom_environment_variables: z.record(str, z.unknown()).optional(),
});
type CatConfig = z.infer<typeof CatConfig>;

/** What CAT fails on at high strictness, beyond the model (conftest.py, test_core.py, test_incremental.py). */
function highStrictnessProblems(cat: CatConfig): string[] {
  const problems: string[] = [];
  const tests = cat.acceptance_tests;
  for (const [kind, section] of Object.entries(tests)) {
    if (!section || typeof section !== 'object' || !('tests' in section)) continue;
    for (const [i, test] of (section.tests ?? []).entries()) {
      const where = `${kind}[${i}]`;
      const t = test as { config_path?: string; configured_catalog_path?: string | null; spec_path?: string };
      // connector_config_fixture: every test reads its config_path (default secrets/config.json).
      const configPath = t.config_path ?? CAT_DEFAULT_CONFIG_PATH;
      if (!existsSync(join(ROOT, configPath))) problems.push(`${where}: config_path ${configPath} does not exist`);
      if (t.configured_catalog_path && !existsSync(join(ROOT, t.configured_catalog_path)))
        problems.push(`${where}: ${t.configured_catalog_path} does not exist`);
      if (kind === 'spec' && !existsSync(join(ROOT, t.spec_path ?? 'secrets/spec.json'))) problems.push(`${where}: spec_path does not exist`);
    }
  }
  for (const [i, test] of (tests.basic_read?.tests ?? []).entries()) {
    const where = `basic_read[${i}] (${test.config_path})`;
    if (test.configured_catalog_path) problems.push(`${where}: a custom configured catalog is refused at high strictness (CAT builds it from discover)`);
    if (test.validate_schema === false) problems.push(`${where}: validate_schema must be true`);
    const empty = test.empty_streams ?? [];
    for (const s of empty) if (!s.bypass_reason) problems.push(`${where}: empty stream ${s.name} needs a bypass_reason`);
    if (!test.expect_records) problems.push(`${where}: expect_records must be configured`);
    else if (test.expect_records.path) {
      if (!existsSync(join(ROOT, test.expect_records.path))) {
        problems.push(`${where}: ${test.expect_records.path} does not exist`);
        continue;
      }
      // find_not_seeded_streams: every discovered stream not in empty_streams has expected records.
      const discovered = discoveredStreams(test.config_path ?? CAT_DEFAULT_CONFIG_PATH);
      const seeded = new Set(readJsonLines<{ stream: string }>(test.expect_records.path).map((r) => r.stream));
      const unseeded = discovered.filter((s) => !seeded.has(s) && !empty.some((e) => e.name === s));
      if (unseeded.length) problems.push(`${where}: streams without expected records: ${unseeded.join(', ')}`);
    }
  }
  for (const [i, test] of (tests.full_refresh?.tests ?? []).entries()) {
    for (const [stream, fields] of Object.entries(test.ignored_fields ?? {})) {
      for (const f of fields) if (!f.bypass_reason) problems.push(`full_refresh[${i}]: ignored field ${stream}.${f.name} needs a bypass_reason`);
    }
  }
  for (const [i, test] of (tests.incremental?.tests ?? []).entries()) {
    const where = `incremental[${i}] (${test.config_path})`;
    const future = test.future_state;
    if (future?.bypass_reason != null) continue;
    if (!future?.future_state_path) {
      problems.push(`${where}: a future_state_path (or a bypass_reason) is required`);
      continue;
    }
    for (const s of future.missing_streams ?? []) if (!s.bypass_reason) problems.push(`${where}: missing stream ${s.name} needs a bypass_reason`);
    if (!test.configured_catalog_path) continue;
    const incremental = readJson<ConfiguredAirbyteCatalog>(test.configured_catalog_path)
      .streams.filter((s) => s.stream.supported_sync_modes.includes('incremental'))
      .map((s) => s.stream.name);
    const stated = new Set(readJson<AirbyteStateMessage[]>(future.future_state_path).map((s) => s.stream?.stream_descriptor.name));
    const missing = incremental.filter((s) => !stated.has(s) && !(future.missing_streams ?? []).some((m) => m.name === s));
    if (missing.length) problems.push(`${where}: no future state for ${missing.join(', ')}`);
  }
  return problems;
}

/**
 * The streams `discover` returns for a committed config: the vendor's acceptance catalog lists exactly
 * them (the acceptance suite checks that against a live discover).
 */
function discoveredStreams(configPath: string): string[] {
  return readJson<ConfiguredAirbyteCatalog>(`${fixtureDir(vendorOfConfig(configPath))}/configured_catalog.json`).streams.map((s) => s.stream.name);
}

// ---------------------------------------------------------------- the metadata schema, as zod

const url = z.url();
const AllowedHosts = z.looseObject({ hosts: z.array(str).nullish() });
const SuggestedStreams = z.looseObject({ streams: z.array(str).nullish() });
const ResourceRequirements = z.strictObject({
  cpu_request: str.nullish(),
  cpu_limit: str.nullish(),
  memory_request: str.nullish(),
  memory_limit: str.nullish(),
});
const ActorDefinitionResourceRequirements = z.strictObject({
  default: ResourceRequirements.nullish(),
  jobSpecific: z
    .array(
      z.strictObject({
        jobType: z.enum(['get_spec', 'check_connection', 'discover_schema', 'sync', 'reset_connection', 'connection_updater', 'replicate']),
        resourceRequirements: ResourceRequirements,
      }),
    )
    .nullish(),
});
const NormalizationConfig = z.looseObject({ normalizationRepository: str, normalizationTag: str, normalizationIntegrationType: str });
const RegistryOverrides = z.strictObject({
  enabled: z.boolean(),
  name: str.nullish(),
  dockerRepository: str.nullish(),
  dockerImageTag: str.nullish(),
  supportsDbt: z.boolean().nullish(),
  supportsNormalization: z.boolean().nullish(),
  license: str.nullish(),
  documentationUrl: url.nullish(),
  connectorSubtype: str.nullish(),
  allowedHosts: AllowedHosts.nullish(),
  normalizationConfig: NormalizationConfig.nullish(),
  suggestedStreams: SuggestedStreams.nullish(),
  resourceRequirements: ActorDefinitionResourceRequirements.nullish(),
});
const ConnectorTestSuiteOptions = z.strictObject({
  suite: z.enum(['unitTests', 'integrationTests', 'acceptanceTests', 'liveTests']),
  testSecrets: z
    .array(z.strictObject({ name: str, fileName: str.nullish(), secretStore: z.strictObject({ alias: str.nullish(), type: z.enum(['GSM']).nullish() }) }))
    .nullish(),
  testConnections: z.array(z.strictObject({ name: str, id: str })).nullish(),
});
const isoDate = str.regex(/^\d{4}-\d{2}-\d{2}$/);
const ConnectorMetadataDefinitionV0 = z.strictObject({
  metadataSpecVersion: str,
  data: z.strictObject({
    name: str,
    icon: str.nullish(),
    definitionId: z.uuid(),
    connectorBuildOptions: z.strictObject({ baseImage: str.nullish() }).nullish(),
    connectorTestSuitesOptions: z.array(ConnectorTestSuiteOptions).nullish(),
    connectorType: z.enum(['destination', 'source']),
    dockerRepository: str,
    dockerImageTag: str,
    supportsDbt: z.boolean().nullish(),
    supportsNormalization: z.boolean().nullish(),
    license: str,
    documentationUrl: url,
    externalDocumentationUrls: z.array(z.strictObject({ title: str, url, type: str.nullish(), requiresLogin: z.boolean().nullish() })).nullish(),
    githubIssueLabel: str,
    maxSecondsBetweenMessages: z.number().int().nullish(),
    releaseDate: isoDate.nullish(),
    protocolVersion: str.nullish(),
    erdUrl: str.nullish(),
    connectorSubtype: z.enum(['api', 'database', 'datalake', 'file', 'custom', 'message_queue', 'unknown', 'vectorstore']),
    releaseStage: z.enum(['alpha', 'beta', 'generally_available', 'custom']),
    supportLevel: z.enum(['community', 'certified', 'archived']).nullish(),
    tags: z.array(str).nullish(),
    registryOverrides: z.strictObject({ oss: RegistryOverrides.nullish(), cloud: RegistryOverrides.nullish() }).nullish(),
    allowedHosts: AllowedHosts.nullish(),
    releases: z
      .strictObject({
        rolloutConfiguration: z
          .strictObject({
            enableProgressiveRollout: z.boolean().nullish(),
            initialPercentage: z.number().int().min(0).max(100).nullish(),
            maxPercentage: z.number().int().min(0).max(100).nullish(),
            advanceDelayMinutes: z.number().int().min(10).nullish(),
          })
          .nullish(),
        breakingChanges: z
          .record(
            str,
            z.strictObject({
              upgradeDeadline: isoDate,
              message: str,
              deadlineAction: z.enum(['auto_upgrade', 'disable']).nullish(),
              migrationDocumentationUrl: url.nullish(),
              scopedImpact: z
                .array(z.strictObject({ scopeType: z.literal('stream'), impactedScopes: z.array(str).min(1) }))
                .min(1)
                .nullish(),
            }),
          )
          .nullish(),
        migrationDocumentationUrl: url.nullish(),
      })
      .nullish(),
    normalizationConfig: NormalizationConfig.nullish(),
    suggestedStreams: SuggestedStreams.nullish(),
    resourceRequirements: ActorDefinitionResourceRequirements.nullish(),
    ab_internal: z
      .looseObject({
        sl: z.union([z.literal(0), z.literal(100), z.literal(200), z.literal(300)]).nullish(),
        ql: z.union([0, 100, 200, 300, 400, 500, 600].map((n) => z.literal(n)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>]).nullish(),
        isEnterprise: z.boolean().nullish(),
        requireVersionIncrementsInPullRequests: z.boolean().nullish(),
      })
      .nullish(),
    remoteRegistries: z.strictObject({ pypi: z.strictObject({ enabled: z.boolean(), packageName: str }).nullish() }).nullish(),
    supportsRefreshes: z.boolean().nullish(),
    generated: z.unknown().optional(),
    supportsFileTransfer: z.boolean().nullish(),
    supportsDataActivation: z.boolean().nullish(),
    connectorIPCOptions: z
      .strictObject({
        dataChannel: z.strictObject({
          version: str,
          supportedSerialization: z.array(z.enum(['JSONL', 'PROTOBUF', 'FLATBUFFERS'])),
          supportedTransport: z.array(z.enum(['STDIO', 'SOCKET'])),
        }),
      })
      .nullish(),
  }),
});

const issues = (result: z.ZodSafeParseResult<unknown>) => (result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));

// ---------------------------------------------------------------- the tests

describe('acceptance-test-config.yml loads in CAT', () => {
  const raw = loadYaml('acceptance-test-config.yml');

  it("matches CAT's configuration models (config.py): no key CAT refuses", () => {
    expect(issues(CatConfig.safeParse(raw))).toEqual([]);
  });

  it('passes what CAT enforces at high strictness', () => {
    const cat = CatConfig.parse(raw);
    expect(cat.test_strictness_level).toBe('high');
    expect(highStrictnessProblems(cat)).toEqual([]);
  });

  it('gives the spec tests a config (sandbox credentials only) that the spec accepts', () => {
    const cat = CatConfig.parse(raw);
    const checker = new SchemaChecker();
    const specTests = cat.acceptance_tests.spec?.tests ?? [];
    expect(specTests.length).toBeGreaterThan(0);
    for (const test of specTests) {
      expect(test.config_path, 'CAT would read secrets/config.json').toBeDefined();
      const config = readJson<Record<string, unknown>>(test.config_path!);
      expect(checker.problem(connectionSpecification(), config)).toBeUndefined();
      expect(JSON.stringify(config)).toContain('http://127.0.0.1:8787/');
      expect(JSON.stringify(config)).toMatch(/"sandbox-[a-z0-9-]+"/);
    }
  });

  describe('the models refuse what CAT refuses', () => {
    const read = { config_path: 'integration_tests/sample_config.json' };
    const withRead = (test: Record<string, unknown>) => ({ connector_image: 'x:dev', acceptance_tests: { basic_read: { tests: [{ ...read, ...test }] } } });

    it('expect_records keys that CAT no longer has, or neither a path nor a bypass_reason', () => {
      expect(CatConfig.safeParse(withRead({ expect_records: { path: 'a.jsonl', extra_fields: false } })).success).toBe(false);
      expect(CatConfig.safeParse(withRead({ expect_records: { path: 'a.jsonl', extra_records: true } })).success).toBe(false);
      expect(CatConfig.safeParse(withRead({ expect_records: { exact_order: false } })).success).toBe(false);
      expect(CatConfig.safeParse(withRead({ expect_records: { path: 'a.jsonl', bypass_reason: 'both' } })).success).toBe(false);
      expect(CatConfig.safeParse(withRead({ expect_records: { path: 'a.jsonl', exact_order: false } })).success).toBe(true);
    });

    it('an unknown key in a test, and a custom catalog in basic_read at high strictness', () => {
      expect(CatConfig.safeParse(withRead({ configured_catalog: 'x.json' })).success).toBe(false);
      const cat = CatConfig.parse({
        ...withRead({ configured_catalog_path: 'integration_tests/configured_catalog.json', expect_records: { bypass_reason: 'x' } }),
        test_strictness_level: 'high',
      });
      expect(highStrictnessProblems(cat)).toEqual([
        'basic_read[0] (integration_tests/sample_config.json): a custom configured catalog is refused at high strictness (CAT builds it from discover)',
      ]);
    });

    it('a test without a config_path reads secrets/config.json', () => {
      const cat = CatConfig.parse({ connector_image: 'x:dev', acceptance_tests: { spec: { tests: [{ spec_path: 'spec.json' }] } } });
      expect(highStrictnessProblems(cat)).toEqual(
        existsSync(join(ROOT, CAT_DEFAULT_CONFIG_PATH)) ? [] : ['spec[0]: config_path secrets/config.json does not exist'],
      );
    });
  });
});

describe('metadata.yaml loads in the metadata service', () => {
  const raw = loadYaml('metadata.yaml');

  it('matches ConnectorMetadataDefinitionV0 and its sub-models: no key they do not allow', () => {
    expect(issues(ConnectorMetadataDefinitionV0.safeParse(raw))).toEqual([]);
  });

  it("lists the test suites Airbyte's CI runs: unit, integration and acceptance tests", () => {
    const { data } = ConnectorMetadataDefinitionV0.parse(raw);
    expect((data.connectorTestSuitesOptions ?? []).map((o) => o.suite).sort()).toEqual(['acceptanceTests', 'integrationTests', 'unitTests']);
    expect(existsSync(join(ROOT, 'acceptance-test-config.yml'))).toBe(true);
  });

  it('the model refuses keys the schema does not have', () => {
    const metadata = ConnectorMetadataDefinitionV0.parse(raw);
    expect(ConnectorMetadataDefinitionV0.safeParse({ ...metadata, data: { ...metadata.data, registries: {} } }).success).toBe(false);
    expect(
      ConnectorMetadataDefinitionV0.safeParse({ ...metadata, data: { ...metadata.data, connectorTestSuitesOptions: [{ suite: 'e2eTests' }] } }).success,
    ).toBe(false);
    expect(
      ConnectorMetadataDefinitionV0.safeParse({ ...metadata, data: { ...metadata.data, registryOverrides: { oss: { enabled: true, extra: 1 } } } }).success,
    ).toBe(false);
  });
});
