import { ApiFailure, listParam } from '../http.js';
import { parseIsoDate } from '../time.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

/** A single ObjectId parameter; a malformed one is a 400 like the spec's `pattern` implies. */
export function objectIdParam(query: URLSearchParams, name: string): string | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!OBJECT_ID.test(value)) throw new ApiFailure(400, `"${name}" with value "${value}" fails to match the required pattern: /^[0-9a-f]{24}$/`);
  return value;
}

/** A comma-separated ObjectId list. */
export function objectIdList(query: URLSearchParams, name: string): string[] | undefined {
  const values = listParam(query, name);
  for (const v of values ?? []) {
    if (!OBJECT_ID.test(v)) throw new ApiFailure(400, `"${name}" with value "${v}" fails to match the required pattern: /^[0-9a-f]{24}$/`);
  }
  return values;
}

export function enumParam<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new ApiFailure(400, `"${name}" must be one of [${allowed.join(', ')}]`);
  return value as T;
}

export function enumList<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T[] | undefined {
  const values = listParam(query, name);
  for (const v of values ?? []) {
    if (!(allowed as readonly string[]).includes(v)) throw new ApiFailure(400, `"${name}[0]" must be one of [${allowed.join(', ')}]`);
  }
  return values as T[] | undefined;
}

export function dateParam(query: URLSearchParams, name: string): number | undefined {
  const value = query.get(name);
  if (value === null || value === '') return undefined;
  const ms = parseIsoDate(value);
  if (ms === undefined) throw new ApiFailure(400, `"${name}" must be a valid ISO 8601 date`);
  return ms;
}

/** A stable cache key for a filtered list: the stream plus its filter parameters, sorted. */
export function filterKey(stream: string, query: URLSearchParams, names: readonly string[]): string | undefined {
  const parts = names
    .flatMap((n) =>
      query
        .getAll(n)
        .filter((v) => v !== '')
        .map((v) => `${n}=${v}`),
    )
    .sort();
  return parts.length === 0 ? undefined : `${stream}?${parts.join('&')}`;
}
