import { hash32, unit, type Rng } from '../random.js';
import { ChildTable, Table } from '../table.js';
import { ANCHOR_MS, DAY, isoMs, isoOffset, YEAR } from '../time.js';
import type { DataRecord } from '../vendor.js';
import { MONTHS, REVIEW_COMMENTS, REVIEW_QUESTIONS, REVIEW_TEMPLATES } from './pools.js';
import type { LeapsomeWorld } from './world.js';

export type CycleStatus =
  | 'new'
  | 'draft'
  | 'peerNominationsPending'
  | 'peerApprovalPending'
  | 'peerReviewsPending'
  | 'managerReviewsPending'
  | 'conversationsPending'
  | 'complete';

export const ONGOING: ReadonlySet<CycleStatus> = new Set([
  'peerNominationsPending',
  'peerApprovalPending',
  'peerReviewsPending',
  'managerReviewsPending',
  'conversationsPending',
]);

/** A never-set deadline, as Leapsome serialises it. */
const UNSET = '1970-01-01T00:00:00.000Z';

export interface Cycle {
  index: number;
  id: string;
  name: string;
  status: CycleStatus;
  createdMs: number;
  kickoffMs: number;
  template: number;
  questions: number[];
  /** Rating scale of averageRating strings ("75 / 100") and of answers. */
  ratingScale: number;
  answerScale: number;
  timeline: { start: number; peerNominations: number | null; peerApproval: number | null; peerReviews: number; managerReviews: number; conversations: number };
}

const CYCLE_SPAN = 5 * YEAR;

/** Review cycles, their participants and per-reviewee overviews. */
export class ReviewData {
  readonly cycles: Table<Cycle>;
  readonly participants: ChildTable<DataRecord>;
  /** Cycles whose participants changed since generation; `lastModifiedAfter` past the anchor looks only here. */
  readonly touchedCycles = new Set<number>();
  private readonly baseLastModified = new Map<number, number>();

  constructor(private readonly world: LeapsomeWorld) {
    this.cycles = new Table(world.counts.reviewCycles, (c) => this.generateCycle(c, undefined), 65536);
    this.participants = new ChildTable(
      (c) => this.blockSize(c),
      (c, k) => this.generateParticipant(c, k),
    );
  }

  templateId(t: number): string {
    return this.world.ids('reviewTemplate').make(t, ANCHOR_MS - 6 * YEAR + t * 30 * DAY);
  }

  questionId(q: number): string {
    return this.world.ids('reviewQuestion').make(q, ANCHOR_MS - 7 * YEAR);
  }

  cycleIndex(id: string): number | undefined {
    const c = this.world.ids('cycle').decode(id);
    return c !== undefined && this.cycles.exists(c) && this.cycles.get(c).id === id ? c : undefined;
  }

  templateIndex(id: string): number | undefined {
    const t = this.world.ids('reviewTemplate').decode(id);
    return t !== undefined && t < REVIEW_TEMPLATES.length && this.templateId(t) === id ? t : undefined;
  }

  /** Participants of a cycle are a contiguous block of people (mod headcount): O(1) membership tests. */
  private blockStart(c: number): number {
    return hash32(this.world.seed, 'block', c) % this.world.basePeople;
  }

  private blockSize(c: number): number {
    return Math.min(this.world.basePeople, 8 + (hash32(this.world.seed, 'block-size', c) % 38));
  }

  /** The participant position of a user in a cycle, if the user takes part. */
  participantPosition(c: number, userId: string): number | undefined {
    const e = this.world.userIndex(userId);
    if (e === undefined || e >= this.world.basePeople) return undefined;
    const k = (e - this.blockStart(c) + this.world.basePeople) % this.world.basePeople;
    return k < this.participants.count(c) ? k : undefined;
  }

