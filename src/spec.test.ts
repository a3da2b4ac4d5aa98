import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../tools/sandbox/index.js';
import { runInProcess } from '../tools/testing/harness.js';
import { draft07, walk } from '../tools/testing/json-schema.js';
import { leapsomeConfig, TEST_SANDBOX } from '../tools/testing/sandbox.js';
import type { ConnectorSpecification } from './protocol/generated.js';

const specJson = JSON.parse(readFileSync(new URL('../spec.json', import.meta.url), 'utf8')) as ConnectorSpecification;

async function printedSpec(): Promise<ConnectorSpecification> {
  const result = await runInProcess(['spec']);
  expect(result.code).toBe(0);
  expect(result.messages.map((m) => m.type)).toEqual(['SPEC']);
  return result.messages[0]?.spec as ConnectorSpecification;
}

const connection = (spec: ConnectorSpecification) => spec.connectionSpecification as Record<string, unknown>;
const variantsOf = (spec: ConnectorSpecification) =>
  ((connection(spec).properties as Record<string, { oneOf?: Array<Record<string, unknown>> }>).platform?.oneOf ?? []) as Array<{
    properties: Record<string, Record<string, unknown>>;
    required?: string[];
    title?: string;
  }>;

describe('spec', () => {
  it('prints exactly spec.json (regenerate it with `npm run generate:spec`)', async () => {
    expect(await printedSpec()).toEqual(specJson);
  });

  it('accepts unknown flags such as --debug', async () => {
    const result = await runInProcess(['spec', '--debug', '--log-level=trace']);
    expect(result.code).toBe(0);
    expect(result.messages[0]?.type).toBe('SPEC');
  });

  it('is a valid draft-07 schema', async () => {
    const schema = connection(await printedSpec());
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    const ajv = draft07();
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('has no $ref, allOf, anyOf or not anywhere', async () => {
    const offending = walk(connection(await printedSpec())).filter(({ node }) =>
      ['$ref', 'allOf', 'anyOf', 'not', 'definitions', '$defs'].some((k) => k in node),
    );
    expect(offending.map((o) => o.path)).toEqual([]);
  });

  it('sets additionalProperties only ever to true', async () => {
    const nodes = walk(connection(await printedSpec())).filter(({ node }) => 'additionalProperties' in node);
    expect(nodes.length).toBeGreaterThan(0);
    expect(nodes.filter(({ node }) => node.additionalProperties !== true).map((o) => o.path)).toEqual([]);
  });

  it('makes platform a oneOf with exactly one shared const discriminator, vendor', async () => {
    const spec = await printedSpec();
    const variants = variantsOf(spec);
    expect(variants.length).toBeGreaterThanOrEqual(1);
    const constsOf = (v: (typeof variants)[number]) =>
      Object.entries(v.properties)
        .filter(([, p]) => 'const' in p)
        .map(([name]) => name);
    for (const variant of variants) {
      expect(constsOf(variant), variant.title).toEqual(['vendor']);
      expect(variant.required, variant.title).toContain('vendor');
      expect(typeof variant.properties.vendor?.const).toBe('string');
    }
    const vendors = variants.map((v) => v.properties.vendor?.const);
    expect(new Set(vendors).size).toBe(vendors.length);
    expect(vendors).toContain('leapsome');
    // The platform's only "oneOf" is the vendor choice.
    expect(
      walk(connection(spec))
        .filter(({ node }) => 'oneOf' in node)
        .map((o) => o.path),
    ).toEqual(['$.properties.platform']);
  });

  it('marks every credential airbyte_secret', async () => {
    const spec = await printedSpec();
    const leapsome = variantsOf(spec).find((v) => v.properties.vendor?.const === 'leapsome');
    expect(leapsome?.properties.api_key?.airbyte_secret).toBe(true);
    expect(leapsome?.properties.scim_token?.airbyte_secret).toBe(true);
    expect(leapsome?.required).toEqual(['vendor', 'api_key']);
    for (const variant of variantsOf(spec)) {
      for (const [name, property] of Object.entries(variant.properties)) {
        if (/(^|_)(key|token|secret|password)$/.test(name)) expect(property.airbyte_secret, `${variant.title}.${name}`).toBe(true);
      }
    }
    // Nothing else is hidden from the UI by mistake.
    const secrets = walk(connection(spec)).filter(({ node }) => node.airbyte_secret === true);
    for (const { path } of secrets) expect(path).toMatch(/(key|token|secret|password)$/);
  });

  it('validates a working config and rejects a broken one', async () => {
    const validate = draft07().compile(connection(await printedSpec()));
    // The config the unit tests read the sandbox with.
    const sb = await startSandbox(TEST_SANDBOX);
    await sb.close();
    expect(validate(leapsomeConfig(sb)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ platform: { vendor: 'leapsome', api_key: 'k', base_url: 'https://api.leapsome.com/v1' }, start_date: '2020-01-01T00:00:00Z' })).toBe(
      true,
    );
    expect(validate({ platform: { vendor: 'leapsome' } })).toBe(false);
    expect(validate({ platform: { vendor: 'leapsome', api_key: 'k' }, start_date: '2020-01-01' })).toBe(false);
  });
});
