import { Churn } from '../churn.js';
import type { ResolvedOptions } from '../options.js';
import { Rng } from '../random.js';
import { FilterCache } from '../table.js';
import { isoMicros } from '../time.js';
import { changes, defineFake, keyString, type DataRecord, type VendorChanges, type VendorModule } from '../vendor.js';
import { PE365_CREDENTIALS } from './credentials.js';
import { Pe365Data } from './data.js';
import { PE365_PREFIX, pe365Mount } from './routes.js';

export const PE365_KEYS: Record<string, readonly string[]> = {
  users: ['api_id'],
  departments: ['api_id'],
  goals: ['api_id'],
  checkins: ['api_id'],
  questions: ['api_id'],
  question_responses: ['api_id'],
  recognitions: ['api_id'],
  conversations: ['api_id'],
  conversation_templates: ['api_id'],
  conversation_plans: ['api_id'],
};

const key = (record: DataRecord) => keyString(['api_id'], record);

function* pe365Truth(d: Pe365Data, stream: string): Generator<DataRecord> {
  switch (stream) {
    case 'users':
      for (let i = 0; i < d.users.size; i++) if (!d.users.isDeleted(i)) yield d.user(i);
      return;
    case 'departments':
      yield* d.departments.all();
      return;
    case 'goals':
      yield* d.goals.all();
      return;
    case 'checkins':
      for (let i = 0; i < d.checkins.size; i++) if (!d.checkins.isDeleted(i)) yield d.checkin(i);
      return;
    case 'questions':
      yield* d.questions.all();
      return;
    case 'question_responses':
      for (let q = 0; q < d.questions.size; q++) {
        if (d.questions.isDeleted(q)) continue;
        const question_api_id = d.questions.get(q)['api_id'];
        for (const r of d.responses.list(q)) yield { ...r, question_api_id };
      }
      return;
    case 'recognitions':
      for (let q = 0; q < d.questions.size; q++) {
        if (d.questions.isDeleted(q) || !d.isRecognitionQuestion(q)) continue;
        for (let r = 0; r < d.responses.count(q); r++) yield d.recognition(q, r);
      }
      return;
    case 'conversations':
      yield* d.conversations.all();
      return;
    case 'conversation_templates':
      yield* d.templates.all();
      return;
    case 'conversation_plans':
      yield* d.plans.all();
      return;
    default:
      throw new Error(`unknown pe365 stream: ${stream}`);
  }
}

/**
 * Check-ins: overdue ones get submitted today and ad-hoc ones are added (both visible to a
 * `date_from` of today). Conversations and templates: `updated_date` bumped, new ones generated.
 */
function mutatePe365(d: Pe365Data, rng: Rng, now: number, updates: number, inserts: number): VendorChanges {
  const out: VendorChanges = { checkins: changes(), conversations: changes(), conversation_templates: changes() };
  const stamp = isoMicros(now);
  let submitted = 0;
  for (let tries = 0; submitted < updates && tries < updates * 100; tries++) {
    const i = rng.int(d.checkins.size);
    if (d.checkins.get(i).submissionMs !== null) continue;
    d.checkins.update(i, (c) => ({ ...c, submissionMs: now, onVacation: false }));
    out['checkins']?.updated.push(key(d.checkin(i)));
    submitted++;
  }
  for (let k = 0; k < inserts; k++) {
    const i = d.checkins.insert(d.generateCheckin(d.checkins.size, now));
    out['checkins']?.inserted.push(key(d.checkin(i)));
  }
  const seen = new Set<number>();
  for (let k = 0; k < updates; k++) {
    const i = rng.int(d.conversations.size);
    if (seen.has(i)) continue;
    seen.add(i);
    const c = d.conversations.update(i, (r) => ({
      ...r,
      status: 'final',
      stage_name: 'Sign-off',
      completed_date: r['completed_date'] ?? stamp,
      updated_date: stamp,
    }));
    out['conversations']?.updated.push(key(c));
  }
  for (let k = 0; k < inserts; k++) {
    const i = d.conversations.insert(d.generateConversation(d.conversations.size, now));
    out['conversations']?.inserted.push(key(d.conversations.get(i)));
  }
  seen.clear();
  for (let k = 0; k < updates; k++) {
    const i = rng.int(d.templates.size);
    if (seen.has(i)) continue;
    seen.add(i);
    const t = d.templates.update(i, (r) => ({ ...r, active: !(r['active'] as boolean) && !(r['deleted'] as boolean), updated_date: stamp }));
    out['conversation_templates']?.updated.push(key(t));
  }
  for (let k = 0; k < inserts; k++) {
    const i = d.templates.insert(d.generateTemplate(d.templates.size, now));
    out['conversation_templates']?.inserted.push(key(d.templates.get(i)));
  }
  return out;
}

export function createPe365(options: ResolvedOptions): VendorModule<'pe365', 'pe365'> {
  const data = new Pe365Data(options.seed, options.scale);
  const cache = new FilterCache();
  const churn = new Churn(options.churn, options.seed, 'pe365');
  return {
    vendor: 'pe365',
    mounts: [pe365Mount(data, cache, churn)],
    churned: () => churn.counts,
    primaryKeys: PE365_KEYS,
    truth: (stream) => pe365Truth(data, stream),
    mutate: (round, now, updates, inserts) => {
      const result = mutatePe365(data, Rng.of(options.seed, 'pe365-mutate', round), now, updates, inserts);
      cache.clear();
      return result;
    },
  };
}

export const pe365Fake = defineFake({
  vendor: 'pe365',
  title: 'PE365',
  create: createPe365,
  primaryKeys: PE365_KEYS,
  mountPaths: { pe365: PE365_PREFIX },
  mounts: { pe365: { requestsPerSecond: { default: 10, api: 'PE365', documented: false } } },
  credentials: PE365_CREDENTIALS,
  // Nothing of its own to set.
  options: { resolve: () => ({}), flags: [] },
  // `date_from` filters check-ins by whole days and returns no unsubmitted ones.
  streamFacts: {
    checkins: { cursorGranularity: 'day', unsetCursorExcluded: true },
    conversations: { unsetCursorExcluded: true },
    conversation_templates: { unsetCursorExcluded: true },
  },
  platform: (sb) => ({ vendor: 'pe365', username: PE365_CREDENTIALS.username, api_key: PE365_CREDENTIALS.apiKey, base_url: sb.mounts.pe365 }),
  banner: (sb) => [['pe365', `${sb.mounts.pe365}  (Basic ${PE365_CREDENTIALS.username}:${PE365_CREDENTIALS.apiKey})`]],
});
