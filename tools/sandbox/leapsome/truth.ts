import type { DataRecord } from '../vendor.js';
import type { LeapsomeData } from './data.js';
import { employee, inScim, scimGroup, scimUser } from './people.js';

/** Connector stream → primary key, per the connector's catalog. */
export const LEAPSOME_KEYS: Record<string, readonly string[]> = {
  goals: ['id'],
  goal_tags: ['id'],
  goal_comments: ['id'],
  review_cycles: ['_id'],
  review_cycle_details: ['_id'],
  review_participants: ['reviewCycleId', '_id'],
  review_participant_results: ['reviewCycleId', 'userId'],
  employees: ['id'],
  timesheets: ['id'],
  payroll_cycles: ['id'],
  payroll_cycle_participants: ['payrollCycleId', 'id'],
  work_locations: ['id'],
  absences: ['_id'],
  feedback: ['id'],
  document_categories: ['id'],
  access_roles: ['id'],
  scim_users: ['id'],
  scim_groups: ['id'],
};

/**
 * Everything a full read of each stream returns, shaped as the connector emits it: the API record
 * plus, for child streams, the parent id field the connector adds. Review cycles exclude templates.
 */
export function* leapsomeTruth(data: LeapsomeData, stream: string, scimBase: string): Generator<DataRecord> {
  const { world, goals, reviews, hr } = data;
  switch (stream) {
    case 'goals':
      yield* goals.goals.all();
      return;
    case 'goal_tags':
      yield* goals.tags.all();
      return;
    case 'goal_comments':
      for (let g = 0; g < goals.goals.size; g++) {
        if (goals.goals.isDeleted(g)) continue;
        const goalId = goals.goals.get(g)['id'];
        for (const c of goals.commentsOf(g)) yield { ...c, goalId };
      }
      return;
    case 'review_cycles':
      for (let c = 0; c < reviews.cycles.size; c++) if (!reviews.cycles.isDeleted(c)) yield reviews.listItem(c);
      return;
    case 'review_cycle_details':
      for (let c = 0; c < reviews.cycles.size; c++) if (!reviews.cycles.isDeleted(c)) yield reviews.detail(c);
      return;
    case 'review_participants':
    case 'review_participant_results':
      for (let c = 0; c < reviews.cycles.size; c++) {
        if (reviews.cycles.isDeleted(c)) continue;
        const reviewCycleId = reviews.cycles.get(c).id;
        for (let k = 0; k < reviews.participants.count(c); k++) {
          const p = reviews.participants.get(c, k);
          yield stream === 'review_participants' ? { ...p, reviewCycleId } : { ...reviews.overview(c, k), reviewCycleId, userId: p['_id'] };
        }
      }
      return;
    case 'employees':
      for (let i = 0; i < world.people.size; i++) if (!world.people.isDeleted(i)) yield employee(world, i);
      return;
    case 'timesheets':
      yield* hr.timesheets.all();
      return;
    case 'payroll_cycles':
      yield* hr.payrollCycles.all();
      return;
    case 'payroll_cycle_participants':
      for (let c = 0; c < hr.payrollCycles.size; c++) {
        if (hr.payrollCycles.isDeleted(c)) continue;
        const payrollCycleId = hr.payrollCycles.get(c)['id'];
        for (const e of hr.payrollParticipantIndexes(c)) yield { ...hr.payrollParticipant(c, e), payrollCycleId };
      }
      return;
    case 'work_locations':
      yield* hr.workLocations.all();
      return;
    case 'absences':
      yield* hr.absences.all();
      return;
    case 'feedback':
      yield* hr.feedback.all();
      return;
    case 'document_categories':
      yield* hr.documentCategories();
      return;
    case 'access_roles':
      yield* hr.accessRoles();
      return;
    case 'scim_users':
      for (let i = 0; i < world.people.size; i++) if (!world.people.isDeleted(i) && inScim(world.person(i))) yield scimUser(world, i, scimBase);
      return;
    case 'scim_groups':
      for (let t = 0; t < world.teams.size; t++) if (!world.teams.isDeleted(t)) yield scimGroup(world, t, scimBase);
      return;
    default:
      throw new Error(`unknown leapsome stream: ${stream}`);
  }
}
