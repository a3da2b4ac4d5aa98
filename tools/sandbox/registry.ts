import { leanmoteFake } from './leanmote/index.js';
import { leapsomeFake } from './leapsome/index.js';
import { pe365Fake } from './pe365/index.js';
import { reflektiveFake } from './reflektive/index.js';
import type { FakeOptions, FakeSandboxView, MountSpec, StreamFacts } from './vendor.js';

/** The registry: every vendor the sandbox imitates, one line each. */
export const FAKES = [leapsomeFake, reflektiveFake, pe365Fake, leanmoteFake] as const;

type Fake = (typeof FAKES)[number];

/** A vendor the sandbox imitates, by its connector id. */
export type Vendor = Fake['vendor'];
export const VENDORS: readonly Vendor[] = FAKES.map((fake) => fake.vendor);

type MountNamesOf<F> = F extends { mounts: infer M } ? Extract<keyof M, string> : never;
type LimitedOf<F> = F extends { mounts: infer M }
  ? Extract<{ [K in keyof M]: M[K] extends { requestsPerSecond: object } ? K : never }[keyof M], string>
  : never;

/** Where requests go (`Mount.name`): one per API surface, each with its own auth, errors and rate limit. */
export type MountName = MountNamesOf<Fake>;
/** The mounts with a requests-per-second limit of the sandbox's own (`rateLimits.<name>`). */
export type RateLimitedMount = LimitedOf<Fake>;

/** Every fake's mounts, by name. */
export const MOUNTS: ReadonlyArray<[MountName, MountSpec]> = FAKES.flatMap((fake) => Object.entries(fake.mounts) as Array<[MountName, MountSpec]>);
export const MOUNT_NAMES: readonly MountName[] = MOUNTS.map(([name]) => name);
for (const [i, name] of MOUNT_NAMES.entries()) if (MOUNT_NAMES.indexOf(name) !== i) throw new Error(`two sandbox mounts are named ${name}`);
/** The mounts with a requests-per-second limit of the sandbox's own, and that limit. */
export const RATE_LIMITED: ReadonlyArray<readonly [RateLimitedMount, NonNullable<MountSpec['requestsPerSecond']>]> = MOUNTS.flatMap(([name, spec]) =>
  spec.requestsPerSecond ? [[name as RateLimitedMount, spec.requestsPerSecond] as const] : [],
);

type OptionsOf<F> = F extends { options: FakeOptions<infer O, unknown> } ? O : never;
type AllOptions<T extends readonly unknown[]> = T extends readonly [infer F, ...infer Rest] ? OptionsOf<F> & AllOptions<Rest> : unknown;
/** The options of every fake, together: each fake's own fields of `SandboxOptions`. */
export type VendorOptions = AllOptions<typeof FAKES>;

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

/** What checks of a read need to know about a stream beyond its truth (none for most). */
export function streamFacts(vendor: Vendor, stream: string): StreamFacts {
  return fakeOf(vendor).streamFacts?.[stream] ?? {};
}

export function isSandboxVendor(id: string): id is Vendor {
  return (VENDORS as readonly string[]).includes(id);
}

export function mountUrls(url: string): SandboxMounts {
  return Object.fromEntries(FAKES.flatMap((fake) => Object.entries(fake.mountPaths).map(([name, path]) => [name, `${url}${path as string}`]))) as SandboxMounts;
}

/** The connector's `platform` config for one vendor of a running sandbox. */
export function sandboxPlatform(sandbox: FakeSandboxView<keyof SandboxMounts>, vendor: Vendor): Record<string, unknown> {
  // Each fake reads only its own mounts from the whole set.
  return fakeOf(vendor).platform(sandbox);
}
