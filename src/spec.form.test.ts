/**
 * The setup form renders in the Airbyte UI: the spec follows the rules the UI's form builder and the
 * connector acceptance tests (CAT) apply to a connection specification. Each rule names where Airbyte
 * states it:
 *
 * - airbytehq/airbyte-platform airbyte-webapp/src/core/form/schemaToFormBlock.ts: each oneOf option is
 *   built as `{ ...option, type: parent.type }` and must come out an object ("oneOfWithNonObjects"),
 *   and the options must share a property with a `const` ("oneOfWithoutConst").
 * - airbytehq/airbyte airbyte-integrations/bases/connector-acceptance-test/connector_acceptance_test/tests/test_core.py:
 *   test_oneof_usage, test_secret_is_properly_marked, test_property_type_is_not_array,
 *   test_object_not_empty, test_array_type, test_forbidden_complex_types,
 *   test_defined_refs_exist_in_json_spec_file, test_duplicate_order, test_date_pattern/test_date_format,
 *   test_additional_properties_is_true, test_enum_usage.
 * - airbytehq/airbyte docs/connector-development/connector-specification-reference.md: oneOf rules,
 *   `order` unique among siblings, `pattern_descriptor` shown instead of a raw regex.
 * - airbytehq/airbyte-platform airbyte-webapp/src/views/Connector/ConnectorForm/components/Property/Control.tsx:
 *   a string with `format: date-time` is a date picker whose value is `YYYY-MM-DDTHH:mm:ssZ` unless
 *   the pattern asks for milliseconds or microseconds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseConfig } from './config.js';
import type { ConnectorSpecification } from './protocol/generated.js';
import { runInProcess } from '../tools/testing/harness.js';

type Json = Record<string, unknown>;

const specJson = JSON.parse(readFileSync(new URL('../spec.json', import.meta.url), 'utf8')) as ConnectorSpecification;

/** CAT's secret_property_names fixture (test_core.py): a property with one of these names must be airbyte_secret. */
const CAT_SECRET_NAMES = new Set([
  'client_token',
  'access_token',
  'api_token',
  'token',
  'secret',
  'client_secret',
  'password',
  'key',
  'service_account_info',
  'service_account',
  'tenant_id',
  'certificate',
  'jwt',
  'credentials',
  'app_id',
  'appid',
  'refresh_token',
]);
/** test_forbidden_complex_types (test_core.py), plus `$ref` (test_defined_refs_exist_in_json_spec_file). */
const FORBIDDEN_KEYWORDS = ['not', 'anyOf', 'patternProperties', 'prefixItems', 'allOf', 'if', 'then', 'else', 'dependentSchemas', 'dependentRequired', '$ref'];
/** The value the UI's date picker writes for a date-time without a millisecond or microsecond pattern. */
const DATE_PICKER_VALUE = '2021-03-04T05:06:07Z';

const isObject = (v: unknown): v is Json => !!v && typeof v === 'object' && !Array.isArray(v);
const typesOf = (schema: Json): unknown[] => [schema.type].flat().filter((t) => t !== undefined);

