import { asciiSlug, personName, type PersonName } from '../names.js';
import { hash32, Rng, Uuids } from '../random.js';
import { ChildTable, Table } from '../table.js';
import { ANCHOR_MS, DAY, isoMicros, YEAR, ymd } from '../time.js';
import type { DataRecord } from '../vendor.js';
import { ANSWERS, AREAS, CHOICES, FREQUENCIES, GOAL_TITLES, PRAISE, QUESTION_TEXTS, REGIONS, STAGES, TEMPLATE_KINDS } from './pools.js';

export function pe365Counts(scale: number) {
  const n = (base: number) => Math.max(1, Math.round(base * scale));
  return {
    users: Math.max(8, n(150)),
    departments: Math.max(2, n(105)),
    goals: n(260),
    checkins: n(420),
    questions: Math.max(5, n(110)),
    templates: n(104),
    plans: n(108),
    conversations: n(300),
  };
}

/** Goal ids carry a numeric tenant prefix, as in the help article (`580:<uuid>`). */
const GOAL_PREFIX = '580:';
const CHECKIN_SPAN = 2 * YEAR;
/** A response's slot inside its question's id space; questions have at most this many responses. */
const RESPONSE_SLOTS = 64;

export interface UserCore {
  index: number;
  name: PersonName;
  email: string;
  departments: number[];
  manager: number | undefined;
  active: boolean;
}

export interface Checkin {
  index: number;
  person: number;
  deadlineMs: number;
  submissionMs: number | null;
  onVacation: boolean;
  isAdhoc: boolean;
}

/** The PE365 tenant. Every list is ordered by index, like a Django queryset ordered by primary key. */
export class Pe365Data {
  readonly counts: ReturnType<typeof pe365Counts>;
  readonly users: Table<UserCore>;
  readonly departments: Table<DataRecord>;
  readonly goals: Table<DataRecord>;
  readonly checkins: Table<Checkin>;
  readonly questions: Table<DataRecord>;
  readonly responses: ChildTable<DataRecord>;
  readonly templates: Table<DataRecord>;
  readonly plans: Table<DataRecord>;
  readonly conversations: Table<DataRecord>;
  private readonly uuidSpaces = new Map<string, Uuids>();

  constructor(
    readonly seed: number,
    scale: number,
  ) {
    this.counts = pe365Counts(scale);
    const c = this.counts;
    this.users = new Table(c.users, (i) => this.generateUser(i), 65536);
    this.departments = new Table(c.departments, (i) => this.generateDepartment(i));
    this.goals = new Table(c.goals, (i) => this.generateGoal(i));
    this.checkins = new Table(c.checkins, (i) => this.generateCheckin(i, undefined));
    this.questions = new Table(c.questions, (i) => this.generateQuestion(i));
    // Recognition questions collect more answers: every one of them is also a recognition.
    this.responses = new ChildTable(
      (q) => (q >= c.questions ? 0 : (this.questionType(q) === 'recognition' ? 6 : 0) + (hash32(seed, 'responses', q) % 13)),
      (q, r) => this.generateResponse(q, r),
    );
    this.templates = new Table(c.templates, (i) => this.generateTemplate(i, undefined), 65536);
    this.plans = new Table(c.plans, (i) => this.generatePlan(i), 65536);
    this.conversations = new Table(c.conversations, (i) => this.generateConversation(i, undefined));
  }

  ids(tag: string): Uuids {
    let space = this.uuidSpaces.get(tag);
    if (!space) {
      space = new Uuids(this.seed, `pe365:${tag}`);
      this.uuidSpaces.set(tag, space);
    }
    return space;
  }

  rng(...parts: Array<string | number>): Rng {
    return Rng.of(this.seed, 'pe365', ...parts);
  }

  /** The index behind an api_id of `tag`, if it exists (case-insensitive, departments are upper case). */
  indexOf(tag: string, apiId: string, size: number): number | undefined {
    const raw = tag === 'goal' ? (apiId.startsWith(GOAL_PREFIX) ? apiId.slice(GOAL_PREFIX.length) : '') : apiId;
    const i = this.ids(tag).decode(raw.toLowerCase());
    return i !== undefined && i < size ? i : undefined;
  }

  userId(i: number): string {
    return this.ids('user').make(i);
  }

  personRef(i: number): { name: string; email: string; api_id: string } {
    const u = this.users.get(i);
    return { name: u.name.full, email: u.email, api_id: this.userId(i) };
  }

  departmentId(d: number): string {
    return this.ids('department').make(d).toUpperCase();
  }

