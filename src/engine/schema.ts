import { z } from 'zod';

export type JsonSchema = Record<string, unknown>;

const SAFE_INT_BOUNDS = new Set([Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]);

/**
 * zod 4's JSON Schema output, rewritten to Airbyte's dialect: nullable as `["T","null"]` instead of
 * anyOf (null joins its enum too), objects open to unknown fields, a union of objects typed `object`
 * itself (the setup form builds each oneOf option with its parent's type), date-times tagged with
 * their Airbyte type, no `$ref`, and no noise (zod's safe-integer bounds, zod's regex patterns behind
 * `format`; a pattern written for the setup form travels with its `pattern_descriptor` and stays).
 */
export function toAirbyteJsonSchema(schema: z.ZodType, options: { keepRequired?: boolean } = {}): JsonSchema {
  const raw = z.toJSONSchema(schema, { target: 'draft-7', io: 'input', reused: 'inline', cycles: 'throw' });
  return normalize(raw as JsonSchema, options.keepRequired ?? false) as JsonSchema;
}

function normalize(node: unknown, keepRequired: boolean): unknown {
  if (Array.isArray(node)) return node.map((n) => normalize(n, keepRequired));
  if (!node || typeof node !== 'object') return node;
  let out: JsonSchema = { ...(node as JsonSchema) };

  const variants = (out.anyOf ?? out.oneOf) as JsonSchema[] | undefined;
  if (variants && variants.length === 2 && variants.some(isNullType)) {
    const { anyOf: _a, oneOf: _o, ...rest } = out;
    const inner = variants.find((v) => !isNullType(v)) as JsonSchema;
    out = { ...rest, ...inner, type: [...typeList(inner.type), 'null'] };
    // `type` and `enum`/`const` are checked independently: the null that `type` now allows must be
    // allowed by them too.
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...(out.enum as unknown[]), null];
    if ('const' in out && out.const !== null) {
      const { const: value, ...others } = out;
      out = { ...others, enum: [value, null] };
    }
  }

  if (typeof out.minimum === 'number' && SAFE_INT_BOUNDS.has(out.minimum)) delete out.minimum;
  if (typeof out.maximum === 'number' && SAFE_INT_BOUNDS.has(out.maximum)) delete out.maximum;
  if ((out.format === 'date-time' || out.format === 'date') && out.pattern_descriptor === undefined) delete out.pattern;
  if (out.format === 'date-time') out.airbyte_type = 'timestamp_with_timezone';
  const union = (out.oneOf ?? out.anyOf) as JsonSchema[] | undefined;
  if (out.type === undefined && union?.length && union.every((v) => typeList(v.type).length === 1 && typeList(v.type)[0] === 'object')) {
    out = { type: 'object', ...out };
  }
  if (typeList(out.type).includes('object')) {
    out.additionalProperties = true;
    if (!keepRequired) delete out.required;
  }

  for (const [key, value] of Object.entries(out)) {
    if (key === 'properties' && value && typeof value === 'object') {
      out.properties = Object.fromEntries(Object.entries(value as JsonSchema).map(([name, sub]) => [name, normalize(sub, keepRequired)]));
    } else if (key === 'items' || key === 'oneOf' || key === 'anyOf') {
      out[key] = normalize(value, keepRequired);
    }
  }
  return out;
}

function isNullType(schema: unknown): boolean {
  return !!schema && typeof schema === 'object' && (schema as JsonSchema).type === 'null';
}

function typeList(type: unknown): string[] {
  if (Array.isArray(type)) return type as string[];
  return typeof type === 'string' ? [type] : [];
}

/** Field builders shared by every vendor's schemas, so each fact about a type is written once. */
export const field = {
  /** ISO-8601 date-time with offset; validated loosely because vendors vary milliseconds and zones. */
  dateTime: () => z.string().refine(isParseableDate, 'not a date-time').meta({ format: 'date-time' }),
  date: () => z.string().refine(isParseableDate, 'not a date').meta({ format: 'date' }),
  int: () => z.number().int(),
  /**
   * An API base URL: http or https only. `z.url()` alone takes any scheme a URL parser knows (ftp:,
   * file:, mailto:), which the connector then retried as a network error instead of naming the field.
   */
  httpUrl: () => z.url({ protocol: /^https?$/, error: 'Invalid URL: expected an http:// or https:// address' }),
};

function isParseableDate(value: string): boolean {
  return !Number.isNaN(Date.parse(value));
}
