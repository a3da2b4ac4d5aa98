/**
 * A field that may be null accepts null in every keyword that constrains its value: where a stream's
 * JSON schema says `type: [..., "null"]` next to an `enum`, the enum lists null too (JSON Schema
 * checks `type` and `enum` independently, so an enum without null refuses the null that `type`
 * allows), and a nullable field has no `const`, which could never be null.
 *
 * Airbyte validates records against these schemas: airbytehq/airbyte
 * airbyte-integrations/bases/connector-acceptance-test/connector_acceptance_test/utils/asserts.py
 * (verify_records_schema, used by test_core.py TestBasicRead._validate_schema) runs a draft-07
 * validator over every record, so a null `goals.type` would fail the stream.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toAirbyteJsonSchema } from './engine/schema.js';
import type { AirbyteStream, ConfiguredAirbyteCatalog } from './protocol/generated.js';
import { vendors } from './streams/index.js';
import { inProcess } from '../tools/testing/harness.js';
import { draft07, walk } from '../tools/testing/json-schema.js';

const root = new URL('../', import.meta.url);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(new URL(path, root), 'utf8')) as T;
/** Where a vendor's committed acceptance inputs are (Leapsome's at the top of integration_tests/). */
const fixtureDir = (vendor: string) => (vendor === 'leapsome' ? 'integration_tests' : `integration_tests/${vendor}`);

/** Nodes of a stream schema where null is allowed by `type` but refused by `enum` or `const`. */
function nullRefusals(stream: Pick<AirbyteStream, 'name' | 'json_schema'>): string[] {
  return walk(stream.json_schema, stream.name).flatMap(({ path, node }) => {
    const types = [node.type].flat();
    if (!types.includes('null')) return [];
    const problems: string[] = [];
    if (Array.isArray(node.enum) && !node.enum.includes(null)) problems.push(`${path}: nullable, but its enum ${JSON.stringify(node.enum)} has no null`);
    if ('const' in node && node.const !== null) problems.push(`${path}: nullable, but its const ${JSON.stringify(node.const)} is not null`);
    return problems;
  });
}

const discover = async (config: unknown) => (await inProcess().discover(config)).catalog();

describe('nullable enums: every stream of every vendor accepts the null its schema allows', () => {
  for (const vendor of vendors) {
    it(`${vendor.id}: the discovered catalog (every optional stream enabled)`, async () => {
      const config = `${fixtureDir(vendor.id)}/sample_config.json`;
      expect(existsSync(new URL(config, root)), `${config} enables every stream of ${vendor.id}`).toBe(true);
      const catalog = await discover(readJson(config));
      expect(catalog.streams.length).toBeGreaterThan(0);
      expect(catalog.streams.flatMap(nullRefusals)).toEqual([]);
    });

    it(`${vendor.id}: the committed catalogs (catalogs/${vendor.id}.json and the acceptance catalog)`, () => {
      const paths = [`catalogs/${vendor.id}.json`, `${fixtureDir(vendor.id)}/configured_catalog.json`].filter((p) => existsSync(new URL(p, root)));
      expect(paths).toContain(`catalogs/${vendor.id}.json`);
      for (const path of paths) {
        expect(
          readJson<ConfiguredAirbyteCatalog>(path).streams.flatMap((s) => nullRefusals(s.stream)),
          path,
        ).toEqual([]);
      }
    });
  }

  it('Leapsome goals.type: a goal without a type is a valid record', async () => {
    const catalog = await discover(readJson(`${fixtureDir('leapsome')}/sample_config.json`));
    const goals = catalog.streams.find((s) => s.name === 'goals')!;
    const validate = draft07().compile(goals.json_schema);
    expect(validate({ id: 'g1', type: null }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ id: 'g1', type: 'team' })).toBe(true);
    expect(validate({ id: 'g1', type: 'department' })).toBe(false);
  });

  it('the schema generator adds null to the enum of a nullable enum and turns a nullable literal into an enum', () => {
    const schema = toAirbyteJsonSchema(
      z.object({ kind: z.enum(['a', 'b']).nullish(), fixed: z.literal('k').nullable(), plain: z.enum(['a', 'b']), sure: z.literal('k') }),
    );
    const properties = schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.kind).toMatchObject({ type: ['string', 'null'], enum: ['a', 'b', null] });
    expect(properties.fixed).toMatchObject({ type: ['string', 'null'], enum: ['k', null] });
    expect(properties.fixed).not.toHaveProperty('const');
    expect(properties.plain).toMatchObject({ type: 'string', enum: ['a', 'b'] });
    expect(properties.sure).toMatchObject({ type: 'string', const: 'k' });
    const validate = draft07().compile(schema);
    expect(validate({ kind: null, fixed: null, plain: 'a', sure: 'k' }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ kind: 'c' })).toBe(false);
    expect(validate({ fixed: 'j' })).toBe(false);
    expect(nullRefusals({ name: 't', json_schema: schema })).toEqual([]);
  });
});
