import { messages } from '../protocol/messages.js';
import type { Output } from '../protocol/output.js';
import { cursorOf, maxCursor, minCursor, normaliseCursor } from './cursor.js';
import type { ConfiguredStream, ResolvedCatalog, UnreadableStream } from './catalog.js';
import { ConnectorError, describe, failureTypeOf, HttpError, Interrupted, interruptedBy } from './errors.js';
import { Heartbeat } from './heartbeat.js';
import { RequestPlan } from './plan.js';
import type { WaitListener, WaitReason } from './http/client.js';
import type { Logger } from './logger.js';
import type { SlicedJson } from './formats/json-page.js';
import { readStream, type ReaderContext } from './reader.js';
import { parseStreamState, serialiseState, type StreamState } from './state.js';
import { fieldOf, type StreamDefinition } from './stream.js';

export interface SyncOptions {
  reader: ReaderContext;
  output: Output;
  logger: Logger;
  /** Lower bound of every cursor stream when no state says otherwise. */
  startDate?: string;
  /** Vendor name for messages ("Leapsome"). */
  vendor: string;
  now?: () => Date;
  /** Aborted on SIGTERM or SIGINT: the read stops at once, between two messages. */
  signal?: AbortSignal;
  /** Subscribes to the waits of the vendor's API clients; returns the way to stop. */
  waits?: (listener: WaitListener) => () => void;
  /** Requests per hour the vendor's API allows, for the plan of requests logged as the totals become known. */
  requestsPerHour?: number;
  /**
   * Longest silence a stream may keep while it waits (a Retry-After, a report job, an hourly quota)
   * before its latest STATE is sent again: the platform counts only RECORD and STATE messages as signs
   * of life. Default HEARTBEAT_MS.
   */
  heartbeatMs?: number;
  /**
   * The heartbeat interval and the shortest wait shown as RATE_LIMITED (RATE_LIMITED_REPORT_MS) this
   * many times as long; default 1. Tests set it with a local server whose quota windows are shortened alike.
   */
  timeScale?: number;
}

/** Well inside metadata.yaml's maxSecondsBetweenMessages, which a test keeps several times larger. */
export const HEARTBEAT_MS = 5 * 60_000;

/** A wait for the API's quota at least this long is shown as a RATE_LIMITED status and logged. */
export const RATE_LIMITED_REPORT_MS = 10_000;

/**
 * Reads every configured stream in turn, in the catalog's order. A stream that fails (or cannot be
 * read at all: not offered, an unreadable saved state) gets an error trace and INCOMPLETE; the others
 * still run. Returns the names of the streams that failed.
 */
export async function sync(options: SyncOptions, streams: ResolvedCatalog['entries'], states: Map<string, unknown>): Promise<string[]> {
  const failed: string[] = [];
  const selected = streams.flatMap((entry) => ('problem' in entry ? [] : [entry.definition]));
  const plan = new RequestPlan(selected, options.requestsPerHour, (line) => options.logger.info(line));
  for (const [index, entry] of streams.entries()) {
    const name = 'problem' in entry ? entry.name : entry.definition.name;
    if (options.signal?.aborted) {
      const rest = streams.slice(index).map((e) => ('problem' in e ? e.name : e.definition.name));
      options.logger.warn(`Not started, because the sync was stopped: ${rest.join(', ')}. The next sync reads them from their saved states.`);
      failed.push(...rest);
      break;
    }
    const ok =
      'problem' in entry
        ? await failUnreadable(options, entry)
        : await syncStream(options, entry.definition, entry.configured.sync_mode, states.get(name), plan);
    if (!ok) failed.push(name);
  }
  return failed;
}

async function failUnreadable(options: SyncOptions, entry: UnreadableStream): Promise<false> {
  await options.output.write(messages.error({ message: entry.problem.message, failureType: entry.problem.failureType, stream: entry.name }));
  await options.output.write(messages.streamStatus(entry.name, 'INCOMPLETE'));
  return false;
}

export type { ConfiguredStream };