  departmentName(d: number): string {
    const round = Math.floor(d / (AREAS.length * REGIONS.length));
    const name = `${AREAS[d % AREAS.length]} ${REGIONS[Math.floor(d / AREAS.length) % REGIONS.length]}`;
    return round > 0 ? `${name} ${round + 1}` : name;
  }

  private generateUser(i: number): UserCore {
    const rng = this.rng('user', i);
    const name = personName(this.seed, 'pe365', i);
    const nd = this.counts.departments;
    const departments = [hash32(this.seed, 'dept-of', i) % nd];
    if (rng.bool(0.2)) {
      const d = rng.int(nd);
      if (!departments.includes(d)) departments.push(d);
    }
    return {
      index: i,
      name,
      email: `${asciiSlug(name.first)}.${asciiSlug(name.last)}${i >= 2500 ? Math.floor(i / 2500) : ''}@example-pe365.co.uk`,
      departments,
      manager: i === 0 ? undefined : Math.floor((i - 1) / 6),
      active: i === 0 || rng.bool(0.92),
    };
  }

  /** `users/` item. `is_active` filters but is not among the documented fields, so it is not rendered. */
  user(i: number): DataRecord {
    const u = this.users.get(i);
    return {
      api_id: this.userId(i),
      name: u.name.full,
      email: u.email,
      departments: u.departments.map((d) => ({ api_id: this.departmentId(d), name: this.departmentName(d) })),
      manager: u.manager === undefined ? null : this.personRef(u.manager),
    };
  }

  private generateDepartment(d: number): DataRecord {
    const rng = this.rng('department', d);
    const admins = rng
      .sample(
        Array.from({ length: Math.min(this.counts.users, 30) }, (_, k) => k),
        rng.int(3),
      )
      .map((u) => this.personRef(u));
    return { name: this.departmentName(d), api_id: this.departmentId(d), admins };
  }

  private generateGoal(i: number): DataRecord {
    const rng = this.rng('goal', i);
    const nu = this.counts.users;
    const kind = rng.weighted([
      ['person', 6],
      ['department', 2],
      ['group', 1],
      ['company', 1],
    ] as const);
    const person = rng.int(nu);
    const dept = rng.int(this.counts.departments);
    const unit = rng.weighted([
      ['perc', 5],
      ['number', 3],
      ['bin', 1],
      ['gbp', 1],
      ['eur', 1],
      ['usd', 1],
    ] as const);
    const target = unit === 'perc' ? 100 : unit === 'bin' ? 1 : 10 * rng.range(1, 5000);
    const baseline = unit === 'number' && rng.bool(0.3) ? Math.floor(target / 5) : 0;
    const current = baseline + rng.int(target - baseline + 1);
    const start = Date.UTC(2021 + rng.int(4), rng.int(4) * 3, 1);
    const dec = (v: number) => v.toFixed(4);
    const title = GOAL_TITLES[rng.int(GOAL_TITLES.length)] as string;
    const complete = current >= target;
    const record: DataRecord = {
      api_id: `${GOAL_PREFIX}${this.ids('goal').make(i)}`,
      title,
      description: rng.pick(['', '', 'Aligned with the FY strategy.', 'See the Teams channel for updates.']),
      department: kind === 'department' ? this.departmentName(dept) : null,
      team_manager_name: kind === 'department' ? this.users.get(rng.int(Math.min(nu, 25))).name.full : null,
      person_name: kind === 'person' ? this.users.get(person).name.full : null,
      person_group_name: kind === 'group' ? rng.pick(['Leadership Team', 'Graduates 2024', 'Sales Managers']) : null,
      responsible_person_name: rng.bool(0.4) ? this.users.get(rng.int(nu)).name.full : null,
      unit,
      baseline_value: dec(baseline),
      target_value: dec(target),
      current_value: dec(current),
      start_date: ymd(start),
      target_date: ymd(start + (90 + rng.int(300)) * DAY),
      is_complete: complete,
      rag_status: complete ? 'GREEN' : rng.pick(['RED', 'AMBER', 'GREEN']),
      auto_calculated: rng.bool(0.3),
      is_okr: rng.bool(0.35),
      goal_weight: rng.range(1, 5),
      goal_visibility: rng.pick(['public', 'lineofsight']),
      rag_target_based: rng.bool(0.5),
    };
    // The article lists `title_name` but its examples show `title`; some records carry both.
    if (rng.bool(0.2)) return { api_id: record['api_id'], title, title_name: title, ...record };
    return record;
  }

  /** Deadline of generated check-in i: non-decreasing in i, so date windows narrow to index ranges. */
  checkinDeadlineMs(i: number): number {
    const from = ANCHOR_MS - CHECKIN_SPAN;
    return Math.floor((from + (i * CHECKIN_SPAN) / this.counts.checkins) / DAY) * DAY;
  }

