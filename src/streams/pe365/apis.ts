import type { z } from 'zod';
import type { ApiClient } from '../../engine/http/client.js';
import { defineStream, type StreamDefinition } from '../../engine/stream.js';

/** PE365 has one API. */
export interface Pe365Apis {
  api: ApiClient;
}

export const pe365Stream = <S extends z.ZodType>(definition: Omit<StreamDefinition<S, Pe365Apis>, 'api'>): StreamDefinition<S, Pe365Apis> =>
  defineStream({ api: (apis: Pe365Apis) => apis.api, ...definition });
