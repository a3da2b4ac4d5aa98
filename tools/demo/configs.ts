import { sandboxPlatform, VENDORS, type Sandbox, type Vendor } from '../sandbox/index.js';

/** The demo runs for every vendor the sandbox imitates. */
export const DEMO_VENDORS: readonly Vendor[] = VENDORS;

export interface SpeedSettings {
  /** Overrides the vendor's documented limit: the sandbox does not need protecting. */
  requestsPerSecond?: number;
  concurrency?: number;
  pageSize?: number;
}

/** A connector config that reads one vendor of a running sandbox, as `spec` describes it. */
export function sandboxConnectorConfig(sb: Sandbox, vendor: Vendor, speed: SpeedSettings = {}): Record<string, unknown> {
  return {
    platform: sandboxPlatform(sb, vendor),
    ...(speed.requestsPerSecond === undefined ? {} : { requests_per_second: speed.requestsPerSecond }),
    ...(speed.concurrency === undefined ? {} : { concurrency: speed.concurrency }),
    ...(speed.pageSize === undefined ? {} : { page_size: speed.pageSize }),
  };
}
