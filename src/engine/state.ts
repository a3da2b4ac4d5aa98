import { z } from 'zod';
import { normaliseCursor } from './cursor.js';
import { ConnectorError } from './errors.js';
import type { Position } from './reader.js';
import type { StreamDefinition } from './stream.js';

/**
 * A stream's state blob:
 *   { "<cursor field>": "<ISO date>", "resume": { "at": <Position>, "max": "...", "started": "..." } }
 * The cursor is the committed lower bound; `resume` exists only mid-read and says where to go on,
 * the highest cursor seen so far, and when the interrupted read started (the bound's ceiling).
 */
export interface StreamState {
  cursor?: string;
  resume?: Resume;
}

export interface Resume {
  at: Position;
  max?: string;
  started?: string;
}

const PositionSchema: z.ZodType<Position> = z.lazy(() =>
  z.strictObject({
    page: z.union([z.string(), z.number()]).optional(),
    skip: z.number().int().nonnegative().optional(),
    parent: PositionSchema.optional(),
  }),
);

const ResumeSchema = z.strictObject({
  at: PositionSchema,
  max: z.string().optional(),
  started: z.string().optional(),
});

const StreamStateMessage = z.object({
  type: z.literal('STREAM').optional(),
  stream: z.object({
    stream_descriptor: z.object({ name: z.string().min(1), namespace: z.string().nullish() }),
    stream_state: z.record(z.string(), z.unknown()).nullish(),
  }),
});

export function cursorKey(stream: StreamDefinition): string | undefined {
  return stream.incremental?.cursorField.join('.');
}

/**
 * Parses the state file the platform passes: an array of per-stream states. Anything else (legacy
 * dict, GLOBAL state, garbage) is an error: silently starting over would lose the cursor.
 */
export function parseStateFile(input: unknown): Map<string, Record<string, unknown>> {
  const states = new Map<string, Record<string, unknown>>();
  if (input === null || input === undefined) return states;
  if (!Array.isArray(input)) {
    if (typeof input === 'object' && Object.keys(input).length === 0) return states;
    throw new ConnectorError(
      'The state is not a list of per-stream states. This connector reads the STREAM state format (an array of {"type":"STREAM","stream":{...}}); reset the connection or pass the last STATE messages it emitted.',
      'config_error',
    );
  }
  input.forEach((entry, index) => {
    if (entry && typeof entry === 'object' && (entry as { type?: unknown }).type !== undefined && (entry as { type?: unknown }).type !== 'STREAM') {
      throw new ConnectorError(
        `State entry ${index} is of type ${String((entry as { type?: unknown }).type)}; this connector only reads STREAM states.`,
        'config_error',
      );
    }
    const parsed = StreamStateMessage.safeParse(entry);
    if (!parsed.success) {
      throw new ConnectorError(`State entry ${index} is not a valid stream state: ${z.prettifyError(parsed.error)}`, 'config_error');
    }
    states.set(parsed.data.stream.stream_descriptor.name, parsed.data.stream.stream_state ?? {});
  });
  return states;
}

/** Validates one stream's blob against what the stream can resume from. */
export function parseStreamState(stream: StreamDefinition, blob: Record<string, unknown> | undefined): StreamState {
  if (!blob || Object.keys(blob).length === 0) return {};
  const key = cursorKey(stream);
  const state: StreamState = {};
  for (const [name, value] of Object.entries(blob)) {
    if (name === 'resume') {
      const resume = ResumeSchema.safeParse(value);
      if (!resume.success) {
        throw new ConnectorError(`The state of stream ${stream.name} has an invalid "resume": ${z.prettifyError(resume.error)}`, 'config_error');
      }
      state.resume = resume.data as Resume;
    } else if (name === key) {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
        throw new ConnectorError(
          `The state of stream ${stream.name} has ${key} = ${JSON.stringify(value)}, which is not a date-time.`,
          'config_error',
        );
      }
      state.cursor = normaliseCursor(value);
    } else if (name === '__ab_no_cursor_state_message' || name === '__ab_full_refresh_sync_complete') {
      // Markers the Python CDK writes for full-refresh streams; they carry nothing to resume from.
    } else {
      throw new ConnectorError(
        `The state of stream ${stream.name} has an unknown key "${name}" (expected ${key ? `"${key}" and ` : ''}"resume"). It may come from another connector; reset the stream to start over.`,
        'config_error',
      );
    }
  }
  return state;
}

export function serialiseState(stream: StreamDefinition, state: StreamState): Record<string, unknown> {
  const key = cursorKey(stream);
  return {
    ...(key && state.cursor !== undefined ? { [key]: state.cursor } : {}),
    ...(state.resume ? { resume: state.resume } : {}),
  };
}
