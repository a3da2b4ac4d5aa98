import {
  FAULT_KINDS,
  LEAPSOME_PERMISSIONS,
  MOUNT_NAMES,
  RATE_LIMIT_WINDOWS,
  type FaultKind,
  type LeapsomePermission,
  type MountName,
  type RateLimitWindow,
  type SandboxOptions,
} from './options.js';
import { LEANMOTE_KEYS } from './leanmote/index.js';

interface Flag {
  name: string;
  value?: string;
  help: string;
  apply(options: SandboxOptions, value: string): void;
}

function number(flag: string, value: string, { min = -Infinity, max = Infinity, integer = false } = {}): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max || (integer && !Number.isInteger(n))) {
    throw new Error(
      `--${flag} expects ${integer ? 'an integer' : 'a number'}${min > -Infinity ? ` >= ${min}` : ''}${max < Infinity ? ` <= ${max}` : ''}, got "${value}"`,
    );
  }
  return n;
}

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new Error(`--${flag}: "${item}" is not one of ${allowed.join(', ')}`);
  return items as T[];
}

const faults = (o: SandboxOptions) => (o.faults ??= {});
const limits = (o: SandboxOptions) => (o.rateLimits ??= {});
const refl = (o: SandboxOptions) => (o.reflektive ??= {});
/** `--churn-insert`/`--churn-delete` before `--churn` keep their value until it sets the period. */
const churn = (o: SandboxOptions) => (o.churn ??= { everyRequests: 0 });