  /** A cycle as generated; `createdMs` set means a cycle created by a mutation at that time. */
  generateCycle(c: number, createdAt: number | undefined): Cycle {
    const w = this.world;
    const rng = w.rng('cycle', c);
    const n = w.counts.reviewCycles;
    // Generated cycles and all their participant activity end before the anchor: `lastModifiedAfter`
    // at or past the anchor can then skip every cycle no mutation touched.
    // The newest three generated cycles are still running at the anchor, one per phase.
    const running = createdAt === undefined && c < n && c >= n - 3;
    const createdMs =
      createdAt ??
      (running ? ANCHOR_MS - (10 + 14 * (n - 1 - c)) * DAY : Math.floor(ANCHOR_MS - 30 * DAY - CYCLE_SPAN + (c / n) * CYCLE_SPAN + rng.int(20) * DAY));
    const kickoffMs = createdMs + (running ? 2 : 2 + rng.int(12)) * DAY + rng.int(DAY);
    const template = rng.int(REVIEW_TEMPLATES.length);
    const peerPhase = rng.bool(0.5);
    const timeline = {
      start: kickoffMs,
      peerNominations: peerPhase ? kickoffMs + 5 * DAY : null,
      peerApproval: peerPhase ? kickoffMs + 8 * DAY : null,
      peerReviews: kickoffMs + 21 * DAY,
      managerReviews: kickoffMs + 35 * DAY,
      conversations: kickoffMs + 49 * DAY,
    };
    const clock = createdAt ?? ANCHOR_MS;
    let status: CycleStatus;
    if (createdAt !== undefined || (!running && rng.bool(0.03))) status = createdAt !== undefined || rng.bool(0.5) ? 'new' : 'draft';
    else if (kickoffMs > clock) status = 'new';
    else if (timeline.peerNominations !== null && clock < timeline.peerNominations) status = 'peerNominationsPending';
    else if (timeline.peerApproval !== null && clock < timeline.peerApproval) status = 'peerApprovalPending';
    else if (clock < timeline.peerReviews) status = 'peerReviewsPending';
    else if (clock < timeline.managerReviews) status = 'managerReviewsPending';
    else if (clock < timeline.conversations + 7 * DAY) status = 'conversationsPending';
    else status = 'complete';
    const date = new Date(kickoffMs);
    const templateName = REVIEW_TEMPLATES[template] as string;
    const name = rng.pick([
      `${templateName} ${date.getUTCFullYear()}`,
      `Performance Review Q${Math.floor(date.getUTCMonth() / 3) + 1} ${date.getUTCFullYear()}`,
      `${templateName} – ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`,
      `Mid-${date.getUTCFullYear()} ${templateName}`,
    ]);
    const questions = rng
      .sample(
        Array.from({ length: REVIEW_QUESTIONS.length }, (_, q) => q),
        6 + rng.int(5),
      )
      .sort((a, b) => a - b);
    return {
      index: c,
      id: w.ids('cycle').make(c, createdMs),
      name,
      status,
      createdMs,
      kickoffMs,
      template,
      questions,
      ratingScale: rng.weighted([
        [100, 6],
        [10, 3],
        [5, 1],
      ] as const),
      answerScale: rng.pick([5, 6, 10]),
      timeline,
    };
  }

  /**
   * When participant k of cycle c last changed. Drawn on its own, so `lastModifiedOn` of a cycle and
   * the `lastModifiedAfter` filter need no participant records; the participant's reviewee made that
   * latest change and every other reviewer acted earlier.
   */
  participantLastModifiedMs(c: number, k: number): number {
    const cycle = this.cycles.get(c);
    if (cycle.status === 'new' || cycle.status === 'draft') return cycle.createdMs;
    const until = Math.min(ANCHOR_MS, cycle.timeline.conversations + 7 * DAY);
    return cycle.kickoffMs + Math.floor(unit(this.world.seed, 'participant-modified', c, k) * Math.max(1, until - cycle.kickoffMs));
  }

  private reviewer(rng: Rng, cycle: Cycle, user: number, status: string, latestMs: number): DataRecord {
    const w = this.world;
    const p = w.person(user);
    const acted = status !== 'pending' && status !== 'invited';
    const notStarted = cycle.status === 'new' || cycle.status === 'draft';
    const modifiedMs = notStarted || !acted ? cycle.createdMs : cycle.kickoffMs + rng.int(Math.max(1, latestMs - cycle.kickoffMs));
    const rating = status === 'complete' ? Math.max(1, rng.int(cycle.ratingScale + 1)) : 0;
    return {
      user: w.userId(user),
      name: p.name.full,
      preferredName: p.name.preferred ?? null,
      status,
      averageRating: `${rating} / ${cycle.ratingScale}`,
      lastModifiedOn: isoOffset(modifiedMs),
      lastModifiedBy: w.userId(user),
    };
  }

