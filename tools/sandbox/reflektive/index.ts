import { Churn } from '../churn.js';
import type { ResolvedOptions } from '../options.js';
import { changes, defineFake, keyString, type DataRecord, type FakeSandboxView, type VendorModule } from '../vendor.js';
import { REFLEKTIVE_CREDENTIALS } from './credentials.js';
import { ReflektiveData } from './data.js';
import { reflektiveOptions, type ResolvedReflektive } from './options.js';
import { asCsvRow, Reports } from './reports.js';
import { REFLEKTIVE_PREFIX, reflektiveMount, reportsMount } from './routes.js';

export const REFLEKTIVE_KEYS: Record<string, readonly string[]> = {
  real_time_feedback_v1: ['uuid'],
  real_time_feedback_v2: ['uuid'],
  calibration_reports: ['cycle_uuid', 'row_number'],
};

export function createReflektive(options: ResolvedOptions, own: ResolvedReflektive): VendorModule<'reflektive', 'reflektive' | 'reports'> {
  const data = new ReflektiveData(options.seed, options.scale);
  const reports = new Reports(data, own);
  const churn = new Churn(options.churn, options.seed, 'reflektive');

  function* truth(stream: string): Generator<DataRecord> {
    switch (stream) {
      case 'real_time_feedback_v1':
      case 'real_time_feedback_v2':
        for (const f of data.feedback.all()) {
          if (stream === 'real_time_feedback_v2') yield data.v2(f);
          else if (f.recipients.length === 1) yield data.v1(f);
        }
        return;
      case 'calibration_reports':
        // Rows of every known cycle that can complete; CSV readers see strings, JSON keeps types.
        for (const cycle of reports.cycleUuids) {
          if (reports.isFailing(cycle)) continue;
          let n = 0;
          for (const row of reports.rows(cycle)) {
            const shaped = own.reportFormat === 'csv' ? asCsvRow(row) : row;
            yield { ...shaped, cycle_uuid: cycle, row_number: ++n };
          }
        }
        return;
      default:
        throw new Error(`unknown reflektive stream: ${stream}`);
    }
  }

  return {
    vendor: 'reflektive',
    mounts: [reflektiveMount(data, reports, own.wellFormedLinks, churn), reportsMount(reports)],
    churned: () => churn.counts,
    primaryKeys: REFLEKTIVE_KEYS,
    truth,
    // Feedback is immutable: a round only adds items, one of them team recognition when there are two or more.
    mutate: (_round, now, _updates, inserts) => {
      const v1 = changes();
      const v2 = changes();
      for (let k = 0; k < inserts; k++) {
        const team = inserts >= 2 && k === 0;
        const i = data.feedback.insert(data.generateFeedback(data.feedback.size, { sec: Math.floor(now / 1000), team }));
        const f = data.feedback.get(i);
        v2.inserted.push(keyString(['uuid'], { uuid: f.uuid }));
        if (!team) v1.inserted.push(keyString(['uuid'], { uuid: f.uuid }));
      }
      return { real_time_feedback_v1: v1, real_time_feedback_v2: v2 };
    },
    info: () => ({ calibrationCycleUuids: reports.cycleUuids, failingCycleUuids: own.failingCycles }),
  };
}

/** The calibration cycle uuids of a running sandbox (see `info`). */
const cycleUuids = (sb: FakeSandboxView<'reflektive'>): string[] => (sb.info()['reflektive'] as { calibrationCycleUuids: string[] }).calibrationCycleUuids;

export const reflektiveFake = defineFake({
  vendor: 'reflektive',
  title: 'Reflektive',
  create: createReflektive,
  primaryKeys: REFLEKTIVE_KEYS,
  mountPaths: { reflektive: REFLEKTIVE_PREFIX },
  mounts: {
    reflektive: { requestsPerSecond: { default: 10, api: 'Reflektive', documented: false } },
    // Report downloads come from a storage bucket, which the sandbox does not limit.
    reports: {},
  },
  credentials: REFLEKTIVE_CREDENTIALS,
  options: reflektiveOptions,
  // `created_after` counts whole seconds.
  streamFacts: {
    real_time_feedback_v1: { cursorGranularity: 'second', unsetCursorExcluded: true },
    real_time_feedback_v2: { cursorGranularity: 'second', unsetCursorExcluded: true },
  },
  platform: (sb) => ({
    vendor: 'reflektive',
    api_key: REFLEKTIVE_CREDENTIALS.apiKey,
    base_url: sb.mounts.reflektive,
    // Not listable through the API: the sandbox hands them out, a real account gets them from Reflektive.
    calibration_cycle_uuids: cycleUuids(sb),
  }),
  banner: (sb) => [
    ['reflektive', `${sb.mounts.reflektive}  (Authorization: Token token=${REFLEKTIVE_CREDENTIALS.apiKey})`],
    ['', `calibration cycle uuids: ${cycleUuids(sb).join(', ') || 'none'}`],
  ],
});