const FLAGS: Flag[] = [
  {
    name: 'port',
    value: 'N',
    help: 'TCP port on 127.0.0.1 (0 = any free port). Default 0.',
    apply: (o, v) => (o.port = number('port', v, { min: 0, max: 65535, integer: true })),
  },
  { name: 'seed', value: 'N', help: 'Data seed; same seed, same data. Default 42.', apply: (o, v) => (o.seed = number('seed', v, { integer: true })) },
  {
    name: 'scale',
    value: 'X',
    help: 'Data volume factor. 1 = tens to hundreds of records per stream (default); 1000 ≈ millions.',
    apply: (o, v) => (o.scale = number('scale', v, { min: 0.001 })),
  },
  {
    name: 'token-ttl',
    value: 'SECONDS',
    help: 'Lifetime of Leapsome JWTs from GET /token. Default 18000.',
    apply: (o, v) => (o.tokenTtlSeconds = number('token-ttl', v, { min: 0.001 })),
  },
  {
    name: 'fault-429',
    value: 'SHARE',
    help: 'Share (0-1) of vendor requests answered 429 with Retry-After.',
    apply: (o, v) => (faults(o).rate429 = number('fault-429', v, { min: 0, max: 1 })),
  },
  {
    name: 'retry-after',
    value: 'SECONDS',
    help: 'Retry-After of injected 429s. Default 1; 0 is allowed.',
    apply: (o, v) => (faults(o).retryAfterSeconds = number('retry-after', v, { min: 0, integer: true })),
  },
  {
    name: 'fault-5xx',
    value: 'SHARE',
    help: 'Share answered 500 (API error body), 502 or 503 (HTML from the proxy).',
    apply: (o, v) => (faults(o).error5xx = number('fault-5xx', v, { min: 0, max: 1 })),
  },
  {
    name: 'fault-drop',
    value: 'SHARE',
    help: 'Share whose connection is destroyed before any response.',
    apply: (o, v) => (faults(o).drop = number('fault-drop', v, { min: 0, max: 1 })),
  },
  {
    name: 'fault-truncate',
    value: 'SHARE',
    help: 'Share whose body stops half-way (socket reset or short chunked body).',
    apply: (o, v) => (faults(o).truncate = number('fault-truncate', v, { min: 0, max: 1 })),
  },
  {
    name: 'fail-first',
    value: 'N',
    help: 'The first N vendor requests fail (kind: --fail-first-kind).',
    apply: (o, v) => (faults(o).failFirst = number('fail-first', v, { min: 0, integer: true })),
  },
  {
    name: 'fail-first-kind',
    value: 'KIND',
    help: `Fault of --fail-first: ${FAULT_KINDS.join(', ')}. Default 5xx.`,
    apply: (o, v) => (faults(o).failFirstKind = list('fail-first-kind', v, FAULT_KINDS)[0] as FaultKind),
  },
  {
    name: 'faults-after',
    value: 'N',
    help: 'Fault shares apply only after N vendor requests.',
    apply: (o, v) => (faults(o).after = number('faults-after', v, { min: 0, integer: true })),
  },
  {
    name: 'max-faults',
    value: 'N',
    help: 'Stop injecting after N faults.',
    apply: (o, v) => (faults(o).maxFaults = number('max-faults', v, { min: 0, integer: true })),
  },
  {
    name: 'fault-mounts',
    value: 'LIST',
    help: `Only fault these mounts: ${MOUNT_NAMES.join(', ')}. Default all.`,
    apply: (o, v) => (faults(o).mounts = list('fault-mounts', v, MOUNT_NAMES) as MountName[]),
  },
  {
    name: 'latency',
    value: 'MS|MIN-MAX',
    help: 'Delay before each vendor response: fixed or a random range.',
    apply: (o, v) => {
      const m = /^(\d+)(?:-(\d+))?$/.exec(v.trim());
      if (!m || (m[2] !== undefined && Number(m[2]) < Number(m[1]))) throw new Error(`--latency expects MS or MIN-MAX, got "${v}"`);
      o.latencyMs = m[2] === undefined ? Number(m[1]) : [Number(m[1]), Number(m[2])];
    },
  },
  {
    name: 'enforce-rate-limits',
    help: "Answer 429 + Retry-After past each API's requests-per-second limit (Leanmote: 100 per minute, 1000 per hour).",
    apply: (o) => (limits(o).enforce = true),
  },
  {
    name: 'rate-limit-window',
    value: 'sliding|fixed',
    help: 'How enforced limits count every request received, 429s included: in any 1000 ms (default) or per clock second.',
    apply: (o, v) => (limits(o).window = list('rate-limit-window', v, RATE_LIMIT_WINDOWS)[0] as RateLimitWindow),
  },
  {
    name: 'rate-limit-leapsome',
    value: 'N',
    help: 'Leapsome Content API requests/s when enforced. Default 20 (documented).',
    apply: (o, v) => (limits(o).leapsome = number('rate-limit-leapsome', v, { min: 1 })),
  },
  {
    name: 'rate-limit-scim',
    value: 'N',
    help: 'Leapsome SCIM requests/s when enforced. Default 30 (documented).',
    apply: (o, v) => (limits(o).scim = number('rate-limit-scim', v, { min: 1 })),
  },
  {
    name: 'rate-limit-reflektive',
    value: 'N',
    help: 'Reflektive requests/s when enforced. Default 10 (undocumented).',
    apply: (o, v) => (limits(o).reflektive = number('rate-limit-reflektive', v, { min: 1 })),
  },
  {
    name: 'rate-limit-pe365',
    value: 'N',
    help: 'PE365 requests/s when enforced. Default 10 (undocumented).',
    apply: (o, v) => (limits(o).pe365 = number('rate-limit-pe365', v, { min: 1 })),
  },
  {
    name: 'forbidden',
    value: 'LIST',
    help: `Leapsome permissions the key lacks (403): ${LEAPSOME_PERMISSIONS.join(', ')}.`,
    apply: (o, v) => (o.forbidden = list('forbidden', v, LEAPSOME_PERMISSIONS) as LeapsomePermission[]),
  },
  {
    name: 'reviews-max-page-size',
    value: 'N',
    help: 'Silent cap on Leapsome review/participant pageSize (0 = none). Default 100.',
    apply: (o, v) => (o.leapsomeReviewsMaxPageSize = number('reviews-max-page-size', v, { min: 0, integer: true })),
  },
  {
    name: 'page-cap',
    value: 'N',
    help: 'Silent cap on the page size of every paginated endpoint of every vendor (0 = none). Default 0.',
    apply: (o, v) => (o.pageCap = number('page-cap', v, { min: 0, integer: true })),
  },
  {
    name: 'churn',
    value: 'N',
    help: 'Every N list requests, delete records placed before the offset of the request at hand just before serving it, and insert records before that offset just after (see --churn-insert, --churn-delete).',
    apply: (o, v) => (churn(o).everyRequests = number('churn', v, { min: 1, integer: true })),
  },
  {
    name: 'churn-insert',
    value: 'K',
    help: 'Records --churn inserts per round. Default 1.',
    apply: (o, v) => (churn(o).insert = number('churn-insert', v, { min: 0, integer: true })),
  },
  {
    name: 'churn-delete',
    value: 'K',
    help: 'Records --churn deletes per round. Default 1.',
    apply: (o, v) => (churn(o).delete = number('churn-delete', v, { min: 0, integer: true })),
  },
  {
    name: 'reflektive-well-formed-links',
    help: 'Emit "&page=N" links instead of the documented "?created_after=N?page=2".',
    apply: (o) => (refl(o).wellFormedLinks = true),
  },
  {
    name: 'calibration-cycles',
    value: 'N',
    help: 'Number of Reflektive review cycles with calibration reports. Default 3.',
    apply: (o, v) => (refl(o).calibrationCycles = number('calibration-cycles', v, { min: 0, integer: true })),
  },
  {
    name: 'report-fail-cycle',
    value: 'UUID',
    help: 'A cycle uuid whose report task ends "failed" (repeatable, or comma list).',
    apply: (o, v) =>
      (refl(o).failingCycles = [
        ...(refl(o).failingCycles ?? []),
        ...v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
      ]),
  },
  {
    name: 'report-pending-polls',
    value: 'N',
    help: 'Task polls answered "pending" before "completed". Default 2.',
    apply: (o, v) => (refl(o).reportPendingPolls = number('report-pending-polls', v, { min: 0, integer: true })),
  },
  {
    name: 'report-pending-ms',
    value: 'MS',
    help: 'Minimum time a task stays "pending". Default 0.',
    apply: (o, v) => (refl(o).reportPendingMs = number('report-pending-ms', v, { min: 0 })),
  },
  {
    name: 'report-link-ttl',
    value: 'SECONDS',
    help: 'Lifetime of report download links. Default 900 (documented 15 minutes).',
    apply: (o, v) => (refl(o).reportLinkTtlSeconds = number('report-link-ttl', v, { min: 0 })),
  },
  {
    name: 'report-format',
    value: 'csv|json',
    help: 'Calibration report file format. Default csv.',
    apply: (o, v) => (refl(o).reportFormat = list('report-format', v, ['csv', 'json'] as const)[0] as 'csv'),
  },
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
    apply: (o, v) => (o.leanmoteForbidden = list('leanmote-forbidden', v, Object.keys(LEANMOTE_KEYS))),
  },
];

