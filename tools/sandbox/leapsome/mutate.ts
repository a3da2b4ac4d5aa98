import type { Rng } from '../random.js';
import { isoMs, isoOffset } from '../time.js';
import { changes, keyString, type DataRecord, type VendorChanges } from '../vendor.js';
import type { LeapsomeData } from './data.js';
import { inScim } from './people.js';
import { LEAPSOME_KEYS } from './truth.js';

/** `count` distinct integers below `n` (fewer when n is small). */
function distinct(rng: Rng, n: number, count: number): number[] {
  const out = new Set<number>();
  for (let tries = 0; out.size < Math.min(count, n) && tries < count * 20; tries++) out.add(rng.int(n));
  return [...out];
}

const key = (stream: string, record: DataRecord) => keyString(LEAPSOME_KEYS[stream] as readonly string[], record);

/**
 * One round of changes "between two syncs": records edited now (their change timestamps bumped to
 * `now`) and records created now, in every stream that has a change timestamp or a creation filter.
 */
export function mutateLeapsome(data: LeapsomeData, rng: Rng, now: number, updates: number, inserts: number, serial: () => number): VendorChanges {
  const { world, goals, reviews, hr } = data;
  const out: VendorChanges = {};
  const track = (stream: string) => (out[stream] ??= changes());
  const stamp = isoMs(now);

  for (const i of distinct(rng, goals.goals.size, updates)) {
    const g = goals.goals.update(i, (r) => ({ ...r, progress: Math.min(100, (r['progress'] as number) + 1 + rng.int(20)), updatedAt: stamp }));
    track('goals').updated.push(key('goals', g));
  }
  for (let k = 0; k < inserts; k++) {
    const i = goals.goals.insert(goals.generateGoal(goals.goals.size, now));
    track('goals').inserted.push(key('goals', goals.goals.get(i)));
  }

  for (const t of distinct(rng, goals.tags.size, updates)) {
    const tag = goals.tags.update(t, (r) => ({ ...r, status: r['status'] === 'active' ? 'viewOnly' : 'active', updatedAt: stamp }));
    track('goal_tags').updated.push(key('goal_tags', tag));
  }
  for (let k = 0; k < inserts; k++) {
    const t = goals.tags.insert(goals.generateTag(goals.tags.size, now));
    track('goal_tags').inserted.push(key('goal_tags', goals.tags.get(t)));
  }

  let edited = 0;
  for (let tries = 0; edited < updates && tries < updates * 50; tries++) {
    const g = rng.int(goals.goals.size);
    const n = goals.comments.count(g);
    if (n === 0) continue;
    const c = goals.comments.update(g, rng.int(n), (r) => ({ ...r, content: `${String(r['content'])}<p><em>(edited)</em></p>`, updatedAt: stamp }));
    track('goal_comments').updated.push(key('goal_comments', { ...c, goalId: goals.goals.get(g)['id'] }));
    edited++;
  }
  for (let k = 0; k < inserts; k++) {
    const g = rng.int(goals.goals.size);
    const c = goals.comments.insert(g, goals.generateComment(g, goals.comments.count(g), { ms: now, serial: serial() }));
    track('goal_comments').inserted.push(key('goal_comments', { ...goals.comments.get(g, c), goalId: goals.goals.get(g)['id'] }));
  }

  // A participant change moves the participant, its overview and its cycle's lastModifiedOn.
  for (const c of distinct(rng, reviews.cycles.size, updates)) {
    const k = rng.int(reviews.participants.count(c));
    const p = reviews.participants.update(c, k, (r) => {
      const reviewee: DataRecord = { ...(r['reviewee'] as DataRecord), status: 'complete', lastModifiedOn: isoOffset(now) };
      return { ...r, reviewee, lastModifiedOn: isoOffset(now), lastModifiedBy: reviewee['user'] };
    });
    reviews.touchedCycles.add(c);
    const cycleId = reviews.cycles.get(c).id;
    track('review_participants').updated.push(key('review_participants', { ...p, reviewCycleId: cycleId }));
    track('review_participant_results').updated.push(key('review_participant_results', { reviewCycleId: cycleId, userId: p['_id'] }));
    track('review_cycles').updated.push(key('review_cycles', { _id: cycleId }));
  }
  for (let k = 0; k < inserts; k++) {
    const c = reviews.cycles.insert(reviews.generateCycle(reviews.cycles.size, now));
    reviews.touchedCycles.add(c);
    const cycleId = reviews.cycles.get(c).id;
    track('review_cycles').inserted.push(key('review_cycles', { _id: cycleId }));
    track('review_cycle_details').inserted.push(key('review_cycle_details', { _id: cycleId }));
    for (const p of reviews.participants.list(c)) {
      track('review_participants').inserted.push(key('review_participants', { ...p, reviewCycleId: cycleId }));
      track('review_participant_results').inserted.push(key('review_participant_results', { reviewCycleId: cycleId, userId: p['_id'] }));
    }
  }

  for (const i of distinct(rng, hr.absences.size, updates)) {
    const a = hr.absences.update(i, (r) =>
      rng.bool(0.3) ? { ...r, status: 'removed', updatedAt: stamp } : { ...r, comment: 'Updated by HR', updatedAt: stamp },
    );
    track('absences').updated.push(key('absences', a));
  }
  for (let k = 0; k < inserts; k++) {
    const i = hr.absences.insert(hr.generateAbsence(hr.absences.size, now));
    track('absences').inserted.push(key('absences', hr.absences.get(i)));
  }

  for (const i of distinct(rng, hr.workLocations.size, updates)) {
    const l = hr.workLocations.update(i, (r) => ({
      ...r,
      status: r['status'] === 'active' ? 'inactive' : 'active',
      updatedAt: stamp,
      createdAt: r['createdAt'] ?? stamp,
    }));
    track('work_locations').updated.push(key('work_locations', l));
  }
  for (let k = 0; k < inserts; k++) {
    const i = hr.workLocations.insert(hr.generateLocation(hr.workLocations.size, now));
    track('work_locations').inserted.push(key('work_locations', hr.workLocations.get(i)));
  }

  for (const i of distinct(rng, hr.payrollCycles.size, updates)) {
    const p = hr.payrollCycles.update(i, (r) =>
      r['status'] === 'approved'
        ? { ...r, status: 'reopened', updatedAt: stamp }
        : { ...r, status: 'approved', approvedAt: stamp, approvedBy: world.userId(0), updatedAt: stamp },
    );
    track('payroll_cycles').updated.push(key('payroll_cycles', p));
  }
  for (let k = 0; k < inserts; k++) {
    const i = hr.payrollCycles.insert(hr.generatePayrollCycle(hr.payrollCycles.size, now));
    const cycle = hr.payrollCycles.get(i);
    track('payroll_cycles').inserted.push(key('payroll_cycles', cycle));
    for (const e of hr.payrollParticipantIndexes(i)) {
      track('payroll_cycle_participants').inserted.push(key('payroll_cycle_participants', { payrollCycleId: cycle['id'], id: world.userId(e) }));
    }
  }

  // Likes and comment counts change without any timestamp: only a full read sees them.
  for (const i of distinct(rng, hr.feedback.size, updates)) {
    const f = hr.feedback.update(i, (r) => ({ ...r, likesCount: (r['likesCount'] as number) + 1 + rng.int(3) }));
    track('feedback').updated.push(key('feedback', f));
  }
  for (let k = 0; k < inserts; k++) {
    const i = hr.feedback.insert(hr.generateFeedback(hr.feedback.size, now));
    track('feedback').inserted.push(key('feedback', hr.feedback.get(i)));
  }

  // People: a new title shows in /employees and SCIM alike; new hires appear in both.
  for (const i of distinct(rng, world.people.size, updates)) {
    const p = world.people.update(i, (r) => ({ ...r, title: r.title.startsWith('Senior ') ? r.title.slice(7) : `Senior ${r.title}`, lastModifiedMs: now }));
    const id = world.userId(i);
    track('employees').updated.push(key('employees', { id }));
    if (inScim(p)) track('scim_users').updated.push(key('scim_users', { id }));
  }
  for (let k = 0; k < inserts; k++) {
    const i = world.people.insert(world.generatePerson(world.people.size, now));
    const id = world.userId(i);
    track('employees').inserted.push(key('employees', { id }));
    track('scim_users').inserted.push(key('scim_users', { id }));
  }

  for (const t of distinct(rng, world.teams.size, updates)) {
    world.teams.update(t, (r) => ({ ...r, lastModifiedMs: now, externalId: r.externalId ?? `azure-ad-group:${rng.hex(8)}` }));
    track('scim_groups').updated.push(key('scim_groups', { id: world.teamId(t) }));
  }
  for (let k = 0; k < inserts; k++) {
    const t = world.teams.insert(world.generateTeam(world.teams.size, now));
    track('scim_groups').inserted.push(key('scim_groups', { id: world.teamId(t) }));
  }

  world.cache.clear();
  return out;
}
