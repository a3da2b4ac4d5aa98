import { resolve } from 'node:path';
import type { Vendor } from '../sandbox/index.js';
import { fakeOf } from '../sandbox/registry.js';
import { DEMO_VENDORS } from './configs.js';

/** "leanmote 0.2", for the vendors whose fake sets its own demo scale. */
const DEMO_SCALES = DEMO_VENDORS.flatMap((vendor) => {
  const demo = fakeOf(vendor).demo;
  return demo ? [`${vendor} ${demo.scale}`] : [];
}).join(', ');

/** The scale a demo of `options.vendor` runs at. */
export function demoScale(options: Pick<DemoOptions, 'vendor' | 'scale'>): { scale: number; why?: string } {
  if (options.scale !== undefined) return { scale: options.scale };
  const demo = fakeOf(options.vendor).demo;
  return demo ?? { scale: DEFAULT_SCALE };
}

export interface DemoOptions {
  vendor: Vendor;
  /** Undefined: the vendor's demo scale, else DEFAULT_SCALE. */
  scale: number | undefined;
  seed: number;
  /** requests_per_second for the connector; undefined keeps the vendor's documented limit. */
  requestsPerSecond: number | undefined;
  outDir: string;
}

export const DEFAULT_SCALE = 0.5;
export const DEFAULTS = { vendor: 'leapsome' as Vendor, scale: undefined, seed: 42, requestsPerSecond: 100 };

export const HELP = `Usage: npm start [-- options]

Starts the local vendor sandbox, then runs the real connector CLI against it: discover, a full read
of every stream, a change to the sandbox's data, and an incremental read from the saved state.

Options:
  --vendor NAME   ${DEMO_VENDORS.join(' | ')} (default ${DEFAULTS.vendor})
  --scale X       sandbox data volume (default ${DEFAULT_SCALE}: about 5,500 Leapsome records; 1 doubles it;
                  ${DEMO_SCALES})
  --seed N        sandbox data seed (default ${DEFAULTS.seed})
  --rps N         the connector's requests_per_second (default ${DEFAULTS.requestsPerSecond}, the most
                  its config allows); 0 keeps the vendor's documented limit (Leapsome 20/s)
  --out DIR       where config, catalog, messages and states go (default ./demo-output)
  --help          this text
`;

export function parseDemoArgs(argv: string[], root: string): DemoOptions | 'help' {
  const options: DemoOptions = { ...DEFAULTS, outDir: resolve(root, 'demo-output') };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--help' || token === '-h') return 'help';
    const [flag, inline] = token.split(/=(.*)/s, 2) as [string, string | undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--vendor':
        if (!(DEMO_VENDORS as readonly string[]).includes(value)) throw new Error(`--vendor must be one of ${DEMO_VENDORS.join(', ')}, got "${value}"`);
        options.vendor = value as Vendor;
        break;
      case '--scale':
        options.scale = positive(flag, value);
        break;
      case '--seed':
        options.seed = Math.trunc(finite(flag, value));
        break;
      case '--rps': {
        const rps = finite(flag, value);
        if (rps < 0 || rps > 100) throw new Error('--rps must be between 0 and 100 (the connector config caps it at 100)');
        options.requestsPerSecond = rps === 0 ? undefined : rps;
        break;
      }
      case '--out':
        options.outDir = resolve(value);
        break;
      default:
        throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  return options;
}

function finite(flag: string, value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new Error(`${flag} expects a number, got "${value}"`);
  return n;
}

function positive(flag: string, value: string): number {
  const n = finite(flag, value);
  if (n <= 0) throw new Error(`${flag} must be positive, got "${value}"`);
  return n;
}
