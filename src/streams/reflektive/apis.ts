import type { z } from 'zod';
import type { ApiClient } from '../../engine/http/client.js';
import { defineStream, type StreamDefinition } from '../../engine/stream.js';

/** Reflektive has one API; its paths carry their own version. */
export interface ReflektiveApis {
  api: ApiClient;
}

export const reflektiveStream = <S extends z.ZodType>(definition: Omit<StreamDefinition<S, ReflektiveApis>, 'api'>): StreamDefinition<S, ReflektiveApis> =>
  defineStream({ api: (apis: ReflektiveApis) => apis.api, ...definition });