  /** Check-in i; `created` marks an ad-hoc check-in submitted during a mutation. */
  generateCheckin(i: number, created: number | undefined): Checkin {
    const rng = this.rng('checkin', i);
    if (created !== undefined) {
      return {
        index: i,
        person: rng.int(this.counts.users),
        deadlineMs: Math.floor(created / DAY) * DAY + 7 * DAY,
        submissionMs: created,
        onVacation: false,
        isAdhoc: true,
      };
    }
    const deadlineMs = this.checkinDeadlineMs(i);
    const submitted = hash32(this.seed, 'submitted', i) % 10 !== 0;
    const submissionMs = submitted ? Math.min(ANCHOR_MS - DAY, deadlineMs + rng.range(-3, 4) * DAY) : null;
    return { index: i, person: rng.int(this.counts.users), deadlineMs, submissionMs, onVacation: !submitted && rng.bool(0.4), isAdhoc: rng.bool(0.05) };
  }

  checkin(i: number): DataRecord {
    const c = this.checkins.get(i);
    return {
      api_id: this.ids('checkin').make(i),
      deadline_date: ymd(c.deadlineMs),
      submission_date: c.submissionMs === null ? null : ymd(c.submissionMs),
      overdue: c.submissionMs === null ? !c.onVacation && c.deadlineMs < ANCHOR_MS : c.submissionMs > c.deadlineMs,
      on_vacation: c.onVacation,
      is_adhoc: c.isAdhoc,
    };
  }

  private questionType(q: number): 'choice' | 'rating' | 'text' | 'yes-no' | 'recognition' {
    return (['choice', 'rating', 'text', 'yes-no', 'recognition'] as const)[hash32(this.seed, 'qtype', q) % 5] as 'choice';
  }

  private generateQuestion(q: number): DataRecord {
    const type = this.questionType(q);
    const base = QUESTION_TEXTS[q % QUESTION_TEXTS.length] as string;
    const round = Math.floor(q / QUESTION_TEXTS.length);
    const options = type === 'choice' ? [...CHOICES] : type === 'yes-no' ? ['Yes', 'No'] : [];
    return {
      api_id: this.ids('question').make(q),
      text: type === 'recognition' ? `Who would you like to recognise?${round > 0 ? ` (${round + 1})` : ''}` : `${base}${round > 0 ? ` (${round + 1})` : ''}`,
      type,
      choices: options.map((text, k) => ({ api_id: this.ids('choice').make(q * 8 + k), text })),
    };
  }

  /**
   * Responses of question q. Their fields are not in the captured documentation; the sandbox's
   * choice: who answered, in which check-in, the answer, and when.
   */
  private generateResponse(q: number, r: number): DataRecord {
    const rng = this.rng('response', q, r);
    const question = this.questions.get(q);
    const type = question['type'];
    const person = rng.int(this.counts.users);
    const choices = question['choices'] as DataRecord[];
    const choice = choices.length > 0 ? (choices[rng.int(choices.length)] as DataRecord) : null;
    const checkin = rng.int(this.counts.checkins);
    return {
      api_id: this.ids('response').make(q * RESPONSE_SLOTS + r),
      person_api_id: this.userId(person),
      person_name: this.users.get(person).name.full,
      checkin_api_id: this.ids('checkin').make(checkin),
      response_text: type === 'recognition' ? rng.pick(PRAISE) : type === 'text' ? rng.pick(ANSWERS) : choice ? String(choice['text']) : '',
      choice_api_id: choice ? choice['api_id'] : null,
      rating: type === 'rating' ? 1 + rng.int(5) : null,
      submitted_date: isoMicros(this.checkinDeadlineMs(checkin) - rng.int(3 * DAY)),
    };
  }

  responseIndex(q: number, apiId: string): number | undefined {
    const slot = this.ids('response').decode(apiId.toLowerCase());
    if (slot === undefined || Math.floor(slot / RESPONSE_SLOTS) !== q) return undefined;
    const r = slot % RESPONSE_SLOTS;
    return r < this.responses.count(q) ? r : undefined;
  }

  isRecognitionQuestion(q: number): boolean {
    return q < this.questions.size && this.questions.get(q)['type'] === 'recognition';
  }

