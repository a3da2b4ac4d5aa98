import type { ApiClient } from '../../engine/http/client.js';
import { defineStream, type StreamDefinition } from '../../engine/stream.js';
import type { z } from 'zod';

/** Leapsome's two APIs; SCIM only when the config has a SCIM token. */
export interface LeapsomeApis {
  content: ApiClient;
  scim: ApiClient | undefined;
}

/** A Leapsome stream of the Content API, unless it names another. */
export const leapsomeStream = <S extends z.ZodType>(
  definition: Omit<StreamDefinition<S, LeapsomeApis>, 'api'> & Partial<Pick<StreamDefinition<S, LeapsomeApis>, 'api'>>,
): StreamDefinition<S, LeapsomeApis> => defineStream({ api: (apis: LeapsomeApis) => apis.content, ...definition });
