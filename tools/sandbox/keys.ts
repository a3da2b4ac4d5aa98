import { LEAPSOME_KEYS } from './leapsome/truth.js';
import type { Vendor } from './options.js';
import { PE365_KEYS } from './pe365/index.js';
import { REFLEKTIVE_KEYS } from './reflektive/index.js';
import { keyString, type DataRecord } from './vendor.js';

/** Connector stream names → primary key fields, per vendor. */
export const PRIMARY_KEYS: Record<Vendor, Record<string, readonly string[]>> = {
  leapsome: LEAPSOME_KEYS,
  reflektive: REFLEKTIVE_KEYS,
  pe365: PE365_KEYS,
};

/** Primary key fields of every connector stream of a vendor. */
export function primaryKeys(vendor: Vendor): Record<string, readonly string[]> {
  return PRIMARY_KEYS[vendor];
}

/** The primary key of a record as a comparable string (JSON array of the key values). */
export function primaryKeyOf(vendor: Vendor, stream: string, record: DataRecord): string {
  const fields = primaryKeys(vendor)[stream];
  if (!fields) throw new Error(`unknown ${vendor} stream: ${stream}`);
  return keyString(fields, record);
}
