import { leanmote } from './leanmote/index.js';
import { leapsome } from './leapsome/index.js';
import { pe365 } from './pe365/index.js';
import { reflektive } from './reflektive/index.js';
import type { AnyVendor } from './vendor.js';

/** The registry: every vendor the connector speaks, one line each, in the order the spec lists them. */
export const vendors: readonly AnyVendor[] = [leapsome, reflektive, pe365, leanmote];

export function vendorOf(id: string): AnyVendor {
  const vendor = vendors.find((v) => v.id === id);
  if (!vendor) throw new Error(`unknown vendor ${id}`);
  return vendor;
}
