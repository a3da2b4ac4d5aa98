/**
 * Validation against the official Airbyte protocol schema (src/protocol/airbyte-protocol.schema.json,
 * generated from airbyte_protocol.yaml with the types, and committed) and against the JSON schemas a
 * connector declares, with ajv as strict as Airbyte's checks: integers are integers, date-times carry
 * a zone, nothing is coerced.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import formatsPlugin from 'ajv-formats';

export const PROTOCOL_SCHEMA = resolve(import.meta.dirname, '../../src/protocol/airbyte-protocol.schema.json');

/** The official protocol schema, as committed. */
export function protocolSchema(): { $id: string; definitions: Record<string, unknown> } {
  return JSON.parse(readFileSync(PROTOCOL_SCHEMA, 'utf8')) as { $id: string; definitions: Record<string, unknown> };
}

// ajv-formats is CommonJS with a default export; under NodeNext its type is the module namespace.
const addFormats = formatsPlugin as unknown as (ajv: Ajv) => Ajv;

function newAjv(): Ajv {
  // strict: false ignores Airbyte's own keywords (airbyte_secret, airbyte_type, order, existingJavaType).
  const ajv = new Ajv({ strict: false, allErrors: true, coerceTypes: false, validateFormats: true });
  addFormats(ajv);
  return ajv;
}

const protocolAjv = newAjv();
const protocol = protocolSchema();
protocolAjv.addSchema(protocol);

const definitions = new Map<string, ValidateFunction>();
export function protocolValidator(definition: string): ValidateFunction {
  let validate = definitions.get(definition);
  if (!validate) {
    if (!(definition in protocol.definitions)) throw new Error(`no definition ${definition} in the protocol schema`);
    validate = protocolAjv.compile({ $ref: `${protocol.$id}#/definitions/${definition}` });
    definitions.set(definition, validate);
  }
  return validate;
}

/** The payload field each message type must carry. */
const PAYLOAD: Record<string, string> = {
  RECORD: 'record',
  STATE: 'state',
  LOG: 'log',
  SPEC: 'spec',
  CONNECTION_STATUS: 'connectionStatus',
  CATALOG: 'catalog',
  TRACE: 'trace',
  CONTROL: 'control',
};

/** Problems of one stdout line as an AirbyteMessage; empty when it is one. */
export function messageProblems(line: string): string[] {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return [`not JSON: ${line.slice(0, 200)}`];
  }
  const validate = protocolValidator('AirbyteMessage');
  if (!validate(message)) return [`not an AirbyteMessage (${protocolAjv.errorsText(validate.errors)}): ${line.slice(0, 200)}`];
  const type = (message as { type: string }).type;
  const payload = PAYLOAD[type];
  if (payload && (message as Record<string, unknown>)[payload] === undefined) return [`${type} message without "${payload}": ${line.slice(0, 200)}`];
  return [];
}

export function validateAgainst(definition: string, value: unknown): string | undefined {
  const validate = protocolValidator(definition);
  return validate(value) ? undefined : protocolAjv.errorsText(validate.errors);
}

/** Compiles the JSON schemas a connector declares (spec, stream schemas), draft-07. */
export class SchemaChecker {
  private readonly ajv = newAjv();
  private readonly compiled = new Map<object, ValidateFunction>();

  /** Why the schema is not a valid draft-07 schema, or undefined. */
  schemaProblem(schema: object): string | undefined {
    return this.ajv.validateSchema(schema) ? undefined : this.ajv.errorsText(this.ajv.errors);
  }

  /** Why the value does not match the schema, or undefined. */
  problem(schema: object, value: unknown): string | undefined {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate(value) ? undefined : this.ajv.errorsText(validate.errors);
  }
}
