import { hash32 } from '../random.js';
import { ChildTable, Table } from '../table.js';
import { ANCHOR_MS, DAY, isoMs, YEAR } from '../time.js';
import type { DataRecord } from '../vendor.js';
import { COMMENTS, GOAL_NAMES, KEY_RESULT_NAMES, TAG_NAMES } from './pools.js';
import type { LeapsomeWorld } from './world.js';

const GOAL_SPAN = 4 * YEAR;

/** Goals, goal tags and goal comments of the tenant. */
export class GoalData {
  readonly goals: Table<DataRecord>;
  readonly tags: Table<DataRecord>;
  readonly comments: ChildTable<DataRecord>;

  constructor(private readonly world: LeapsomeWorld) {
    this.tags = new Table(world.counts.goalTags, (i) => this.generateTag(i), 1000);
    this.goals = new Table(world.counts.goals, (i) => this.generateGoal(i));
    this.comments = new ChildTable(
      (g) => (g < world.counts.goals ? ([0, 0, 1, 1, 1, 2, 2, 3, 4][hash32(world.seed, 'comments', g) % 9] as number) : 0),
      (g, c) => this.generateComment(g, c),
    );
  }

  /** Creation time grows with the index, so ObjectId order is creation order. */
  goalCreatedMs(i: number): number {
    const n = this.world.counts.goals;
    const slot = GOAL_SPAN / n;
    return Math.floor(ANCHOR_MS - 7 * DAY - GOAL_SPAN + i * slot + ((hash32(this.world.seed, 'goal-t', i) % 1000) / 1000) * slot * 0.9);
  }

  goalId(i: number): string {
    return i < this.goals.baseCount ? this.world.ids('goal').make(i, this.goalCreatedMs(i)) : String(this.goals.get(i)['id']);
  }

  goalIndex(id: string): number | undefined {
    const i = this.world.ids('goal').decode(id);
    return i !== undefined && this.goals.exists(i) && this.goals.get(i)['id'] === id ? i : undefined;
  }

  private tagRef(t: number): { id: string; name: string } {
    const tag = this.tags.get(t);
    return { id: tag['id'] as string, name: tag['name'] as string };
  }

  /** Tag i; `created` marks one created by a mutation at that time. */
  generateTag(i: number, created?: number): DataRecord {
    const rng = this.world.rng('tag', i);
    const createdMs = created ?? ANCHOR_MS - 4 * YEAR + Math.floor((i / this.world.counts.goalTags) * 3.5 * YEAR);
    const round = Math.floor(i / TAG_NAMES.length);
    return {
      id: this.world.ids('tag').make(i, createdMs),
      name: `${TAG_NAMES[i % TAG_NAMES.length]}${round > 0 ? ` ${round + 1}` : ''}`,
      status: created
        ? 'active'
        : rng.weighted([
            ['active', 85],
            ['viewOnly', 10],
            ['removed', 5],
          ] as const),
      createdAt: isoMs(createdMs),
      updatedAt: isoMs(created ?? createdMs + rng.int(ANCHOR_MS - createdMs)),
    };
  }

  private keyResult(goal: number, k: number, ownerUser: number, teams: number[]): DataRecord {
    const w = this.world;
    const rng = w.rng('kr', goal, k);
    const type = rng.pick(['none', 'numerical', 'percentage', 'currency'] as const);
    const end = type === 'percentage' ? 100 : type === 'none' ? 1 : 10 * rng.range(1, 500);
    const start = type === 'numerical' && rng.bool(0.3) ? Math.floor(end / 4) : 0;
    const contributors = rng.bool(0.4) ? [w.userRef(rng.int(w.basePeople))] : [];
    return {
      id: w.ids('keyResult').make(goal * 8 + k, this.goalCreatedMs(Math.min(goal, this.goals.baseCount - 1))),
      name: rng.pick(KEY_RESULT_NAMES),
      metric: { type, start, end, current: start + rng.int(end - start + 1) },
      weight: rng.pick([10, 20, 25, 30, 50, 100]),
      ownerUser: w.userRef(ownerUser),
      ownerTeam: w.teamRef(teams[0] ?? 0),
      contributors,
      contributorTeams: rng.bool(0.3) ? [w.teamRef(rng.int(w.counts.teams))] : [],
    };
  }

  /** Drawn on its own so a child can name its parent's status without building the parent. */
  private goalStatus(i: number): 'live' | 'archived' | 'draft' | 'removed' {
    return this.world.rng('goal-status', i).weighted([
      ['live', 70],
      ['archived', 15],
      ['draft', 10],
      ['removed', 5],
    ] as const);
  }

