import { leanmoteFake } from './leanmote/index.js';
import { leapsomeFake } from './leapsome/index.js';
import { pe365Fake } from './pe365/index.js';
import { reflektiveFake } from './reflektive/index.js';

/** The registry: every vendor the sandbox imitates, one line each. */
export const FAKES = [leapsomeFake, reflektiveFake, pe365Fake, leanmoteFake] as const;

type Fake = (typeof FAKES)[number];

/** A vendor the sandbox imitates, by its connector id. */
export type Vendor = Fake['vendor'];
export const VENDORS: readonly Vendor[] = FAKES.map((fake) => fake.vendor);

/** Mount URLs by name: what a connector config's base URLs should be. */
export type SandboxMounts = { [F in Fake as keyof F['mountPaths']]: string };

/** The credentials each fake accepts, by vendor. */
export const SANDBOX_CREDENTIALS = Object.fromEntries(FAKES.map((fake) => [fake.vendor, fake.credentials])) as {
  [F in Fake as F['vendor']]: F['credentials'];
};

export function fakeOf(vendor: Vendor): Fake {
  const fake = FAKES.find((f) => f.vendor === vendor);
  if (!fake) throw new Error(`the sandbox does not imitate ${String(vendor)}`);
  return fake;
}

export function isSandboxVendor(id: string): id is Vendor {
  return (VENDORS as readonly string[]).includes(id);
}

export function mountUrls(url: string): SandboxMounts {
  return Object.fromEntries(FAKES.flatMap((fake) => Object.entries(fake.mountPaths).map(([name, path]) => [name, `${url}${path as string}`]))) as SandboxMounts;
}

/** The connector's `platform` config for one vendor of a running sandbox. */
export function sandboxPlatform(sandbox: { mounts: SandboxMounts; info(): Record<string, unknown> }, vendor: Vendor): Record<string, unknown> {
  // Each fake reads only its own mounts from the whole set.
  return (fakeOf(vendor).platform as (sb: typeof sandbox) => Record<string, unknown>)(sandbox);
}
