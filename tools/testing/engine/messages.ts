/** Test helper: picking AirbyteMessages apart, and the protocol rules every message stream obeys. */
import type { AirbyteMessage, AirbyteStateMessage } from '../../../src/protocol/generated.js';

export const recordsOf = (messages: AirbyteMessage[], stream: string): Array<Record<string, unknown>> =>
  messages.filter((m) => m.type === 'RECORD' && m.record?.stream === stream).map((m) => m.record?.data as Record<string, unknown>);

export const statesOf = (messages: AirbyteMessage[], stream?: string): AirbyteStateMessage[] =>
  messages
    .filter((m) => m.type === 'STATE' && (stream === undefined || m.state?.stream?.stream_descriptor.name === stream))
    .map((m) => m.state as AirbyteStateMessage);

export const statusesOf = (messages: AirbyteMessage[], stream: string): string[] =>
  messages
    .filter((m) => m.type === 'TRACE' && m.trace?.type === 'STREAM_STATUS' && m.trace.stream_status?.stream_descriptor.name === stream)
    .map((m) => m.trace?.stream_status?.status as string);

export const errorTracesOf = (messages: AirbyteMessage[]) =>
  messages.filter((m) => m.type === 'TRACE' && m.trace?.type === 'ERROR').map((m) => m.trace?.error as NonNullable<NonNullable<AirbyteMessage['trace']>['error']>);

export const logsOf = (messages: AirbyteMessage[]): string[] => messages.filter((m) => m.type === 'LOG').map((m) => m.log?.message as string);

/** The last STATE of every stream, as the per-stream array the platform passes back with --state. */
export function finalStates(messages: AirbyteMessage[]): AirbyteStateMessage[] {
  const last = new Map<string, AirbyteStateMessage>();
  for (const state of statesOf(messages)) last.set(state.stream?.stream_descriptor.name as string, state);
  return [...last.values()].map(({ type, stream }) => ({ type, stream }) as AirbyteStateMessage);
}

/**
 * Checks, per stream, the rules every connector output keeps on STATE messages: at least one, the final one after the
 * last record, no two identical consecutive ones, and each sourceStats.recordCount equal to the
 * records emitted since the previous STATE. Returns the problems found (empty when all is well).
 */
export function stateProblems(messages: AirbyteMessage[], streams: string[], options: { completeOnly?: boolean } = {}): string[] {
  const problems: string[] = [];
  for (const stream of streams) {
    let since = 0;
    let previous: string | undefined;
    let states = 0;
    let recordsAfterLastState = 0;
    for (const message of messages) {
      if (message.type === 'RECORD' && message.record?.stream === stream) {
        since++;
        recordsAfterLastState++;
      }
      if (message.type !== 'STATE' || message.state?.stream?.stream_descriptor.name !== stream) continue;
      states++;
      const blob = JSON.stringify(message.state.stream.stream_state ?? null);
      if (blob === previous) problems.push(`${stream}: two identical consecutive states ${blob}`);
      previous = blob;
      const count = message.state.sourceStats?.recordCount;
      if (count !== since) problems.push(`${stream}: state ${states} says recordCount ${String(count)}, but ${since} records came since the previous state`);
      since = 0;
      recordsAfterLastState = 0;
    }
    const complete = statusesOf(messages, stream).includes('COMPLETE');
    if (complete || !options.completeOnly) {
      if (states === 0) problems.push(`${stream}: no STATE`);
      if (complete && recordsAfterLastState > 0) problems.push(`${stream}: ${recordsAfterLastState} records after the last STATE`);
    }
  }
  return problems;
}
