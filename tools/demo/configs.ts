import type { AirbyteCatalog, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import { SANDBOX_CREDENTIALS, type Sandbox, type Vendor } from '../sandbox/index.js';

export const DEMO_VENDORS: readonly Vendor[] = ['leapsome', 'reflektive', 'pe365'];

export interface SpeedSettings {
  /** Overrides the vendor's documented limit: the sandbox does not need protecting. */
  requestsPerSecond?: number;
  concurrency?: number;
  pageSize?: number;
}

/** A connector config that reads one vendor of a running sandbox, as `spec` describes it. */
export function sandboxConnectorConfig(sb: Sandbox, vendor: Vendor, speed: SpeedSettings = {}): Record<string, unknown> {
  return {
    platform: platformOf(sb, vendor),
    ...(speed.requestsPerSecond === undefined ? {} : { requests_per_second: speed.requestsPerSecond }),
    ...(speed.concurrency === undefined ? {} : { concurrency: speed.concurrency }),
    ...(speed.pageSize === undefined ? {} : { page_size: speed.pageSize }),
  };
}

function platformOf(sb: Sandbox, vendor: Vendor): Record<string, unknown> {
  switch (vendor) {
    case 'leapsome':
      return {
        vendor,
        api_key: SANDBOX_CREDENTIALS.leapsome.apiKey,
        base_url: sb.mounts.leapsome,
        scim_token: SANDBOX_CREDENTIALS.leapsome.scimToken,
        scim_base_url: sb.mounts.leapsomeScim,
      };
    case 'reflektive':
      return {
        vendor,
        api_key: SANDBOX_CREDENTIALS.reflektive.apiKey,
        base_url: sb.mounts.reflektive,
        // Not listable through the API: the sandbox hands them out, a real account gets them from Reflektive.
        calibration_cycle_uuids: (sb.info()['reflektive'] as { calibrationCycleUuids: string[] }).calibrationCycleUuids,
      };
    case 'pe365':
      return {
        vendor,
        username: SANDBOX_CREDENTIALS.pe365.username,
        api_key: SANDBOX_CREDENTIALS.pe365.apiKey,
        base_url: sb.mounts.pe365,
      };
  }
}

/** Every stream of a discovered catalog, incremental where it can be, else full refresh. */
export function configureAll(catalog: AirbyteCatalog): ConfiguredAirbyteCatalog {
  return {
    streams: catalog.streams.map((stream) => {
      const incremental = (stream.supported_sync_modes ?? []).includes('incremental');
      return {
        stream,
        sync_mode: incremental ? 'incremental' : 'full_refresh',
        destination_sync_mode: 'append',
        ...(incremental && stream.default_cursor_field ? { cursor_field: stream.default_cursor_field } : {}),
        ...(stream.source_defined_primary_key ? { primary_key: stream.source_defined_primary_key } : {}),
      };
    }),
  } as ConfiguredAirbyteCatalog;
}