/** Every rule the form builder and CAT apply, as a list of problems (empty when the spec renders). */
function formProblems(spec: Json): string[] {
  const problems: string[] = [];
  const schema = (path: string, node: Json, name?: string) => {
    for (const keyword of FORBIDDEN_KEYWORDS) if (keyword in node) problems.push(`${path}: "${keyword}" is not allowed in a spec`);
    if ('additionalProperties' in node && node.additionalProperties !== true) problems.push(`${path}: additionalProperties may only be true`);
    if (Array.isArray(node.enum) && new Set(node.enum.map((v) => JSON.stringify(v))).size !== node.enum.length) problems.push(`${path}: enum has duplicates`);

    const types = typesOf(node);
    if (name !== undefined && Array.isArray(node.type) && (types.length > 2 || (types.length === 2 && types[1] !== 'null'))) {
      problems.push(`${path}: type must be one type, or one type and "null"`);
    }
    if (
      name !== undefined &&
      CAT_SECRET_NAMES.has(name.toLowerCase()) &&
      types.some((t) => ['string', 'integer', 'number'].includes(String(t))) &&
      !node.const
    ) {
      if (node.airbyte_secret !== true) problems.push(`${path}: a property named "${name}" must be airbyte_secret`);
    }
    if (node.airbyte_secret === true && !types.some((t) => ['string', 'integer', 'number'].includes(String(t)))) {
      problems.push(`${path}: airbyte_secret on a value that cannot hold a secret`);
    }

    if (Array.isArray(node.oneOf)) oneOf(path, node);
    if (types.includes('object') && !Array.isArray(node.oneOf) && path !== '$' && (!isObject(node.properties) || Object.keys(node.properties).length === 0)) {
      problems.push(`${path}: an object without properties cannot be shown`);
    }
    if (types.includes('array') && node.items !== undefined) {
      const items = node.items;
      if (!isObject(items)) problems.push(`${path}: items must be a single schema`);
      else if (!['object', 'string', 'number', 'integer'].includes(String(items.type)) && !('enum' in items))
        problems.push(`${path}: items must be objects, strings, numbers or an enum`);
      else schema(`${path}.items`, items);
    }
    if (node.format === 'date' || node.format === 'date-time') dateField(path, node);
    if (isObject(node.properties)) {
      const orders = new Map<string, unknown[]>();
      for (const [key, child] of Object.entries(node.properties)) {
        if (!isObject(child)) {
          problems.push(`${path}.properties.${key}: not a schema`);
          continue;
        }
        if ('order' in child) {
          const group = String(child.group ?? '');
          const used = orders.get(group) ?? [];
          if (used.includes(child.order)) problems.push(`${path}.properties.${key}: order ${String(child.order)} is used twice among its siblings`);
          orders.set(group, [...used, child.order]);
        }
        schema(`${path}.properties.${key}`, child, key);
      }
    }
  };

  const oneOf = (path: string, node: Json) => {
    const options = node.oneOf as unknown[];
    // schemaToFormBlock.ts builds each option with the parent's type: without "object" the option is not a group.
    if (node.type !== 'object') problems.push(`${path}: a property holding a oneOf must be type "object" (got ${JSON.stringify(node.type)})`);
    if (options.length === 0) problems.push(`${path}: empty oneOf`);
    const objects = options.filter(isObject);
    if (objects.length !== options.length) problems.push(`${path}: every oneOf option must be a schema`);
    objects.forEach((option, i) => {
      if ('type' in option && option.type !== 'object') problems.push(`${path}.oneOf[${i}]: an option must be an object`);
      if (!isObject(option.properties)) problems.push(`${path}.oneOf[${i}]: an option must have properties`);
      if (typeof option.title !== 'string' || option.title.trim() === '') problems.push(`${path}.oneOf[${i}]: an option needs a title (the UI lists it)`);
      schema(`${path}.oneOf[${i}]`, option);
    });
    const propertiesOf = (o: Json) => (isObject(o.properties) ? o.properties : {}) as Record<string, Json>;
    const shared = objects.length ? Object.keys(propertiesOf(objects[0]!)).filter((key) => objects.every((o) => key in propertiesOf(o))) : [];
    const discriminators = shared.filter((key) => objects.every((o) => propertiesOf(o)[key]!.const !== undefined));
    if (discriminators.length !== 1) {
      problems.push(`${path}: the options must share exactly one property with a const (found ${JSON.stringify(discriminators)})`);
      return;
    }
    const key = discriminators[0]!;
    const values = objects.map((o) => propertiesOf(o)[key]!.const);
    if (new Set(values.map((v) => JSON.stringify(v))).size !== values.length) problems.push(`${path}: ${key} const values must differ between options`);
    objects.forEach((o, i) => {
      const property = propertiesOf(o)[key]!;
      // schemaToFormBlock.ts keeps only truthy consts as selection keys.
      if (!property.const) problems.push(`${path}.oneOf[${i}].${key}: the const must not be empty`);
      if ('default' in property && property.default !== property.const) problems.push(`${path}.oneOf[${i}].${key}: default must equal the const`);
      if ('enum' in property && !(Array.isArray(property.enum) && property.enum.length === 1 && property.enum[0] === property.const)) {
        problems.push(`${path}.oneOf[${i}].${key}: enum must be [const]`);
      }
      if (!(Array.isArray(o.required) && o.required.includes(key))) problems.push(`${path}.oneOf[${i}]: ${key} must be required`);
    });
  };

  const dateField = (path: string, node: Json) => {
    if (!typesOf(node).includes('string')) problems.push(`${path}: a ${String(node.format)} must be a string`);
    if (typeof node.pattern !== 'string') {
      problems.push(`${path}: a ${String(node.format)} needs a pattern the UI can check`);
      return;
    }
    let pattern: RegExp;
    try {
      pattern = new RegExp(node.pattern);
    } catch {
      problems.push(`${path}: pattern is not a JavaScript regular expression`);
      return;
    }
    if (typeof node.pattern_descriptor !== 'string') problems.push(`${path}: a pattern needs a pattern_descriptor, shown instead of the raw regex`);
    const examples = Array.isArray(node.examples) ? node.examples : [];
    if (examples.length === 0) problems.push(`${path}: needs an examples entry`);
    for (const example of examples)
      if (typeof example !== 'string' || !pattern.test(example)) problems.push(`${path}: example ${JSON.stringify(example)} does not match the pattern`);
    if (node.format === 'date-time' && !pattern.test(DATE_PICKER_VALUE))
      problems.push(`${path}: the date picker's value ${DATE_PICKER_VALUE} does not match the pattern`);
  };

  if (spec.type !== 'object') problems.push('$: the connection specification must be an object');
  schema('$', spec);
  return problems;
}

const connection = (spec: ConnectorSpecification) => spec.connectionSpecification as Json;

