import { json, type Reply } from './http.js';
import type { FaultOptions, Vendor } from './options.js';
import type { SandboxStats } from './stats.js';
import type { DataRecord, MutateOptions } from './vendor.js';

/** What the control endpoints reach into. */
export interface ControlApi {
  info(): Record<string, unknown>;
  mutate(options: MutateOptions): unknown;
  stats: SandboxStats;
  resetStats(): void;
  setFaults(faults: FaultOptions): FaultOptions;
  truth(vendor: Vendor, stream: string): Iterable<DataRecord>;
}

/** `/_sandbox/*`: health, mutations, truth, counters and fault settings for tests and demos. */
export function controlHandler(api: ControlApi) {
  return (method: string, path: string, query: URLSearchParams, body: string): Reply => {
    try {
      const input = body.trim() === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
      const route = `${method} ${path}`;
      switch (route) {
        case 'GET /_sandbox/health':
          return json(200, { status: 'ok', ...api.info(), requests: api.stats.total });
        case 'POST /_sandbox/mutate':
          return json(200, api.mutate(input as MutateOptions));
        case 'GET /_sandbox/stats':
          return json(200, api.stats);
        case 'POST /_sandbox/stats/reset':
          api.resetStats();
          return json(200, api.stats);
        case 'POST /_sandbox/faults':
          return json(200, api.setFaults(input as FaultOptions));
        case 'GET /_sandbox/truth':
          return json(200, [...api.truth(query.get('vendor') as Vendor, query.get('stream') ?? '')]);
        default:
          return json(404, { error: 'Not Found', message: `no control endpoint ${route}` });
      }
    } catch (error) {
      return json(400, { error: 'Bad Request', message: error instanceof Error ? error.message : String(error) });
    }
  };
}
