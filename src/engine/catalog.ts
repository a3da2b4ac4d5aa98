import { z } from 'zod';
import type { AirbyteCatalog, AirbyteStream, ConfiguredAirbyteCatalog, ConfiguredAirbyteStream } from '../protocol/generated.js';
import { ConnectorError } from './errors.js';
import { toAirbyteJsonSchema } from './schema.js';
import type { StreamDefinition } from './stream.js';

export function airbyteStream(stream: StreamDefinition): AirbyteStream {
  return {
    name: stream.name,
    json_schema: toAirbyteJsonSchema(stream.schema),
    supported_sync_modes: stream.incremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_primary_key: stream.primaryKey,
    is_resumable: Boolean(stream.paginate || stream.parent || stream.partitions),
    ...(stream.incremental
      ? { source_defined_cursor: true, default_cursor_field: stream.incremental.cursorField }
      : {}),
  };
}

export function buildCatalog(streams: StreamDefinition[]): AirbyteCatalog {
  return { streams: streams.map(airbyteStream) };
}

const ConfiguredCatalogSchema = z.object({
  streams: z.array(
    z.looseObject({
      stream: z.looseObject({ name: z.string().min(1) }),
      sync_mode: z.enum(['full_refresh', 'incremental']),
      destination_sync_mode: z.string().optional(),
      cursor_field: z.array(z.string()).optional(),
    }),
  ),
});

/**
 * Matches the configured catalog to our streams. Unknown streams, unsupported sync modes and a
 * cursor other than ours are configuration errors, reported all at once.
 */
export function resolveConfiguredCatalog(
  input: unknown,
  available: StreamDefinition[],
): Array<{ definition: StreamDefinition; configured: ConfiguredAirbyteStream }> {
  const parsed = ConfiguredCatalogSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConnectorError(`The configured catalog is invalid: ${z.prettifyError(parsed.error)}`, 'config_error');
  }
  const byName = new Map(available.map((s) => [s.name, s]));
  const problems: string[] = [];
  const resolved: Array<{ definition: StreamDefinition; configured: ConfiguredAirbyteStream }> = [];
  const seen = new Set<string>();
  for (const configured of parsed.data.streams as unknown as ConfiguredAirbyteStream[]) {
    const name = configured.stream.name;
    const definition = byName.get(name);
    if (seen.has(name)) {
      problems.push(`stream "${name}" is listed twice`);
      continue;
    }
    seen.add(name);
    if (!definition) {
      problems.push(`unknown stream "${name}" (available: ${[...byName.keys()].join(', ')})`);
      continue;
    }
    if (configured.sync_mode === 'incremental' && !definition.incremental) {
      problems.push(`stream "${name}" supports only full_refresh, not incremental`);
      continue;
    }
    const cursor = configured.cursor_field;
    if (configured.sync_mode === 'incremental' && cursor && cursor.length > 0 && cursor.join('.') !== definition.incremental?.cursorField.join('.')) {
      problems.push(`stream "${name}" has a source-defined cursor ${definition.incremental?.cursorField.join('.')}, not ${cursor.join('.')}`);
      continue;
    }
    resolved.push({ definition, configured });
  }
  if (problems.length > 0) {
    throw new ConnectorError(`The configured catalog cannot be read: ${problems.join('; ')}.`, 'config_error');
  }
  return resolved;
}

export type { ConfiguredAirbyteCatalog };