async function syncStream(
  options: SyncOptions,
  stream: StreamDefinition,
  mode: 'full_refresh' | 'incremental',
  blob: unknown,
  plan: RequestPlan,
): Promise<boolean> {
  const { output } = options;
  const name = stream.name;
  await output.write(messages.streamStatus(name, 'STARTED'));

  let running = false;
  let sinceState = 0;
  let lastState = '';
  let latest: Record<string, unknown> = {};
  const markRunning = async () => {
    if (running) return;
    running = true;
    await output.write(messages.streamStatus(name, 'RUNNING'));
  };
  // The count and the line change together, before any await: a heartbeat written while a record
  // waits for stdout to drain must not count that record, which is already ahead of it in the pipe.
  const writeState = async (blobOut: Record<string, unknown>) => {
    const count = sinceState;
    sinceState = 0;
    latest = blobOut;
    heartbeat?.touch();
    await output.write(messages.state(name, blobOut, count));
  };
  const emitState = async (state: StreamState) => {
    const blobOut = serialiseState(stream, state);
    const text = JSON.stringify(blobOut);
    // A checkpoint that did not move says nothing new: its records are counted in the next state
    // instead. The final state always differs from the checkpoints before it (it has no "resume"),
    // so it is never skipped.
    if (text === lastState) return;
    lastState = text;
    await writeState(blobOut);
  };
  let heartbeat: Heartbeat | undefined;
  // One RATE_LIMITED status per pause, however many requests wait in it: waits that end within a
  // tenth of the threshold of the last one reported are the same pause.
  let pausedUntil = 0;
  const reportMs = RATE_LIMITED_REPORT_MS * (options.timeScale ?? 1);
  const stopWatching = options.waits?.((ms, reason) => {
    if (ms < reportMs || !isQuotaWait(reason)) return;
    const until = Date.now() + ms;
    if (until <= pausedUntil + reportMs / 10) return;
    pausedUntil = until;
    options.logger.info(`${name}: ${describeWait(reason)}; waiting ${formatWait(ms)}, until ${new Date(until).toISOString()}.`);
    void output.write(messages.rateLimited(name, until));
  });

  const validator = new RecordValidator(stream, options.logger);
  try {
    const incremental = mode === 'incremental' && stream.incremental !== undefined;
    const state = parseStreamState(stream, blob);
    // Until the first checkpoint, the state to repeat is the one the read started from.
    latest = serialiseState(stream, {
      ...(incremental && state.cursor !== undefined ? { cursor: state.cursor } : {}),
      ...(state.resume ? { resume: state.resume } : {}),
    });
    heartbeat = new Heartbeat(options.heartbeatMs ?? HEARTBEAT_MS * (options.timeScale ?? 1), () => writeState(latest));
    const startDate = options.startDate ? normaliseCursor(options.startDate) : undefined;
    const committed = incremental ? state.cursor : undefined;
    const lowerBound = stream.incremental ? maxCursor(committed, startDate) : undefined;
    const started = state.resume?.started ?? (options.now?.() ?? new Date()).toISOString();
    let max = state.resume?.max;

    if (state.resume) {
      options.logger.info(`${name}: resuming an interrupted read from ${JSON.stringify(state.resume.at)}.`);
    }

    for await (const event of readStream(options.reader, stream, lowerBound, state.resume?.at, options.signal, true)) {
      if (event.kind === 'records') {
        if (!running) await markRunning();
        heartbeat.touch();
        const { records, json, lean } = event;
        // A page's records were extracted together: one emitted_at (the platform's extracted-at time) for all.
        const emittedAt = Date.now();
        for (let index = 0; index < records.length; index++) {
          const record = records[index] as Record<string, unknown>;
          const start = json?.starts[index] ?? -1;
          if (validator.due()) validator.check(lean && json && start >= 0 ? wholeRecord(json, index) : record);
          if (stream.incremental) max = maxCursor(max, normalisedCursorOf(record, stream.incremental.cursorField));
          sinceState++;
          // Awaited only when a batch goes out or stdout is full: an await per record costs more than
          // the rest of its way out.
          const full =
            json && start >= 0 ? output.recordJson(name, json.bytes.subarray(start, json.ends[index]), emittedAt) : output.record(name, record, emittedAt);
          if (full) {
            await full;
            heartbeat.touch();
            if (options.signal?.aborted) throw interruptedBy(options.signal);
          }
        }
      } else if (event.kind === 'checkpoint') {
        await markRunning();
        await emitState({
          ...(committed === undefined ? {} : { cursor: committed }),
          resume: { at: event.at, ...(max && incremental ? { max } : {}), ...(incremental ? { started } : {}) },
        });
      } else {
        plan.learned(event.of ?? name, event.total);
        if (event.of === undefined) await output.write(messages.estimate(name, event.total));
      }
    }

    // A record changed while this read ran may have been read before the change: never let the
    // cursor pass the moment the read started, so the next read picks such changes up.
    const next = incremental ? maxCursor(committed, minCursor(max, started)) : undefined;
    await markRunning();
    heartbeat.stop();
    stopWatching?.();
    await emitState(next === undefined ? {} : { cursor: next });
    validator.summarise();
    await output.write(messages.streamStatus(name, 'COMPLETE'));
    return true;
  } catch (error) {
    heartbeat?.stop();
    stopWatching?.();
    validator.summarise();
    if (error instanceof Interrupted) {
      const sent = sinceState > 0 ? `; the ${sinceState} records sent since that STATE are read again` : '';
      options.logger.warn(`Stopped by ${error.reason} while reading ${name}: the next sync resumes it from its last STATE ${JSON.stringify(latest)}${sent}.`);
      await output.write(messages.streamStatus(name, 'INCOMPLETE'));
      return false;
    }
    const failureType = failureTypeOf(error);
    await output.write(
      messages.error({
        message: userMessage(options.vendor, stream, error),
        internalMessage: describe(error),
        ...(error instanceof Error && error.stack ? { stackTrace: error.stack } : {}),
        failureType,
        stream: name,
      }),
    );
    await output.write(messages.streamStatus(name, 'INCOMPLETE'));
    return false;
  }
}

