import { controlHandler } from './control.js';
import { resolveFaults, resolveOptions, type FaultOptions, type SandboxOptions } from './options.js';
import { FAKES, mountUrls, type SandboxMounts, type Vendor } from './registry.js';
import { SandboxServer } from './server.js';
import { emptyStats, resetStats, type SandboxStats } from './stats.js';
import type { ChurnCounts } from './churn.js';
import { keyString, type DataRecord, type MutateOptions, type VendorChanges, type VendorModule } from './vendor.js';

export { SANDBOX_CREDENTIALS, sandboxPlatform, streamFacts, VENDORS, type SandboxMounts } from './registry.js';
export { PRIMARY_KEYS, primaryKeyOf } from './keys.js';
export type { ChurnOptions, FaultOptions, SandboxOptions, Vendor } from './options.js';
export type { ChurnCounts } from './churn.js';
export type { SandboxStats } from './stats.js';
export type { DataRecord, MutateOptions, VendorChanges } from './vendor.js';

export type MutationSummary = Partial<Record<Vendor, VendorChanges>> & { round: number; at: string };

/** A stream's records now against an earlier `watch`, by primary key (`primaryKeyOf` strings). */
export interface Lifetimes {
  /** Existed when the watch began and still exist: a read in between must deliver every one. */
  throughout: Set<string>;
  /** Exist now, not then: a read in between may or may not deliver them. */
  inserted: Set<string>;
  /** Existed then, not now: a read in between may or may not deliver them. */
  deleted: Set<string>;
}

/** The primary keys of every stream of a vendor at one moment (see `Sandbox.watch`). */
export interface Watch {
  lifetimes(stream: string): Lifetimes;
}

export interface Sandbox {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  readonly port: number;
  readonly mounts: SandboxMounts;
  /** Live counters of vendor traffic. */
  readonly stats: SandboxStats;
  /** Seed, scale and facts no endpoint lists (Reflektive calibration cycle uuids). */
  info(): Record<string, unknown>;
  /** Edits and creates records in every incremental stream, timestamped with the current time. */
  mutate(options?: MutateOptions): MutationSummary;
  /** Every record a full sync of the connector stream should emit, as the connector shapes them. */
  truth(vendor: Vendor, stream: string): DataRecord[];
  /** The same, lazily: for large scales. */
  truthIterator(vendor: Vendor, stream: string): Iterable<DataRecord>;
  /** Connector stream names and primary keys of a vendor. */
  streams(vendor: Vendor): Record<string, readonly string[]>;
  /**
   * Remembers the primary keys of every stream of `vendor` now. Begun before a read under `churn`,
   * its `lifetimes(stream)` after the read tell the records that existed for the whole read from
   * those inserted or deleted while it ran.
   */
  watch(vendor: Vendor): Watch;
  /** What the `churn` option inserted and deleted so far in a vendor's data. */
  churned(vendor: Vendor): ChurnCounts;
  /** Replaces the fault configuration (counters restart, so failFirst applies again). */
  setFaults(faults: FaultOptions): void;
  resetStats(): void;
  close(): Promise<void>;
}

/** What JSON serialisation does to generated records (absent optional fields vanish), without the text round trip. */
function normalise<T>(value: T): T {
  if (Array.isArray(value)) return value.map(normalise) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = normalise(v);
  return out as T;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const resolved = resolveOptions(options);
  let url = '';
  const selfUrl = () => url;
  // Each fake resolves its own options (throwing on a bad one) before the server listens.
  const modules: VendorModule[] = FAKES.map((fake) => fake.start(resolved, options, selfUrl));
  const byVendor = new Map(modules.map((m) => [m.vendor, m]));
  const stats = emptyStats();
  let round = 0;

  const moduleOf = (vendor: Vendor): VendorModule => {
    const m = byVendor.get(vendor);
    if (!m) throw new Error(`unknown vendor: ${vendor}`);
    return m;
  };
  const truthIterator = (vendor: Vendor, stream: string): Iterable<DataRecord> => {
    const module = moduleOf(vendor);
    if (!module.primaryKeys[stream]) throw new Error(`unknown ${vendor} stream: ${stream}`);
    return {
      *[Symbol.iterator]() {
        for (const r of module.truth(stream)) yield normalise(r);
      },
    };
  };
  const mutate = (opts: MutateOptions = {}): MutationSummary => {
    const now = resolved.now();
    const summary: MutationSummary = { round: ++round, at: new Date(now).toISOString() };
    for (const m of modules) {
      if (opts.vendors && !opts.vendors.includes(m.vendor)) continue;
      summary[m.vendor] = m.mutate(round, now, opts.updates ?? 3, opts.inserts ?? 2);
    }
    return summary;
  };
  const keysNow = (vendor: Vendor, stream: string): Set<string> => {
    const fields = moduleOf(vendor).primaryKeys[stream] as readonly string[];
    return new Set([...truthIterator(vendor, stream)].map((record) => keyString(fields, record)));
  };
  const watch = (vendor: Vendor): Watch => {
    const then = new Map(Object.keys(moduleOf(vendor).primaryKeys).map((stream) => [stream, keysNow(vendor, stream)]));
    return {
      lifetimes: (stream) => {
        const before = then.get(stream);
        if (!before) throw new Error(`unknown ${vendor} stream: ${stream}`);
        const now = keysNow(vendor, stream);
        return {
          throughout: new Set([...before].filter((k) => now.has(k))),
          inserted: new Set([...now].filter((k) => !before.has(k))),
          deleted: new Set([...before].filter((k) => !now.has(k))),
        };
      },
    };
  };
  const info = () => ({
    url,
    seed: resolved.seed,
    scale: resolved.scale,
    mounts: mountUrls(url),
    ...Object.fromEntries(modules.map((m) => [m.vendor, m.info?.() ?? {}])),
  });

  const setFaults = (faults: FaultOptions) => {
    server.faults.configure(resolveFaults(faults));
    return server.faults.config;
  };
  const clearStats = () => {
    resetStats(stats);
    server.resetRateLimits();
  };
  const control = controlHandler({ info, mutate, stats, resetStats: clearStats, setFaults, truth: truthIterator });
  const server = new SandboxServer(
    modules.flatMap((m) => m.mounts),
    resolved,
    stats,
    control,
  );
  const port = await server.listen(resolved.port);
  url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    mounts: mountUrls(url),
    stats,
    info,
    mutate,
    truth: (vendor, stream) => [...truthIterator(vendor, stream)],
    truthIterator,
    streams: (vendor) => moduleOf(vendor).primaryKeys,
    watch,
    churned: (vendor) => ({ ...(moduleOf(vendor).churned?.() ?? { rounds: 0, inserted: 0, deleted: 0 }) }),
    setFaults: (faults) => void setFaults(faults),
    resetStats: clearStats,
    close: () => server.close(),
  };
}
