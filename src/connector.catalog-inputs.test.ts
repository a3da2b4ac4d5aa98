/**
 * The configured catalogs Airbyte and its acceptance tests really write. CAT serialises its pydantic
 * models of ConfiguredAirbyteStream with every default (`cursor_field`, `primary_key`,
 * `generation_id`, `minimum_generation_id`, `sync_id`: null), the platform adds the refresh fields
 * and newer protocol versions add keys (`destination_object_name`); airbyte_protocol.yaml declares
 * ConfiguredAirbyteStream with additionalProperties: true. None of that is ours to reject.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { leapsomeConfig, useSandbox } from '../tools/testing/sandbox.js';
import type { AirbyteCatalog } from './protocol/generated.js';

const env = useSandbox();
let discovered: AirbyteCatalog;

beforeAll(async () => {
  discovered = (await env.connector.discover(leapsomeConfig(env.sb))).catalog();
});

const streamOf = (name: string) => {
  const stream = discovered.streams.find((s) => s.name === name);
  if (!stream) throw new Error(`no ${name}`);
  // What CAT's model dump adds to the discovered stream: every optional field, as null.
  return { namespace: null, source_defined_cursor: null, default_cursor_field: null, is_resumable: null, ...stream };
};

/** A configured stream as CAT writes it for a full refresh. */
const catStyle = (name: string, destination = 'overwrite') => ({
  stream: streamOf(name),
  sync_mode: 'full_refresh',
  destination_sync_mode: destination,
  cursor_field: null,
  primary_key: null,
  generation_id: null,
  minimum_generation_id: null,
  sync_id: null,
});

const readCatalog = (catalog: unknown) => env.connector.read(leapsomeConfig(env.sb), catalog);

describe('configured catalogs as Airbyte and CAT write them', () => {
  it('a full-refresh stream with null cursor_field, primary_key and generation fields is read', async () => {
    const result = await readCatalog({ streams: [catStyle('goals')] });
    expect(result.errors()).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.records('goals').length).toBe(env.sb.truth('leapsome', 'goals').length);
  });

  it("an incremental stream with a null primary_key and the platform's refresh fields is read", async () => {
    const goals = {
      ...catStyle('goals', 'append_dedup'),
      sync_mode: 'incremental',
      cursor_field: ['updatedAt'],
      generation_id: 3,
      minimum_generation_id: 0,
      sync_id: 1234,
    };
    const result = await readCatalog({ streams: [goals] });
    expect(result.code).toBe(0);
    expect(result.records('goals').length).toBe(env.sb.truth('leapsome', 'goals').length);
  });

  it('fields absent altogether are accepted too', async () => {
    const { stream } = catStyle('goal_tags');
    const result = await readCatalog({ streams: [{ stream, sync_mode: 'full_refresh' }] });
    expect(result.code).toBe(0);
    expect(result.statuses('goal_tags')).toEqual(['STARTED', 'RUNNING', 'COMPLETE']);
  });

  it.each(['append', 'overwrite', 'append_dedup', 'overwrite_dedup', 'update', 'soft_delete', 'a-mode-from-the-future'])(
    "destination_sync_mode %s is the destination's business",
    async (mode) => {
      const result = await readCatalog({ streams: [catStyle('goal_tags', mode)] });
      expect(result.code).toBe(0);
    },
  );

  it('unknown keys, in the catalog, its streams and their stream, pass', async () => {
    const tags = { ...catStyle('goal_tags'), destination_object_name: 'tags', include_files: false };
    const result = await readCatalog({ streams: [{ ...tags, stream: { ...tags.stream, is_file_based: false } }], catalog_version: 2 });
    expect(result.code).toBe(0);
  });

  it('an incremental read of a stream without a cursor is still refused, before any request', async () => {
    const result = await readCatalog({ streams: [{ ...catStyle('goal_tags'), sync_mode: 'incremental' }] });
    expect(result.code).toBe(1);
    expect(result.errors()[0]?.message).toMatch(/goal_tags" supports only full_refresh/);
    expect(env.msw.requests).toHaveLength(0);
  });

  it('a cursor field other than ours is still refused', async () => {
    const result = await readCatalog({ streams: [{ ...catStyle('goals'), sync_mode: 'incremental', cursor_field: ['createdAt'] }] });
    expect(result.code).toBe(1);
    expect(result.errors()[0]?.message).toMatch(/source-defined cursor updatedAt, not createdAt/);
  });
});
