import type { z } from 'zod';
import { defineStream, type StreamDefinition } from '../../engine/stream.js';
import type { LeanmoteClient } from './client.js';

/** Leanmote has one API. */
export interface LeanmoteApis {
  api: LeanmoteClient;
}

export const leanmoteStream = <S extends z.ZodType>(definition: Omit<StreamDefinition<S, LeanmoteApis>, 'api'>): StreamDefinition<S, LeanmoteApis> =>
  defineStream({ api: (apis: LeanmoteApis) => apis.api, ...definition });
