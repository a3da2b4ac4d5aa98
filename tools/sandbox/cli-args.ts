import { type FlagDefinition, list, number } from './flags.js';
import { FAULT_KINDS, RATE_LIMIT_WINDOWS, type FaultKind, type RateLimitWindow, type SandboxOptions } from './options.js';
import { FAKES, MOUNT_NAMES, MOUNTS, RATE_LIMITED } from './registry.js';

type Flag = FlagDefinition<SandboxOptions>;

/** Limits that APIs' own gateways keep, for --help. */
const gatewayLimits = MOUNTS.flatMap(([, spec]) => (spec.gatewayLimits ? [spec.gatewayLimits] : []));
const VENDOR_NAMES = FAKES.map((fake) => fake.title).join(', ');

const faults = (o: SandboxOptions) => (o.faults ??= {});
const limits = (o: SandboxOptions) => (o.rateLimits ??= {});
/** `--churn-insert`/`--churn-delete` before `--churn` keep their value until it sets the period. */
const churn = (o: SandboxOptions) => (o.churn ??= { everyRequests: 0 });

/** The sandbox's own flags; each fake adds its own (`FakeOptions.flags`). */
const COMMON_FLAGS: Flag[] = [
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
    apply: (o, v) => (faults(o).mounts = list('fault-mounts', v, MOUNT_NAMES)),
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
    help: `Answer 429 + Retry-After past each API's requests-per-second limit${gatewayLimits.length ? ` (${gatewayLimits.join('; ')})` : ''}.`,
    apply: (o) => (limits(o).enforce = true),
  },
  {
    name: 'rate-limit-window',
    value: 'sliding|fixed',
    help: 'How enforced limits count every request received, 429s included: in any 1000 ms (default) or per clock second.',
    apply: (o, v) => (limits(o).window = list('rate-limit-window', v, RATE_LIMIT_WINDOWS)[0] as RateLimitWindow),
  },
  ...RATE_LIMITED.map(
    ([mount, limit]): Flag => ({
      name: `rate-limit-${mount}`,
      value: 'N',
      help: `${limit.api} requests/s when enforced. Default ${limit.default} (${limit.documented ? 'documented' : 'undocumented'}).`,
      apply: (o, v) => (limits(o)[mount] = number(`rate-limit-${mount}`, v, { min: 1 })),
    }),
  ),
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
];

/** Every flag: the sandbox's own, then each fake's, in the registry's order. */
const FLAGS: readonly Flag[] = [...COMMON_FLAGS, ...FAKES.flatMap((fake): readonly Flag[] => fake.options.flags)];
for (const [i, flag] of FLAGS.entries()) if (FLAGS.findIndex((f) => f.name === flag.name) !== i) throw new Error(`two sandbox flags are named --${flag.name}`);

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
    `Starts the vendor API sandbox (${VENDOR_NAMES}) on 127.0.0.1`,
    'and runs until SIGINT or SIGTERM. See docs/sandbox.md.',
    '',
    'Flags:',
    ...rows.map(([l, h]) => `  ${l.padEnd(width)}${h}`),
    `  ${'--help'.padEnd(width)}Show this text.`,
    '',
  ].join('\n');
}