const utf8 = new TextDecoder();

/** A record read lean, built whole from its bytes for the schema check. */
function wholeRecord(json: SlicedJson, index: number): Record<string, unknown> {
  return JSON.parse(utf8.decode(json.bytes.subarray(json.starts[index], json.ends[index]))) as Record<string, unknown>;
}

function normalisedCursorOf(record: Record<string, unknown>, field: string[]): string | undefined {
  const value = cursorOf(record, field);
  return value === undefined ? undefined : normaliseCursor(value);
}

function userMessage(vendor: string, stream: StreamDefinition, error: unknown): string {
  if (error instanceof HttpError) {
    if (error.status === 403) {
      return stream.permission
        ? `${vendor} refused access to ${stream.name} (HTTP 403): the API key lacks ${stream.permission}. Grant it, or deselect the stream.`
        : `${vendor} refused access to ${stream.name} (HTTP 403): the credentials do not have permission to read it.`;
    }
    if (error.status === 401) {
      return `${vendor} rejected the credentials while reading ${stream.name} (HTTP 401). Check the API key in the connector's configuration.`;
    }
    if (error.status === 429) {
      return `${vendor} kept rate-limiting ${stream.name} (HTTP 429) after ${error.attempts} attempts. The next sync resumes from the last checkpoint; lower requests_per_second if this persists.`;
    }
    if (error.status >= 500) {
      return `${vendor} failed with HTTP ${error.status} on ${stream.name} after ${error.attempts} attempts. The next sync resumes from the last checkpoint.`;
    }
    return `${vendor} answered HTTP ${error.status} on ${stream.name}: ${error.bodySnippet || 'no details'}.`;
  }
  // Our own errors are written to be read as they are ("the saved state of stream X cannot be read…").
  if (error instanceof ConnectorError && error.failureType === 'config_error') return error.message;
  if (failureTypeOf(error) === 'transient_error') {
    return `Reading ${stream.name} from ${vendor} failed: ${describe(error)}. The next sync resumes from the last checkpoint.`;
  }
  return `Reading ${stream.name} failed: ${describe(error)}`;
}

/** Every record of a stream is checked against its schema up to this many... */
const CHECK_ALL_FIRST = 1_000;
/** ...then one in this many, while none has failed: checking every record costs a tenth of the CPU of a read. */
const CHECK_ONE_IN = 50;

/**
 * Checks records against the stream's declared schema. A mismatch is logged, never fatal: the record
 * still goes out whole, because dropping or failing on vendor drift would lose data. Once a stream's first CHECK_ALL_FIRST
 * records all matched, one in CHECK_ONE_IN is checked; after a mismatch, every record again.
 */
class RecordValidator {
  private failures = 0;
  private seen = 0;
  private checked = 0;
  private static readonly LOGGED = 5;

  constructor(
    private readonly stream: StreamDefinition,
    private readonly logger: Logger,
  ) {}

  /** Whether the next record is to be checked: asked once per record, before `check`. */
  due(): boolean {
    this.seen++;
    return this.seen <= CHECK_ALL_FIRST || this.failures > 0 || this.seen % CHECK_ONE_IN === 0;
  }

  check(record: Record<string, unknown>): void {
    this.checked++;
    const result = this.stream.schema.safeParse(record);
    if (result.success) return;
    this.failures++;
    if (this.failures > RecordValidator.LOGGED) return;
    const key = this.stream.primaryKey.map((path) => JSON.stringify(fieldOf(record, path))).join(', ');
    const problems = result.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    this.logger.warn(`${this.stream.name}: record ${key} does not match the declared schema (${problems}); emitted as received.`);
  }

  summarise(): void {
    if (this.failures > RecordValidator.LOGGED) {
      const sampled = this.checked < this.seen ? ` (of the ${this.checked} checked; ${this.seen} were read)` : '';
      this.logger.warn(`${this.stream.name}: ${this.failures} records in all did not match the declared schema${sampled}.`);
    }
  }
}

/** Waits that the API's quota imposes, as opposed to backoffs after failures. */
function isQuotaWait(reason: WaitReason): boolean {
  return reason.kind === 'rate-limit' || reason.kind === 'quota' || (reason.kind === 'retry' && reason.failure.includes('429'));
}

function describeWait(reason: WaitReason): string {
  switch (reason.kind) {
    case 'rate-limit':
      return `the rate limit of ${reason.limit} requests per ${formatWait(reason.windowMs)} is reached`;
    case 'quota':
      return 'the API says its quota is spent';
    case 'retry':
      return `the API answered ${reason.failure}`;
  }
}

function formatWait(ms: number): string {
  if (ms < 90_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 90 * 60_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
