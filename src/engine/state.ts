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
    done: z.array(z.record(z.string(), z.string())).optional(),
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
    stream_state: z.unknown().optional(),
  }),
});

const NamedEntry = z.object({ stream: z.object({ stream_descriptor: z.object({ name: z.string().min(1) }) }) });

/** What to do about a saved state that cannot be read, in the platform's words. */
const START_OVER = 'Clear the stream\'s data in the connection (Airbyte\'s "Clear data") so that its next sync starts over.';

export function cursorKey(stream: StreamDefinition): string | undefined {
  return stream.incremental?.cursorField.join('.');
}

/**
 * Parses the state file the platform passes: an array of per-stream states, each stream's blob kept
 * raw until that stream is read, so that one unreadable blob fails its stream alone. An absent, empty,
 * null, {} or [] state is no state. Anything else (a legacy dict, GLOBAL state, garbage) stops the
 * read: silently starting over would lose every cursor.
 */
export function parseStateFile(input: unknown): Map<string, unknown> {
  const states = new Map<string, unknown>();
  if (input === null || input === undefined) return states;
  if (!Array.isArray(input)) {
    if (typeof input === 'object' && Object.keys(input).length === 0) return states;
    throw new ConnectorError(
      'The state is not a list of per-stream states. This connector reads the STREAM state format (an array of {"type":"STREAM","stream":{...}}); clear the connection\'s data or pass the last STATE messages it emitted.',
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
    if (parsed.success) {
      states.set(parsed.data.stream.stream_descriptor.name, parsed.data.stream.stream_state);
      return;
    }
    // An entry that still names its stream fails that stream alone, when (and if) it is read.
    const named = NamedEntry.safeParse(entry);
    if (named.success) {
      states.set(named.data.stream.stream_descriptor.name, new UnreadableState(z.prettifyError(parsed.error)));
      return;
    }
    throw new ConnectorError(`State entry ${index} is not a valid stream state: ${z.prettifyError(parsed.error)}`, 'config_error');
  });
  return states;
}

/** A state entry that names its stream but has no readable shape. */
class UnreadableState {
  constructor(readonly reason: string) {}
}

/** Validates one stream's saved blob against what the stream can resume from. */
export function parseStreamState(stream: StreamDefinition, blob: unknown): StreamState {
  const unreadable = (what: string) => new ConnectorError(`The saved state of stream ${stream.name} cannot be read: ${what}. ${START_OVER}`, 'config_error');
  if (blob instanceof UnreadableState) throw unreadable(blob.reason);
  if (blob === null || blob === undefined) return {};
  if (typeof blob !== 'object' || Array.isArray(blob)) throw unreadable(`it is ${JSON.stringify(blob)}, not an object`);
  const key = cursorKey(stream);
  const state: StreamState = {};
  for (const [name, value] of Object.entries(blob)) {
    if (name === 'resume') {
      const resume = ResumeSchema.safeParse(value);
      if (!resume.success) throw unreadable(`its "resume" is invalid (${z.prettifyError(resume.error)})`);
      state.resume = resume.data as Resume;
    } else if (name === key) {
      if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) throw unreadable(`${key} = ${JSON.stringify(value)} is not a date-time`);
      state.cursor = normaliseCursor(value);
    } else if (name === '__ab_no_cursor_state_message' || name === '__ab_full_refresh_sync_complete') {
      // Markers the Python CDK writes for full-refresh streams; they carry nothing to resume from.
    } else {
      throw unreadable(`it has an unknown key "${name}" (expected ${key ? `"${key}" and ` : ''}"resume"), so it may come from another connector`);
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