  /** Goal i; `created` marks one created by a mutation at that time. */
  generateGoal(i: number, created?: number): DataRecord {
    const w = this.world;
    const rng = w.rng('goal', i);
    const createdMs = created ?? this.goalCreatedMs(i);
    const type = i % 10 === 0 ? 'company' : rng.bool(0.35) ? 'team' : 'user';
    const owner = rng.int(w.basePeople);
    const team = 1 + rng.int(w.counts.teams - 1);
    const status = this.goalStatus(i);
    const krCount = rng.weighted([
      [0, 2],
      [1, 2],
      [2, 3],
      [3, 2],
      [4, 1],
    ] as const);
    const keyResults = Array.from({ length: krCount }, (_, k) => this.keyResult(i, k, rng.bool(0.7) ? owner : rng.int(w.basePeople), [team]));
    const progress = krCount > 0 ? rng.int(101) : rng.pick([0, 0, 25, 50, 75, 100]);
    let parent: DataRecord | null = null;
    if (i >= 10 && type !== 'company' && rng.bool(0.5)) {
      const p = Math.floor(i / 10) * 10 - 10 * rng.int(Math.min(3, Math.floor(i / 10)));
      const pStatus = this.goalStatus(p);
      if (pStatus !== 'removed') parent = { _id: this.goalId(p), name: goalName(w.seed, p), status: pStatus };
    }
    const tagCount = rng.weighted([
      [0, 3],
      [1, 4],
      [2, 2],
      [3, 1],
    ] as const);
    const tags = rng.distinct(w.counts.goalTags, tagCount).map((t) => this.tagRef(t));
    const deadline = rng.bool(0.85) ? isoMs(createdMs + (60 + rng.int(400)) * DAY) : null;
    return {
      id: this.world.ids('goal').make(i, createdMs),
      type,
      user: type === 'user' ? w.userRef(owner) : null,
      team: type === 'team' ? w.teamRef(team) : null,
      name: goalName(w.seed, i),
      description: rng.pick([
        '',
        'Make it entertaining',
        'See the strategy memo for context.',
        'Ziel für das zweite Halbjahr.',
        'Aligned with the company OKRs — “north star” metric.',
      ]),
      contributors: rng.distinct(Math.min(w.basePeople, 40), rng.int(4)).map((u) => w.userRef(u)),
      progress,
      status,
      managedBy: w.userRef(w.person(owner).manager ?? owner),
      tags,
      deadline,
      keyResults,
      parent,
      progressStatus: status === 'draft' ? null : progress === 100 ? 'done' : rng.pick(['onTrack', 'onTrack', 'offTrack', 'inputNeeded', 'canceled', null]),
      createdAt: isoMs(createdMs),
      updatedAt: isoMs(created ?? createdMs + rng.int(ANCHOR_MS - createdMs)),
    };
  }

  /**
   * Comment c of goal g. Comments added by mutations pass `created` and a serial of their own id
   * space, as a goal's base comments own the ObjectId counters g·8 to g·8+7.
   */
  generateComment(g: number, c: number, created?: { ms: number; serial: number }): DataRecord {
    const w = this.world;
    const rng = w.rng('comment', g, c);
    const goalCreated = this.goalCreatedMs(Math.min(g, this.goals.baseCount - 1));
    const createdMs = created?.ms ?? goalCreated + Math.floor(((c + rng.next()) / 5) * (ANCHOR_MS - goalCreated));
    const sender = rng.int(w.basePeople);
    const p = w.person(sender);
    const edited = !created && rng.bool(0.2);
    return {
      id: created ? w.ids('comment-new').make(created.serial, createdMs) : w.ids('comment').make(g * 8 + c, createdMs),
      content: rng.pick(COMMENTS),
      sender: {
        id: w.userId(sender),
        firstname: p.name.first,
        lastname: p.name.last,
        picture: `https://cdn.example-leap.com/avatars/${w.userId(sender)}.png`,
      },
      createdAt: isoMs(createdMs),
      updatedAt: isoMs(edited ? createdMs + rng.int(Math.max(1, ANCHOR_MS - createdMs)) : createdMs),
    };
  }

  /** Comments of a goal as the API lists them: newest first. */
  commentsOf(g: number): DataRecord[] {
    return this.comments.list(g).sort((a, b) => String(b['createdAt']).localeCompare(String(a['createdAt'])));
  }
}

function goalName(seed: number, i: number): string {
  const base = GOAL_NAMES[hash32(seed, 'goal-name', i) % GOAL_NAMES.length] as string;
  const year = 2021 + (i % 5);
  return i % 3 === 0 ? `${base} (${year})` : base;
}
