import { leapsome } from './leapsome/index.js';
import { pe365 } from './pe365/index.js';
import { reflektive } from './reflektive/index.js';
import type { Vendor } from './vendor.js';

/** Every vendor the connector speaks, in the order the spec lists them. */
export const vendors = [leapsome, reflektive, pe365] as const;

export type VendorId = (typeof vendors)[number]['id'];

export function vendorOf(id: string): Vendor {
  const vendor = vendors.find((v) => v.id === id);
  if (!vendor) throw new Error(`unknown vendor ${id}`);
  return vendor as unknown as Vendor;
}
