/** Test helper: a draft-07 validator that knows Airbyte's annotation keywords, and a schema walker. */
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

export function draft07(): Ajv {
  const ajv = new Ajv({ strict: true, allErrors: true, validateFormats: true });
  (addFormats as unknown as (ajv: Ajv) => void)(ajv);
  // Airbyte's annotations: meaningful to the platform's UI and destinations, not to validation.
  for (const keyword of ['airbyte_secret', 'airbyte_type', 'airbyte_hidden', 'order', 'group', 'always_show', 'pattern_descriptor']) ajv.addKeyword(keyword);
  return ajv;
}

export interface SchemaNode {
  path: string;
  node: Record<string, unknown>;
}

/** Every object inside a JSON value, with its path, the root included. */
export function walk(value: unknown, path = '$'): SchemaNode[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => walk(item, `${path}[${i}]`));
  if (!value || typeof value !== 'object') return [];
  const node = value as Record<string, unknown>;
  return [{ path, node }, ...Object.entries(node).flatMap(([key, child]) => walk(child, `${path}.${key}`))];
}
