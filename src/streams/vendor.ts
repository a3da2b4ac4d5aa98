import type { z } from 'zod';
import type { ApiClient } from '../engine/http/client.js';
import type { RetryPolicy } from '../engine/http/retry.js';
import type { Transport } from '../engine/http/transport.js';
import type { Logger } from '../engine/logger.js';
import type { StreamDefinition } from '../engine/stream.js';

/** Settings shared by every vendor, from the optional advanced part of the config. */
export interface Settings {
  /** Overrides the vendor's documented request rate. */
  requestsPerSecond?: number;
  /** Records per page, clamped to each endpoint's documented maximum. */
  pageSize: number;
}

export interface VendorRuntime {
  transport: Transport;
  retry: RetryPolicy;
  logger: Logger;
  settings: Settings;
  /** Registers a secret learnt at run time (an exchanged token) so no output can show it. */
  addSecret: (secret: string) => void;
}

/** What a vendor folder provides: its config variant, auth, limits and stream definitions. */
export interface Vendor<C extends { vendor: string } = { vendor: string }> {
  id: C['vendor'];
  title: string;
  /** The variant of the config's `platform` oneOf; `vendor` is its const discriminator. */
  config: z.ZodType<C>;
  /** Every stream the config can serve (optional ones only when their credentials are set). */
  streams(config: C, settings: Settings): StreamDefinition[];
  /** Config values that must never reach any output. */
  secrets(config: C): Array<string | undefined>;
  /** One client per API the vendor exposes, keyed by the names stream definitions use. */
  apis(config: C, runtime: VendorRuntime): Map<string, ApiClient>;
  /** Proves the credentials work with the cheapest authenticated request; throws otherwise. */
  check(apis: Map<string, ApiClient>, config: C): Promise<void>;
}

export const clampPageSize = (settings: Settings, max: number): number => Math.max(1, Math.min(settings.pageSize, max));
