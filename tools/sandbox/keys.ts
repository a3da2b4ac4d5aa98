import { FAKES, type Vendor } from './registry.js';
import { keyString, type DataRecord } from './vendor.js';

/** Connector stream names → primary key fields, per vendor. */
export const PRIMARY_KEYS = Object.fromEntries(FAKES.map((fake) => [fake.vendor, fake.primaryKeys])) as Record<Vendor, Record<string, readonly string[]>>;

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