  private statuses(rng: Rng, cycle: Cycle): { self: string; manager: string; peer: string; report: string } {
    const s = cycle.status;
    const peerDone = rng.weighted([
      ['complete', 85],
      ['declined', 10],
      ['started', 5],
    ] as const);
    switch (s) {
      case 'complete':
      case 'conversationsPending':
        return { self: 'complete', manager: 'complete', peer: peerDone === 'started' ? 'complete' : peerDone, report: rng.bool(0.9) ? 'complete' : 'pending' };
      case 'managerReviewsPending':
        return {
          self: rng.pick(['complete', 'started']),
          manager: rng.pick(['pending', 'started', 'complete']),
          peer: peerDone,
          report: rng.pick(['complete', 'started', 'pending']),
        };
      case 'peerReviewsPending':
        return {
          self: rng.pick(['started', 'complete']),
          manager: 'pending',
          peer: rng.pick(['invited', 'pending', 'started', 'complete']),
          report: rng.pick(['pending', 'started']),
        };
      case 'peerNominationsPending':
      case 'peerApprovalPending':
        return { self: 'started', manager: 'pending', peer: 'invited', report: 'pending' };
      default:
        return { self: 'pending', manager: 'pending', peer: 'invited', report: 'pending' };
    }
  }

  private generateParticipant(c: number, k: number): DataRecord {
    const w = this.world;
    const cycle = this.cycles.get(c);
    const rng = w.rng('participant', c, k);
    const base = w.basePeople;
    const size = this.blockSize(c);
    const start = this.blockStart(c);
    const e = (start + k) % base;
    const person = w.person(e);
    const lastMs = this.participantLastModifiedMs(c, k);
    const st = this.statuses(rng, cycle);
    const reviewee = { ...this.reviewer(rng, cycle, e, st.self, lastMs), lastModifiedOn: isoOffset(lastMs) };
    const managers = person.manager === undefined ? [] : [this.reviewer(rng, cycle, person.manager, st.manager, lastMs)];
    const additionalManagers = rng.bool(0.1) && e > 2 ? [this.reviewer(rng, cycle, rng.int(Math.min(e, 20)), st.manager, lastMs)] : [];
    const peerCount = size > 3 ? rng.int(4) : 0;
    const peers = Array.from({ length: peerCount }, (_, j) => (start + ((k + 1 + j * 3) % size)) % base)
      .filter((u, j, all) => u !== e && all.indexOf(u) === j)
      .map((u) => this.reviewer(rng, cycle, u, st.peer === 'complete' && rng.bool(0.1) ? 'declined' : st.peer, lastMs));
    const directReports = w
      .directReports(e)
      .slice(0, 3)
      .map((u) => this.reviewer(rng, cycle, u, st.report, lastMs));
    // Signing is the reviewee's last act in a completed cycle.
    const signed = cycle.status === 'complete' && rng.bool(0.7);
    return {
      _id: w.userId(e),
      signatureReviewee: signed ? isoOffset(lastMs) : null,
      signatureManager: signed && managers.length > 0 ? isoOffset(lastMs - rng.int(3 * DAY)) : null,
      lastModifiedOn: isoOffset(lastMs),
      lastModifiedBy: w.userId(e),
      reviewee,
      managers,
      additionalManagers,
      peers,
      directReports,
    };
  }

  /** Newest participant change of a cycle: what `lastModifiedOn` and `lastModifiedAfter` use. */
  cycleLastModifiedMs(c: number): number {
    // Untouched generated cycles never change, so their value is computed once.
    const cacheable = c < this.cycles.baseCount && !this.touchedCycles.has(c);
    const known = cacheable ? this.baseLastModified.get(c) : undefined;
    if (known !== undefined) return known;
    const value = this.computeLastModifiedMs(c);
    if (cacheable) this.baseLastModified.set(c, value);
    return value;
  }

  private computeLastModifiedMs(c: number): number {
    let max = this.cycles.get(c).createdMs;
    const n = this.participants.count(c);
    const touched = c >= this.cycles.baseCount || this.touchedCycles.has(c);
    for (let k = 0; k < n; k++) {
      const ms = touched ? Date.parse(String(this.participants.get(c, k)['lastModifiedOn'])) : this.participantLastModifiedMs(c, k);
      if (ms > max) max = ms;
    }
    return max;
  }