export type CliCommand = { kind: 'help' } | { kind: 'run'; options: SandboxOptions };

/** Parses `--flag value` and `--flag=value`; throws with a readable message on anything unknown. */
export function parseArgs(argv: readonly string[]): CliCommand {
  const options: SandboxOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(arg);
    const flag = m ? FLAGS.find((f) => f.name === m[1]) : undefined;
    if (!m || !flag) throw new Error(`unknown argument "${arg}" (see --help)`);
    if (!flag.value) {
      if (m[2] !== undefined) throw new Error(`--${flag.name} takes no value`);
      flag.apply(options, '');
      continue;
    }
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${flag.name} needs a value (${flag.value})`);
    flag.apply(options, value);
  }
  if (options.churn && options.churn.everyRequests === 0) throw new Error('--churn-insert and --churn-delete need --churn N');
  return { kind: 'run', options };
}

export function helpText(): string {
  const rows = FLAGS.map((f) => [`--${f.name}${f.value ? ` ${f.value}` : ''}`, f.help] as const);
  const width = Math.max(...rows.map(([l]) => l.length)) + 2;
  return [
    'Usage: npm run sandbox -- [flags]',
    '',
    'Starts the vendor API sandbox (Leapsome Content + SCIM, Reflektive, PE365, Leanmote) on 127.0.0.1',
    'and runs until SIGINT or SIGTERM. See docs/sandbox.md.',
    '',
    'Flags:',
    ...rows.map(([l, h]) => `  ${l.padEnd(width)}${h}`),
    `  ${'--help'.padEnd(width)}Show this text.`,
    '',
  ].join('\n');
}