  /** A recognition is a response to a recognition-type question, seen from the praise side. */
  recognition(q: number, r: number): DataRecord {
    const question = this.questions.get(q);
    const response = this.responses.get(q, r);
    const rng = this.rng('recognition', q, r);
    const author = this.users.get(this.indexOf('user', String(response['person_api_id']), this.users.size) as number);
    let mentioned = rng.int(this.counts.users);
    if (mentioned === author.index) mentioned = (mentioned + 1) % this.counts.users;
    const m = this.personRef(mentioned);
    return {
      api_id: this.ids('recognition').make(q * RESPONSE_SLOTS + r),
      question_api_id: question['api_id'],
      question_text: question['text'],
      response_api_id: response['api_id'],
      response_text: response['response_text'],
      author_api_id: response['person_api_id'],
      author_name: author.name.full,
      author_email: author.email,
      mentioned_api_id: m.api_id,
      mentioned_name: m.name,
      mentioned_email: m.email,
    };
  }

  recognitionSlot(apiId: string): [number, number] | undefined {
    const slot = this.ids('recognition').decode(apiId.toLowerCase());
    if (slot === undefined) return undefined;
    const q = Math.floor(slot / RESPONSE_SLOTS);
    const r = slot % RESPONSE_SLOTS;
    return this.isRecognitionQuestion(q) && r < this.responses.count(q) ? [q, r] : undefined;
  }

  /** Template i; `created` marks one created during a mutation. */
  generateTemplate(i: number, created: number | undefined): DataRecord {
    const rng = this.rng('template', i);
    const createdMs = created ?? ANCHOR_MS - 5 * YEAR + Math.floor((i / this.counts.templates) * 4.5 * YEAR);
    const kind = TEMPLATE_KINDS[i % TEMPLATE_KINDS.length] as string;
    const round = Math.floor(i / TEMPLATE_KINDS.length);
    const deleted = !created && rng.bool(0.05);
    const draft = created !== undefined || (!deleted && rng.bool(0.1));
    return {
      api_id: this.ids('template').make(i),
      name: round === 0 ? kind : `${kind} ${2025 - round}${round > 12 ? ` v${round}` : ''}`,
      active: !deleted && !draft,
      draft,
      deleted,
      created_date: isoMicros(createdMs),
      updated_date: isoMicros(created ?? createdMs + rng.int(ANCHOR_MS - createdMs)),
    };
  }

  private generatePlan(i: number): DataRecord {
    const rng = this.rng('plan', i);
    const t = rng.int(this.counts.templates);
    const template = this.templates.get(t);
    return {
      name: `${template['name']} – ${rng.pick(['All staff', 'Engineering', 'Sales', 'New starters', 'Leadership', 'Ireland'])} ${2021 + (i % 5)}`,
      api_id: this.ids('plan').make(i),
      template_name: template['name'],
      template_api_id: template['api_id'],
      status: rng.bool(0.85) ? 'active' : 'draft',
      frequency: rng.pick(FREQUENCIES),
    };
  }

  /** Conversation i; `created` marks one generated during a mutation. */
  generateConversation(i: number, created: number | undefined): DataRecord {
    const rng = this.rng('conversation', i);
    const p = rng.int(this.counts.plans);
    const plan = this.plans.get(p);
    const t = this.indexOf('template', String(plan['template_api_id']), this.templates.size) as number;
    const person = 1 + rng.int(this.counts.users - 1);
    const manager = this.users.get(person).manager ?? 0;
    const generatedMs = created ?? ANCHOR_MS - 3 * YEAR + Math.floor((i / this.counts.conversations) * 3 * YEAR) - rng.int(20) * DAY;
    const status =
      created !== undefined
        ? 'draft'
        : rng.weighted([
            ['final', 60],
            ['draft', 25],
            ['archived', 10],
            ['deleted', 5],
          ] as const);
    const completedMs = status === 'final' || status === 'archived' ? Math.min(ANCHOR_MS - DAY, generatedMs + (5 + rng.int(40)) * DAY) : null;
    const updatedMs = created ?? Math.min(ANCHOR_MS - 1000, (completedMs ?? generatedMs) + rng.int(30) * DAY);
    const stage = status === 'draft' ? rng.int(2) : 2;
    const u = this.users.get(person);
    return {
      api_id: this.ids('conversation').make(i),
      template_api_id: plan['template_api_id'],
      template_name: plan['template_name'],
      plan_name: plan['name'],
      plan_api_id: plan['api_id'],
      stage_name: STAGES[stage],
      stage_api_id: this.ids('stage').make(t * 4 + stage),
      status,
      updated_date: isoMicros(updatedMs),
      completed_date: completedMs === null ? null : isoMicros(completedMs),
      generated_date: isoMicros(generatedMs),
      person_api_id: this.userId(person),
      person_name: u.name.full,
      manager_api_id: this.userId(manager),
      manager_name: this.users.get(manager).name.full,
    };
  }
}