  /** `GET /reviews` item. */
  listItem(c: number): DataRecord {
    const cycle = this.cycles.get(c);
    return {
      _id: cycle.id,
      name: cycle.name,
      status: cycle.status,
      createdAt: isoMs(cycle.createdMs),
      kickoffDate: isoMs(cycle.kickoffMs),
      template: this.templateId(cycle.template),
      lastModifiedOn: isoMs(this.cycleLastModifiedMs(c)),
    };
  }

  /** `GET /reviews?filter=templates` item. */
  templateItem(t: number): DataRecord {
    const createdMs = ANCHOR_MS - 6 * YEAR + t * 30 * DAY;
    return { _id: this.templateId(t), name: REVIEW_TEMPLATES[t], status: 'draft', createdAt: isoMs(createdMs), lastModifiedOn: isoMs(createdMs) };
  }

  /** `GET /reviews/{id}` data. */
  detail(c: number): DataRecord {
    const cycle = this.cycles.get(c);
    const t = cycle.timeline;
    return {
      _id: cycle.id,
      name: cycle.name,
      status: cycle.status,
      questions: cycle.questions.map((q) => ({ _id: this.questionId(q), name: REVIEW_QUESTIONS[q] })),
      timeline: {
        start: isoMs(t.start),
        peerNominationsDeadline: t.peerNominations === null ? UNSET : isoMs(t.peerNominations),
        peerApprovalDeadline: t.peerApproval === null ? UNSET : isoMs(t.peerApproval),
        peerReviewsDeadline: isoMs(t.peerReviews),
        managerReviewsDeadline: isoMs(t.managerReviews),
        conversationsDeadline: isoMs(t.conversations),
      },
      createdAt: isoMs(cycle.createdMs),
    };
  }

  /** `GET /reviews/{id}/participants/{userId}/overview` data: answers of every reviewer who finished. */
  overview(c: number, k: number): DataRecord {
    const w = this.world;
    const cycle = this.cycles.get(c);
    const participant = this.participants.get(c, k);
    const rng = w.rng('overview', c, k);
    const reviewee = participant['reviewee'] as DataRecord;
    const receiverId = String(reviewee['user']);
    const groups: Array<[string, string]> = [
      ['reviewee', 'Self-Evaluation'],
      ['managers', 'Manager Review'],
      ['additionalManagers', 'Manager Review'],
      ['peers', 'Peer Review'],
      ['directReports', 'Direct Report Review'],
    ];
    const answers: DataRecord[] = [];
    const authors: string[] = [receiverId];
    for (const [field, type] of groups) {
      const entries = field === 'reviewee' ? [reviewee] : (participant[field] as DataRecord[]);
      for (const r of entries) {
        if (r['status'] !== 'complete') continue;
        const authorId = String(r['user']);
        if (!authors.includes(authorId)) authors.push(authorId);
        for (const q of cycle.questions) {
          const multiple = q % 5 === 4;
          answers.push({
            authorId,
            receiverId,
            question: this.questionId(q),
            type,
            rating: 1 + rng.int(cycle.answerScale),
            scale: cycle.answerScale,
            comment: rng.pick(REVIEW_COMMENTS),
            multipleChoice: multiple ? rng.pick(['A', 'B', 'C']) : undefined,
          });
        }
      }
    }
    const questions = cycle.questions.map((q) => {
      const qid = this.questionId(q);
      const mine = answers.filter((a) => a['question'] === qid);
      const average =
        mine.length === 0 ? undefined : Math.round((mine.reduce((s, a) => s + (a['rating'] as number) / (a['scale'] as number), 0) / mine.length) * 100);
      return { _id: qid, name: REVIEW_QUESTIONS[q], average };
    });
    const users = authors.map((id) => {
      const u = w.userIndex(id) as number;
      const p = w.person(u);
      return {
        _id: id,
        fullName: p.name.full,
        preferredName: p.name.preferred ?? p.name.full,
        email: p.email,
        teams: p.teams.map((t) => w.teams.get(t).name).join(', '),
        location: p.location === undefined ? undefined : w.locationName(p.location),
        lastModifiedOn: participant['lastModifiedOn'],
      };
    });
    return { lastModifiedOn: participant['lastModifiedOn'], questions, answers, users };
  }
}
