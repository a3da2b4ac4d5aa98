import { z } from 'zod';
import type { AirbyteCatalog, AirbyteStream, ConfiguredAirbyteStream } from '../protocol/generated.js';
import { ConnectorError } from './errors.js';
import { toAirbyteJsonSchema } from './schema.js';
import type { StreamDefinition } from './stream.js';

export function airbyteStream(stream: StreamDefinition): AirbyteStream {
  return {
    name: stream.name,
    json_schema: toAirbyteJsonSchema(stream.schema),
    supported_sync_modes: stream.incremental ? ['full_refresh', 'incremental'] : ['full_refresh'],
    source_defined_primary_key: stream.primaryKey,
    // A read can resume mid-way only where it checkpoints mid-way: between pages or partitions.
    is_resumable: Boolean((stream.paginate && !stream.paginate.single) || stream.parent || stream.partitions),
    ...(stream.incremental ? { source_defined_cursor: true, default_cursor_field: stream.incremental.cursorField } : {}),
  };
}

export function buildCatalog(streams: StreamDefinition[]): AirbyteCatalog {
  return { streams: streams.map(airbyteStream) };
}

/**
 * What Airbyte and CAT really write: every optional field of ConfiguredAirbyteStream may be null or
 * absent (CAT serialises its models' defaults as null), destination_sync_mode is the destination's
 * business, and keys added by newer protocol versions pass through.
 */
const ConfiguredCatalogSchema = z.looseObject({
  streams: z.array(
    z.looseObject({
      stream: z.looseObject({ name: z.string().min(1), namespace: z.string().nullish() }),
      sync_mode: z.enum(['full_refresh', 'incremental']),
      destination_sync_mode: z.unknown().optional(),
      cursor_field: z.array(z.string()).nullish(),
      primary_key: z.array(z.array(z.string())).nullish(),
      generation_id: z.number().nullish(),
      minimum_generation_id: z.number().nullish(),
      sync_id: z.number().nullish(),
    }),
  ),
});

/** A configured stream the connector can read. */
export interface ConfiguredStream {
  definition: StreamDefinition;
  configured: ConfiguredAirbyteStream;
}

/** A configured stream that fails alone, before any request, while the others are read. */
export interface UnreadableStream {
  name: string;
  problem: ConnectorError;
}

export interface ResolvedCatalog {
  /** In the catalog's order; each entry either reads or fails alone. */
  entries: Array<ConfiguredStream | UnreadableStream>;
}

/**
 * Matches the configured catalog to our streams. A stream we do not offer fails alone, as the Python
 * CDK's AbstractSource.read reports a stream "not found in the source": the rest of the catalog is
 * still read. What contradicts the stream itself (incremental without a cursor, another cursor field,
 * a stream listed twice) means the catalog was not built from our discover: reported all at once.
 */
export function resolveConfiguredCatalog(input: unknown, available: StreamDefinition[]): ResolvedCatalog {
  const parsed = ConfiguredCatalogSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConnectorError(`The configured catalog is invalid: ${z.prettifyError(parsed.error)}`, 'config_error');
  }
  const byName = new Map(available.map((s) => [s.name, s]));
  const problems: string[] = [];
  const entries: ResolvedCatalog['entries'] = [];
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
      entries.push({
        name,
        problem: new ConnectorError(
          `The stream "${name}" in the connection's catalog is not offered by this source with this configuration (it offers: ${[...byName.keys()].join(', ')}). Refresh the source schema in the connection and deselect it.`,
          'config_error',
        ),
      });
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
    entries.push({ definition, configured });
  }
  if (problems.length > 0) {
    throw new ConnectorError(`The configured catalog cannot be read: ${problems.join('; ')}.`, 'config_error');
  }
  return { entries };
}
