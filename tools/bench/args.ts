/** The benchmark's command line. */

export type Scenario = 'throughput' | 'child' | 'fanout';
export const SCENARIOS: readonly Scenario[] = ['throughput', 'child', 'fanout'];

export type FanoutVendor = 'leapsome' | 'pe365';
export const FANOUT_VENDORS: readonly FanoutVendor[] = ['leapsome', 'pe365'];

export interface Options {
  scenarios: Scenario[];
  stream: string;
  records: number;
  scale: number | undefined;
  smallRecords: number;
  childStream: string;
  childRecords: number;
  rps: number;
  pageSize: number;
  concurrency: number;
  floor: boolean;
  /** Runs of the connector and of the floor, one after the other, in the throughput section. */
  pairs: number;
  fanoutVendors: FanoutVendor[];
  fanoutSize: number;
  latencyMs: number;
  seed: number;
  /** Where the JSON document goes: a file, '-' for stdout, or nowhere. */
  json: string | undefined;
  strict: boolean;
}

export const HELP = `Usage: npm run bench [-- options]

Scenarios (all three by default):
  --scenario LIST       comma list of: throughput, child, fanout

throughput: one large Leapsome stream, the connector against a fetch-and-discard floor on the same pages
  --stream NAME         the stream (default timesheets)
  --records N           records to aim for; sets the sandbox scale (default 1000000)
  --scale X             sandbox scale, instead of --records
  --small-records N     the small read that memory must stay flat from (default 10000; also for child)
  --no-floor            skip the floor loop
  --pairs N             connector and floor runs, taken in turn (default 3): the machine's speed drifts
                        between two runs, so the figures come from the pair with the median ratio
child: a child stream's memory, small and large
  --child-stream NAME   (default payroll_cycle_participants)
  --child-records N     (default 1000000)
  (throughput and child) --rps N (default 100), --page-size N (default 1000), --concurrency N (default 8)
fanout: parent → child reads at 100 ms latency against an enforced sliding-window limit, default config
  --fanout-vendors LIST leapsome, pe365 (default both)
  --fanout-size X       multiplies the fan-out sandbox scales (default 1: about 700 and 115 requests)
  --latency MS          added to every sandbox response (default 100)

  --seed N              sandbox seed (default 42)
  --json [FILE]         write every figure as one JSON document to FILE; without FILE (or "-") to
                        stdout, the progress then going to stderr
  --strict              exit 2 when a target is not met (a failed run exits 1 regardless)
`;

function list<T extends string>(flag: string, value: string, allowed: readonly T[]): T[] {
  const items = value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new Error(`${flag}: "${item}" is not one of ${allowed.join(', ')}`);
  if (items.length === 0) throw new Error(`${flag} needs at least one of ${allowed.join(', ')}`);
  return [...new Set(items)] as T[];
}

export function parseArgs(argv: readonly string[]): Options | 'help' {
  const options: Options = {
    scenarios: [...SCENARIOS],
    stream: 'timesheets',
    records: 1_000_000,
    scale: undefined,
    smallRecords: 10_000,
    childStream: 'payroll_cycle_participants',
    childRecords: 1_000_000,
    rps: 100,
    pageSize: 1000,
    concurrency: 8,
    floor: true,
    pairs: 3,
    fanoutVendors: [...FANOUT_VENDORS],
    fanoutSize: 1,
    latencyMs: 100,
    seed: 42,
    json: undefined,
    strict: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = (argv[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === '--help' || flag === '-h') return 'help';
    if (flag === '--strict' || flag === '--no-floor') {
      if (flag === '--strict') options.strict = true;
      else options.floor = false;
      continue;
    }
    if (flag === '--json') {
      const next = argv[i + 1];
      const takesNext = inline === undefined && next !== undefined && !next.startsWith('--');
      options.json = inline ?? (takesNext ? next : '-');
      if (takesNext) i++;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    const n = Number(value);
    const positive = () => {
      if (!(Number.isFinite(n) && n > 0)) throw new Error(`${flag} expects a positive number, got "${value}"`);
      return n;
    };
    if (flag === '--scenario') options.scenarios = list(flag, value, SCENARIOS);
    else if (flag === '--stream') options.stream = value;
    else if (flag === '--records') options.records = positive();
    else if (flag === '--pairs') options.pairs = Math.max(1, Math.min(9, Math.trunc(positive())));
    else if (flag === '--scale') options.scale = positive();
    else if (flag === '--small-records') options.smallRecords = positive();
    else if (flag === '--child-stream') options.childStream = value;
    else if (flag === '--child-records') options.childRecords = positive();
    else if (flag === '--rps') options.rps = Math.min(100, positive());
    else if (flag === '--page-size') options.pageSize = Math.max(1, Math.min(1000, Math.trunc(positive())));
    else if (flag === '--concurrency') options.concurrency = Math.max(1, Math.min(32, Math.trunc(positive())));
    else if (flag === '--fanout-vendors') options.fanoutVendors = list(flag, value, FANOUT_VENDORS);
    else if (flag === '--fanout-size') options.fanoutSize = positive();
    else if (flag === '--latency') {
      if (!(Number.isInteger(n) && n >= 0)) throw new Error(`--latency expects whole milliseconds >= 0, got "${value}"`);
      options.latencyMs = n;
    } else if (flag === '--seed') options.seed = Math.trunc(n);
    else throw new Error(`unknown option ${flag} (see --help)`);
  }
  return options;
}
