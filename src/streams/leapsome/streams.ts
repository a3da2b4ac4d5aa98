import type { z } from 'zod';
import type { StreamDefinition } from '../../engine/stream.js';
import { leapsomeStream, type LeapsomeApis } from './apis.js';
import { overlapping, resizablePages } from '../../engine/overlap.js';
import { cursor, offsetLimit, scimIndex, singlePage } from '../../engine/pagination.js';
import { clampPageSize, type Settings } from '../vendor.js';
import type { LeapsomeConfig } from './config.js';
import * as schema from './schemas.js';

const TIME_TRACKING = 'the permission to manage time-tracking policies';
const PAYROLL = 'the permission to manage payroll policies';
const ABSENCES = 'admin access to absence management';
const SUPER_ADMIN = 'the Super Admin role';

/** `lastModifiedAfter` is strict; asking from one millisecond earlier re-reads the boundary instead of risking it. */
const justBefore = (cursorValue: string) => new Date(Date.parse(cursorValue) - 1).toISOString();

/** Every Leapsome read endpoint of the Content API (OpenAPI v1.0.1) and the SCIM API (v1.1.3). */
export function leapsomeStreams(config: LeapsomeConfig, settings: Settings): Array<StreamDefinition<z.ZodType, LeapsomeApis>> {
  const upTo = (max: number) => clampPageSize(settings, max);
  // Each page starts one record early, on the last record read: records added or deleted before it move nothing past unseen.
  const offsetPages = () => overlapping(offsetLimit({ size: upTo(1000), total: 'meta.totalCount' }));

  const goals = leapsomeStream({
    name: 'goals',
    schema: schema.Goal,
    primaryKey: [['id']],
    request: { path: '/goals' },
    records: 'data',
    paginate: cursor({
      param: 'cursor',
      sizeParam: 'limit',
      size: upTo(1000),
      nextCursor: (r) => (r.body as { meta?: { cursor?: string | null } })?.meta?.cursor,
    }),
    incremental: { cursorField: ['updatedAt'] },
  });

  const goalTags = leapsomeStream({
    name: 'goal_tags',
    schema: schema.GoalTag,
    primaryKey: [['id']],
    request: { path: '/goals/tags' },
  });

  const goalComments = leapsomeStream({
    name: 'goal_comments',
    schema: schema.GoalComment,
    primaryKey: [['id']],
    parent: { stream: goals, fields: { goalId: 'id' } },
    request: { path: ({ goalId }) => `/goals/${goalId}/comments` },
    records: 'data',
    incremental: { cursorField: ['updatedAt'] },
  });

  const reviewCycles = leapsomeStream({
    name: 'review_cycles',
    schema: schema.ReviewCycle,
    primaryKey: [['_id']],
    request: { path: '/reviews', params: () => ({ filter: 'all' }) },
    records: 'data',
    paginate: resizablePages({ param: 'page', sizeParam: 'pageSize', size: upTo(100), first: 0 }),
    incremental: { cursorField: ['lastModifiedOn'], requestParams: (c) => ({ lastModifiedAfter: justBefore(c) }) },
  });

  const reviewCycleDetails = leapsomeStream({
    name: 'review_cycle_details',
    schema: schema.ReviewCycleDetail,
    primaryKey: [['_id']],
    parent: { stream: reviewCycles, fields: { _id: '_id', lastModifiedOn: 'lastModifiedOn' }, incremental: true },
    request: { path: ({ _id }) => `/reviews/${_id}` },
    records: 'data',
    incremental: { cursorField: ['lastModifiedOn'] },
  });

  const reviewParticipants = leapsomeStream({
    name: 'review_participants',
    schema: schema.ReviewParticipant,
    primaryKey: [['reviewCycleId'], ['_id']],
    parent: { stream: reviewCycles, fields: { reviewCycleId: '_id' }, incremental: true },
    request: { path: ({ reviewCycleId }) => `/reviews/${reviewCycleId}/participants` },
    records: 'data',
    paginate: resizablePages({ param: 'page', sizeParam: 'pageSize', size: upTo(100), first: 0 }),
    incremental: { cursorField: ['lastModifiedOn'] },
  });

  const reviewParticipantResults = leapsomeStream({
    name: 'review_participant_results',
    schema: schema.ReviewParticipantResult,
    primaryKey: [['reviewCycleId'], ['userId']],
    parent: { stream: reviewParticipants, fields: { reviewCycleId: 'reviewCycleId', userId: 'reviewee.user' }, incremental: true },
    request: { path: ({ reviewCycleId, userId }) => `/reviews/${reviewCycleId}/participants/${userId}/overview` },
    records: 'data',
    incremental: { cursorField: ['lastModifiedOn'] },
  });

  const employees = leapsomeStream({
    name: 'employees',
    schema: schema.Employee,
    primaryKey: [['id']],
    request: { path: '/employees' },
    records: 'data',
    paginate: resizablePages({ param: 'page', sizeParam: 'pageSize', size: upTo(1000), first: 1, total: 'meta.totalCount' }),
  });

  const timesheets = leapsomeStream({
    name: 'timesheets',
    schema: schema.Timesheet,
    primaryKey: [['id']],
    request: { path: '/time-tracking/timesheets' },
    records: 'data',
    paginate: offsetPages(),
    permission: TIME_TRACKING,
  });

  const payrollCycles = leapsomeStream({
    name: 'payroll_cycles',
    schema: schema.PayrollCycle,
    primaryKey: [['id']],
    request: { path: '/payroll-cycles' },
    records: 'data',
    paginate: offsetPages(),
    incremental: { cursorField: ['updatedAt'] },
    permission: PAYROLL,
  });

  const payrollCycleParticipants = leapsomeStream({
    name: 'payroll_cycle_participants',
    schema: schema.PayrollCycleParticipant,
    primaryKey: [['payrollCycleId'], ['id']],
    parent: { stream: payrollCycles, fields: { payrollCycleId: 'id' } },
    request: { path: ({ payrollCycleId }) => `/payroll-cycles/${payrollCycleId}/participants` },
    records: 'data',
    paginate: offsetPages(),
    permission: PAYROLL,
  });

  const workLocations = leapsomeStream({
    name: 'work_locations',
    schema: schema.WorkLocation,
    primaryKey: [['id']],
    request: { path: '/work-locations' },
    records: 'data',
    paginate: resizablePages({ param: 'page', sizeParam: 'pageSize', size: upTo(1000), first: 1, total: 'meta.totalCount', maxPage: 1000 }),
    incremental: { cursorField: ['updatedAt'] },
  });

  const absences = leapsomeStream({
    name: 'absences',
    schema: schema.Absence,
    primaryKey: [['_id']],
    request: { path: '/absences' },
    paginate: resizablePages({ param: 'page', sizeParam: 'pageSize', size: upTo(1000), first: 1, maxPage: 1000 }),
    incremental: { cursorField: ['updatedAt'] },
    permission: ABSENCES,
  });

  const feedback = leapsomeStream({
    name: 'feedback',
    schema: schema.Feedback,
    primaryKey: [['id']],
    request: { path: '/feedback' },
    records: 'data',
    paginate: offsetPages(),
  });

  const documentCategories = leapsomeStream({
    name: 'document_categories',
    schema: schema.DocumentCategory,
    primaryKey: [['id']],
    request: { path: '/documents/categories' },
    paginate: singlePage(),
  });

  const accessRoles = leapsomeStream({
    name: 'access_roles',
    schema: schema.AccessRole,
    primaryKey: [['id']],
    request: { path: '/access-roles' },
    permission: SUPER_ADMIN,
  });

  const scimUsers = leapsomeStream({
    name: 'scim_users',
    schema: schema.ScimUser,
    primaryKey: [['id']],
    api: (apis) => apis.scim,
    request: { path: '/Users' },
    records: 'Resources',
    paginate: overlapping(scimIndex({ size: upTo(5000) }), 1),
    incremental: { cursorField: ['meta', 'lastModified'] },
  });

  const scimGroups = leapsomeStream({
    name: 'scim_groups',
    schema: schema.ScimGroup,
    primaryKey: [['id']],
    api: (apis) => apis.scim,
    request: { path: '/Groups' },
    records: 'Resources',
    paginate: overlapping(scimIndex({ size: upTo(1000) }), 1),
  });

  return [
    goals,
    goalTags,
    goalComments,
    reviewCycles,
    reviewCycleDetails,
    reviewParticipants,
    reviewParticipantResults,
    employees,
    timesheets,
    payrollCycles,
    payrollCycleParticipants,
    workLocations,
    absences,
    feedback,
    documentCategories,
    accessRoles,
    // The SCIM API needs its own token, which is optional.
    ...(config.scim_token ? [scimUsers, scimGroups] : []),
  ];
}
