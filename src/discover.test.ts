import { beforeAll, describe, expect, it } from 'vitest';
import { configuredCatalog } from '../tools/testing/harness.js';
import { draft07, walk } from '../tools/testing/json-schema.js';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';
import type { AirbyteCatalog, AirbyteStream } from './protocol/generated.js';

const env = useSandbox();
const discover = async (config: unknown) => (await env.connector.discover(config)).catalog();
let catalog: AirbyteCatalog;

beforeAll(async () => {
  catalog = await discover(leapsomeConfig(env.sb));
});

/** The schema of a (possibly nested) property path, e.g. ['meta', 'lastModified']. */
function propertyAt(schema: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  let node: Record<string, unknown> | undefined = schema;
  for (const key of path) node = (node?.properties as Record<string, Record<string, unknown>> | undefined)?.[key];
  return node;
}

const typesOf = (node: Record<string, unknown> | undefined) => [node?.type].flat();

describe('discover: the Leapsome catalog', () => {
  it('lists every documented stream once, SCIM streams only with a SCIM token', async () => {
    const names = catalog.streams.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(
      [
        'goals',
        'goal_tags',
        'goal_comments',
        'review_cycles',
        'review_cycle_details',
        'review_participants',
        'review_participant_results',
        'employees',
        'timesheets',
        'payroll_cycles',
        'payroll_cycle_participants',
        'work_locations',
        'absences',
        'feedback',
        'document_categories',
        'access_roles',
        'scim_users',
        'scim_groups',
      ].sort(),
    );
    const withoutScim = await discover(leapsomeConfig(env.sb, { platform: { scim_token: undefined, scim_base_url: undefined } }));
    expect(withoutScim.streams.map((s) => s.name)).not.toContain('scim_users');
    expect(withoutScim.streams.map((s) => s.name)).not.toContain('scim_groups');
    expect(withoutScim.streams).toHaveLength(16);
  });

  it('gives every stream a valid draft-07 JSON schema without $ref', () => {
    const ajv = draft07();
    for (const stream of catalog.streams) {
      expect(ajv.validateSchema(stream.json_schema), `${stream.name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
      expect(() => ajv.compile(stream.json_schema), stream.name).not.toThrow();
      expect(
        walk(stream.json_schema)
          .filter(({ node }) => '$ref' in node)
          .map((n) => n.path),
        stream.name,
      ).toEqual([]);
      expect((stream.json_schema as Record<string, unknown>).type, stream.name).toBe('object');
    }
  });

  it('declares primary keys and cursor fields that exist in the schema', () => {
    for (const stream of catalog.streams) {
      expect(stream.source_defined_primary_key?.length, stream.name).toBeGreaterThan(0);
      for (const key of stream.source_defined_primary_key ?? []) {
        expect(propertyAt(stream.json_schema, key), `${stream.name} primary key ${key.join('.')}`).toBeDefined();
      }
      if (stream.supported_sync_modes.includes('incremental')) {
        expect(stream.source_defined_cursor, stream.name).toBe(true);
        const cursor = propertyAt(stream.json_schema, stream.default_cursor_field ?? []);
        expect(cursor, `${stream.name} cursor ${String(stream.default_cursor_field)}`).toBeDefined();
        expect(cursor?.format, `${stream.name} cursor is a date-time`).toBe('date-time');
      } else {
        expect(stream.default_cursor_field, stream.name).toBeUndefined();
      }
    }
  });

  it('offers incremental exactly where the stream table says', () => {
    const incremental = catalog.streams.filter((s) => s.supported_sync_modes.includes('incremental')).map((s) => [s.name, s.default_cursor_field?.join('.')]);
    expect(Object.fromEntries(incremental)).toEqual({
      goals: 'updatedAt',
      goal_comments: 'updatedAt',
      review_cycles: 'lastModifiedOn',
      review_cycle_details: 'lastModifiedOn',
      review_participants: 'lastModifiedOn',
      review_participant_results: 'lastModifiedOn',
      payroll_cycles: 'updatedAt',
      work_locations: 'updatedAt',
      absences: 'updatedAt',
      scim_users: 'meta.lastModified',
    });
  });

  it('types integers as integer, timestamps as date-time strings, optional fields as nullable', () => {
    const goals = catalog.streams.find((s) => s.name === 'goals') as AirbyteStream;
    expect(typesOf(propertyAt(goals.json_schema, ['progress']))).toContain('integer');
    expect(propertyAt(goals.json_schema, ['updatedAt'])).toMatchObject({ format: 'date-time', airbyte_type: 'timestamp_with_timezone' });
    expect(typesOf(propertyAt(goals.json_schema, ['updatedAt']))).toEqual(['string', 'null']);
    expect(typesOf(propertyAt(goals.json_schema, ['id']))).toEqual(['string']);
    // Open to fields the vendor adds later.
    expect((goals.json_schema as Record<string, unknown>).additionalProperties).toBe(true);
  });

  it('every record a read emits validates against its stream schema', async () => {
    const result = await env.connector.read(leapsomeConfig(env.sb), configuredCatalog(catalog));
    expect(result.code).toBe(0);
    const ajv = draft07();
    for (const stream of catalog.streams) {
      const validate = ajv.compile(stream.json_schema);
      const records = result.records(stream.name);
      expect(records.length, stream.name).toBeGreaterThan(0);
      for (const record of records) expect(validate(record), `${stream.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
  });
});
