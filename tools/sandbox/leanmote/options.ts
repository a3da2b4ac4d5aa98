import { type FlagDefinition, list, number, share } from '../flags.js';
import type { FakeOptions } from '../vendor.js';
import { LEANMOTE_KEYS } from './keys.js';

/** The Leanmote fake's fields of `SandboxOptions`. */
export interface LeanmoteFakeOptions {
  /**
   * Leanmote's windows (100 requests per minute, 1000 per hour) multiplied by this factor, so tests
   * need not wait for real minutes: 0.01 gives 100 per 0.6 s and 1000 per 36 s, and moves
   * `X-RateLimit-Reset` accordingly. Default 1.
   */
  leanmoteWindowScale?: number;
  /**
   * Share (0–1) of Leanmote's hourly quota another client of the same account spends: that much of
   * the window is already used when the first request arrives, and it keeps being used at a steady
   * pace, so `X-RateLimit-Remaining` is lower than a client's own count. Default 0.
   */
  leanmoteSharedQuota?: number;
  /**
   * Whether the Leanmote git repository, commit and pull-request routes exist (the overview lists
   * them, the route table does not). False: they answer 404 as for an account without them. Default true.
   */
  leanmoteGitRoutes?: boolean;
  /** Leanmote connector streams whose endpoints answer 403 FORBIDDEN. Default none. */
  leanmoteForbidden?: string[];
}

export interface ResolvedLeanmote {
  windowScale: number;
  sharedQuota: number;
  gitRoutes: boolean;
  forbidden: ReadonlySet<string>;
}

const STREAMS = Object.keys(LEANMOTE_KEYS);

const flags: FlagDefinition<LeanmoteFakeOptions>[] = [
  {
    name: 'leanmote-window-scale',
    value: 'X',
    help: "Multiply Leanmote's rate-limit windows (and X-RateLimit-Reset): 0.01 = 100 per 0.6 s, 1000 per 36 s. Default 1.",
    apply: (o, v) => (o.leanmoteWindowScale = number('leanmote-window-scale', v, { min: 0.000001 })),
  },
  {
    name: 'leanmote-shared-quota',
    value: 'SHARE',
    help: "Share (0-1) of Leanmote's hourly quota another client spends: used at start, then steadily. Default 0.",
    apply: (o, v) => (o.leanmoteSharedQuota = number('leanmote-shared-quota', v, { min: 0, max: 1 })),
  },
  {
    name: 'leanmote-no-git-routes',
    help: 'Leanmote git repository, commit and pull-request routes answer 404, as for an account without them.',
    apply: (o) => (o.leanmoteGitRoutes = false),
  },
  {
    name: 'leanmote-forbidden',
    value: 'LIST',
    help: 'Leanmote streams whose endpoints answer 403 FORBIDDEN (e.g. team_managers,interactions).',
    apply: (o, v) => (o.leanmoteForbidden = list('leanmote-forbidden', v, STREAMS)),
  },
];

export const leanmoteOptions: FakeOptions<LeanmoteFakeOptions, ResolvedLeanmote> = {
  resolve: (options) => {
    const windowScale = options.leanmoteWindowScale ?? 1;
    if (!(windowScale > 0 && Number.isFinite(windowScale))) throw new Error(`leanmoteWindowScale must be a positive number, got ${windowScale}`);
    const forbidden = new Set(options.leanmoteForbidden ?? []);
    for (const stream of forbidden) if (!LEANMOTE_KEYS[stream]) throw new Error(`leanmoteForbidden: unknown stream "${stream}" (one of ${STREAMS.join(', ')})`);
    return {
      windowScale,
      sharedQuota: share('leanmoteSharedQuota', options.leanmoteSharedQuota),
      gitRoutes: options.leanmoteGitRoutes ?? true,
      forbidden,
    };
  },
  flags,
};
