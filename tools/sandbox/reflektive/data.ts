import { asciiSlug, personName } from '../names.js';
import { hash32, Rng, Uuids } from '../random.js';
import { Table, type IndexList } from '../table.js';
import { ANCHOR_MS, isoSeconds, YEAR } from '../time.js';
import type { DataRecord } from '../vendor.js';

const MESSAGES = [
  'Most impressive.',
  'Thanks for staying late to get the release out!',
  'Your presentation at the all-hands was brilliant.',
  'Danke für die schnelle Hilfe beim Kunden-Call 🙌',
  'Merci pour ton aide précieuse sur le projet « Atlas ».',
  'Great mentoring of the new hires this quarter.',
  'You turned a tough escalation into a happy customer.',
  'Gracias por coordinar el offsite — ¡todo salió perfecto!',
  'Team recognition: shipping SSO two weeks early 🚀',
  'Clean, well-documented PR — a pleasure to review.',
  'Thank you for covering my on-call shift.',
];

const FEEDBACK_SPAN_S = Math.floor((3 * YEAR) / 1000);
const FEEDBACK_FROM_S = Math.floor(ANCHOR_MS / 1000) - FEEDBACK_SPAN_S - 2 * 86400;

/**
 * Team recognition (several recipients) is every 7th generated item (index ≡ 3 mod 7), so the v1
 * view, which omits it, maps to indexes arithmetically instead of by scanning.
 */
const TEAM_PERIOD = 7;
const TEAM_RESIDUE = 3;

export function reflektiveCounts(scale: number) {
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  return { employees: Math.max(8, n(120)), feedback: n(480) };
}

export interface Feedback {
  index: number;
  uuid: string;
  sender: number;
  recipients: number[];
  content: string;
  createdSec: number;
}

/** Reflektive's feedback store; v1 and v2 are two views of it. */
export class ReflektiveData {
  readonly counts: ReturnType<typeof reflektiveCounts>;
  readonly employees: Table<DataRecord>;
  readonly feedback: Table<Feedback>;
  private readonly feedbackIds: Uuids;

  constructor(
    readonly seed: number,
    scale: number,
  ) {
    this.counts = reflektiveCounts(scale);
    const employeeIds = new Uuids(seed, 'reflektive:employee');
    this.feedbackIds = new Uuids(seed, 'reflektive:feedback');
    this.employees = new Table(
      this.counts.employees,
      (i) => {
        const name = personName(seed, 'reflektive', i);
        const slug = `${asciiSlug(name.first)}.${asciiSlug(name.last)}`;
        return {
          uuid: employeeIds.make(i),
          email: `${slug}${i >= 2500 ? Math.floor(i / 2500) : ''}@example-refl.com`,
          name: name.full,
          photo: hash32(seed, 'photo', i) % 10 < 7 ? `https://www.example.com/photos/${slug}.jpg` : null,
        };
      },
      65536,
    );
    this.feedback = new Table(this.counts.feedback, (i) => this.generateFeedback(i, undefined));
  }

  /** Creation second of generated item i: non-decreasing in i, so time windows are index ranges. */
  createdSec(i: number): number {
    const slot = FEEDBACK_SPAN_S / this.counts.feedback;
    return FEEDBACK_FROM_S + Math.floor(i * slot + ((hash32(this.seed, 'rtf-t', i) % 1000) / 1000) * slot * 0.9);
  }

  isTeam(i: number): boolean {
    return i < this.feedback.baseCount ? i % TEAM_PERIOD === TEAM_RESIDUE : this.feedback.get(i).recipients.length > 1;
  }

  /** Feedback i; `createdSec` marks one sent during a mutation; `team` forces team recognition. */
  generateFeedback(i: number, created: { sec: number; team: boolean } | undefined): Feedback {
    const rng = Rng.of(this.seed, 'reflektive-feedback', i);
    const n = this.counts.employees;
    const team = created ? created.team : i % TEAM_PERIOD === TEAM_RESIDUE;
    const sender = rng.int(n);
    const recipients: number[] = [];
    const want = team ? 2 + rng.int(4) : 1;
    while (recipients.length < want) {
      const r = rng.int(n);
      if (r !== sender && !recipients.includes(r)) recipients.push(r);
    }
    return {
      index: i,
      uuid: this.feedbackIds.make(i),
      sender,
      recipients,
      content: rng.pick(MESSAGES),
      createdSec: created ? created.sec : this.createdSec(i),
    };
  }

  v2(f: Feedback): DataRecord {
    return {
      uuid: f.uuid,
      sender: this.employees.get(f.sender),
      recipients: f.recipients.map((r) => this.employees.get(r)),
      content: f.content,
      created_at: isoSeconds(f.createdSec * 1000),
    };
  }

  v1(f: Feedback): DataRecord {
    return {
      uuid: f.uuid,
      sender: this.employees.get(f.sender),
      recipient: this.employees.get(f.recipients[0] as number),
      content: f.content,
      created_at: isoSeconds(f.createdSec * 1000),
    };
  }

  /** Generated items in the window after < created ≤ before, as an index range [lo, hi). */
  private baseWindow(afterSec: number, beforeSec: number): [number, number] {
    const n = this.feedback.baseCount;
    const first = (pred: (i: number) => boolean) => {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (pred(mid)) hi = mid;
        else lo = mid + 1;
      }
      return lo;
    };
    return [first((i) => this.createdSec(i) > afterSec), first((i) => this.createdSec(i) > beforeSec)];
  }

  /** Indexes of v1 (`single`) or v2 items in a window, ascending by creation. */
  window(afterSec: number, beforeSec: number, singleOnly: boolean): IndexList {
    const [lo, hi] = this.baseWindow(afterSec, beforeSec);
    const extra: number[] = [];
    for (let i = this.feedback.baseCount; i < this.feedback.size; i++) {
      const f = this.feedback.get(i);
      if (f.createdSec > afterSec && f.createdSec <= beforeSec && (!singleOnly || f.recipients.length === 1)) extra.push(i);
    }
    if (!singleOnly) {
      const span = Math.max(0, hi - lo);
      return { length: span + extra.length, at: (p) => (p < span ? lo + p : (extra[p - span] as number)) };
    }
    const startRank = singlesBelow(lo);
    const span = Math.max(0, singlesBelow(hi) - startRank);
    return { length: span + extra.length, at: (p) => (p < span ? nthSingle(startRank + p) : (extra[p - span] as number)) };
  }
}

/** Non-team indexes below n. */
function singlesBelow(n: number): number {
  const rem = n % TEAM_PERIOD;
  return Math.floor(n / TEAM_PERIOD) * (TEAM_PERIOD - 1) + (rem > TEAM_RESIDUE ? rem - 1 : rem);
}

/** The index of the k-th (0-based) non-team item. */
function nthSingle(k: number): number {
  const block = Math.floor(k / (TEAM_PERIOD - 1));
  const r = k % (TEAM_PERIOD - 1);
  return block * TEAM_PERIOD + (r < TEAM_RESIDUE ? r : r + 1);
}
