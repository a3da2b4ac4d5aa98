import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConnectorError, failureTypeOf } from './errors.js';
import { parseStateFile, parseStreamState, serialiseState } from './state.js';
import { testStream } from '../../tools/testing/engine/reader.js';

const incremental = testStream({
  name: 'scim_users',
  schema: z.looseObject({ id: z.string() }),
  primaryKey: [['id']],
  request: { path: '/Users' },
  incremental: { cursorField: ['meta', 'lastModified'] },
});
const fullRefresh = testStream({ name: 'tags', schema: z.looseObject({ id: z.string() }), primaryKey: [['id']], request: { path: '/tags' } });

const entry = (name: string, state: unknown) => ({ type: 'STREAM', stream: { stream_descriptor: { name }, stream_state: state } });

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    expect(failureTypeOf(error)).toBe('config_error');
    return (error as Error).message;
  }
  throw new Error('expected a config error');
}

describe('the state file', () => {
  it('accepts the per-stream array the platform passes', () => {
    const states = parseStateFile([entry('scim_users', { 'meta.lastModified': '2024-01-01T00:00:00Z' }), entry('tags', {})]);
    expect(states.get('scim_users')).toEqual({ 'meta.lastModified': '2024-01-01T00:00:00Z' });
    expect(states.get('tags')).toEqual({});
  });

  it('accepts no state, an empty array and an empty object as "no state"', () => {
    for (const input of [undefined, null, [], {}]) expect(parseStateFile(input).size).toBe(0);
  });

  it('rejects a legacy per-connector dict instead of silently starting over', () => {
    expect(configError(() => parseStateFile({ scim_users: { updatedAt: '2024-01-01' } }))).toMatch(/not a list of per-stream states/);
  });

  it('rejects GLOBAL and LEGACY state entries', () => {
    expect(configError(() => parseStateFile([{ type: 'GLOBAL', global: {} }]))).toMatch(/type GLOBAL/);
    expect(configError(() => parseStateFile([{ type: 'LEGACY', data: {} }]))).toMatch(/type LEGACY/);
  });

  it('rejects an entry without a stream descriptor', () => {
    expect(configError(() => parseStateFile([{ type: 'STREAM', stream: { stream_state: {} } }]))).toMatch(/State entry 0/);
  });
});

describe("a stream's state", () => {
  it('reads the cursor under its dotted path and normalises it to UTC', () => {
    expect(parseStreamState(incremental, { 'meta.lastModified': '2024-01-01T02:00:00+02:00' })).toEqual({ cursor: '2024-01-01T00:00:00.000Z' });
  });

  it('round-trips through serialiseState, resume position included', () => {
    const state = {
      cursor: '2024-01-01T00:00:00.000Z',
      resume: { at: { page: 3, skip: 2 }, max: '2024-02-01T00:00:00.000Z', started: '2025-01-01T00:00:00.000Z' },
    };
    expect(parseStreamState(incremental, serialiseState(incremental, state))).toEqual(state);
  });

  it('rejects a cursor that is not a date-time', () => {
    expect(configError(() => parseStreamState(incremental, { 'meta.lastModified': 'yesterday' }))).toMatch(/scim_users.*not a date-time/);
  });

  it('rejects a key it does not know (state from another connector or version)', () => {
    expect(configError(() => parseStreamState(incremental, { updated_at: '2024-01-01T00:00:00Z' }))).toMatch(/unknown key "updated_at"/);
    expect(configError(() => parseStreamState(fullRefresh, { cursor: 'abc' }))).toMatch(/tags.*unknown key "cursor"/);
  });

  it('rejects a malformed resume position', () => {
    expect(configError(() => parseStreamState(fullRefresh, { resume: { at: { page: { nested: true } } } }))).toMatch(/"resume" is invalid/);
  });

  it("accepts the Python CDK's full-refresh markers", () => {
    expect(parseStreamState(fullRefresh, { __ab_no_cursor_state_message: true })).toEqual({});
  });
});