describe('spec: the setup form renders in the Airbyte UI', () => {
  it('spec.json breaks none of the form builder and CAT rules', () => {
    expect(formProblems(connection(specJson))).toEqual([]);
  });

  it('the printed spec breaks none of them either', async () => {
    const result = await runInProcess(['spec']);
    expect(formProblems(connection(result.messages[0]!.spec!))).toEqual([]);
  });

  it('start_date is a date-time with a pattern, a descriptor and an example, and the pattern accepts exactly what the config accepts', () => {
    const startDate = (connection(specJson).properties as Record<string, Json>).start_date!;
    expect(startDate).toMatchObject({ type: 'string', format: 'date-time' });
    const pattern = new RegExp(String(startDate.pattern));
    const accepts = (value: string) => {
      try {
        parseConfig({ platform: { vendor: 'leapsome', api_key: 'k' }, start_date: value });
        return true;
      } catch {
        return false;
      }
    };
    const samples = [
      DATE_PICKER_VALUE,
      '2020-01-01T00:00:00Z',
      '2020-01-01T00:00:00.123Z',
      '2020-01-01T00:00:00.123456Z',
      '2020-01-01T00:00:00+02:00',
      '2020-01-01T00:00:00-05:30',
      '2020-01-01',
      '2020-01-01T00:00:00',
      '2020-01-01T00:00Z',
      '2020-01-01 00:00:00Z',
      '2020-01-01T00:00:00+0200',
      '',
      ...(startDate.examples as string[]),
    ];
    expect(samples.map((s) => [s, pattern.test(s)])).toEqual(samples.map((s) => [s, accepts(s)]));
  });

  describe('the rules themselves catch what they are meant to', () => {
    const base = (platform: Json, extra: Json = {}): Json => ({ type: 'object', properties: { platform, ...extra } });
    const option = (vendor: string, more: Json = {}): Json => ({
      type: 'object',
      title: vendor,
      required: ['vendor'],
      properties: { vendor: { type: 'string', const: vendor }, ...more },
    });

    it('a oneOf whose property is not type object', () => {
      expect(formProblems(base({ oneOf: [option('a'), option('b')] }))).toEqual([
        '$.properties.platform: a property holding a oneOf must be type "object" (got undefined)',
      ]);
    });

    it('options without a title, without a shared const, or with a default or enum that is not the const', () => {
      const untitled = { ...option('a'), title: undefined };
      expect(formProblems(base({ type: 'object', oneOf: [untitled, option('b')] }))).toEqual([
        '$.properties.platform.oneOf[0]: an option needs a title (the UI lists it)',
      ]);
      const noConst = { ...option('b'), properties: { vendor: { type: 'string' } } };
      expect(formProblems(base({ type: 'object', oneOf: [option('a'), noConst] }))[0]).toMatch(/share exactly one property with a const/);
      const withDefault = option('a');
      (withDefault.properties as Record<string, Json>).vendor!.default = 'b';
      expect(formProblems(base({ type: 'object', oneOf: [withDefault, option('b')] }))).toEqual([
        '$.properties.platform.oneOf[0].vendor: default must equal the const',
      ]);
      const withEnum = option('a');
      (withEnum.properties as Record<string, Json>).vendor!.enum = ['a', 'b'];
      expect(formProblems(base({ type: 'object', oneOf: [withEnum, option('b')] }))).toEqual(['$.properties.platform.oneOf[0].vendor: enum must be [const]']);
      const fine = option('a');
      Object.assign((fine.properties as Record<string, Json>).vendor!, { default: 'a', enum: ['a'] });
      expect(formProblems(base({ type: 'object', oneOf: [fine, option('b')] }))).toEqual([]);
    });

    it('unmarked secrets, duplicate orders, $ref and two-type fields', () => {
      const spec = base(
        {
          type: 'object',
          oneOf: [option('a', { password: { type: 'string', order: 1 }, token: { type: 'string', airbyte_secret: true, order: 1 } }), option('b')],
        },
        { ref: { $ref: '#/definitions/x' }, both: { type: ['string', 'integer'] } },
      );
      expect(formProblems(spec)).toEqual([
        '$.properties.platform.oneOf[0].properties.password: a property named "password" must be airbyte_secret',
        '$.properties.platform.oneOf[0].properties.token: order 1 is used twice among its siblings',
        '$.properties.ref: "$ref" is not allowed in a spec',
        '$.properties.both: type must be one type, or one type and "null"',
      ]);
    });

    it('a date-time the UI cannot check', () => {
      expect(formProblems(base({ type: 'string', format: 'date-time' }))).toEqual(['$.properties.platform: a date-time needs a pattern the UI can check']);
      const seconds = '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$';
      expect(
        formProblems(base({ type: 'string', format: 'date-time', pattern: seconds, pattern_descriptor: 'x', examples: ['2020-01-01T00:00:00Z'] })),
      ).toEqual([
        '$.properties.platform: example "2020-01-01T00:00:00Z" does not match the pattern',
        `$.properties.platform: the date picker's value ${DATE_PICKER_VALUE} does not match the pattern`,
      ]);
    });
  });
});
