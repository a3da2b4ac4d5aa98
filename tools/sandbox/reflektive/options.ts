import { type FlagDefinition, list, number } from '../flags.js';
import type { FakeOptions } from '../vendor.js';

export interface ReflektiveOptions {
  /** Emit `&page=N` links instead of the documented `?created_after=N?page=2`. Default false. */
  wellFormedLinks?: boolean;
  /** How many calibration-report cycles exist. Default 3. */
  calibrationCycles?: number;
  /** Cycle uuids whose report tasks end in `failed`. */
  failingCycles?: string[];
  /** Polls answered `pending` before a task completes. Default 2. */
  reportPendingPolls?: number;
  /** Minimum milliseconds a task stays `pending`. Default 0. */
  reportPendingMs?: number;
  /** Lifetime of a report download link. Default 900 (15 minutes, as documented). */
  reportLinkTtlSeconds?: number;
  /** Report file format. Default 'csv'. */
  reportFormat?: 'csv' | 'json';
}

export type ResolvedReflektive = Required<ReflektiveOptions>;

/** The Reflektive fake's field of `SandboxOptions`. */
export interface ReflektiveFakeOptions {
  reflektive?: ReflektiveOptions;
}

const refl = (o: ReflektiveFakeOptions) => (o.reflektive ??= {});

const flags: FlagDefinition<ReflektiveFakeOptions>[] = [
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
];

export const reflektiveOptions: FakeOptions<ReflektiveFakeOptions, ResolvedReflektive> = {
  resolve: ({ reflektive: r = {} }) => ({
    wellFormedLinks: r.wellFormedLinks ?? false,
    calibrationCycles: r.calibrationCycles ?? 3,
    failingCycles: r.failingCycles ?? [],
    reportPendingPolls: r.reportPendingPolls ?? 2,
    reportPendingMs: r.reportPendingMs ?? 0,
    reportLinkTtlSeconds: r.reportLinkTtlSeconds ?? 900,
    reportFormat: r.reportFormat ?? 'csv',
  }),
  flags,
};
