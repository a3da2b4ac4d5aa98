/**
 * Generated history ends at a fixed anchor so that data are identical on every run; only mutations
 * use the real clock.
 */
export const ANCHOR_MS = Date.UTC(2025, 5, 1);

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR = 365 * DAY;

/** `2019-08-23T11:53:06.741Z`: the JavaScript/Mongo serialisation Leapsome mostly uses. */
export const isoMs = (ms: number): string => new Date(ms).toISOString();

/** `2025-03-04T13:15:11.574+00:00`: the form Leapsome's participant examples show. */
export const isoOffset = (ms: number): string => new Date(ms).toISOString().replace('Z', '+00:00');

/** `2016-10-31T23:43:20Z`: second precision, as Reflektive's examples. */
export const isoSeconds = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** `2025-03-04T13:15:11.574000Z`: Django REST Framework's default datetime rendering. */
export const isoMicros = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

/** `2025-03-04`. */
export const ymd = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** Parses an ISO date or date-time; undefined when it is not one. */
export function parseIsoDate(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) return undefined;
  // A date-time without a zone is read as UTC, never as the host's local time.
  const zoned = value.length === 10 ? `${value}T00:00:00Z` : /(Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned.replace(' ', 'T'));
  return Number.isNaN(ms) ? undefined : ms;
}
