import { z } from 'zod';
import { field } from '../../engine/schema.js';

// Every object lets unknown fields through: the vendor adds fields faster than we release.
// Fields are nullish unless the OpenAPI makes them the record's identity.
const obj = z.looseObject;
const str = () => z.string().nullish();
const int = () => field.int().nullish();
const num = () => z.number().nullish();
const bool = () => z.boolean().nullish();
const ts = () => field.dateTime().nullish();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

const IdName = obj({ id: str(), name: str() });
const Person = obj({ id: str(), email: str(), fullName: str(), preferredName: str() });

export const Goal = obj({
  id: z.string(),
  type: z.enum(['user', 'team', 'company']).nullish(),
  user: z.unknown().optional(),
  team: IdName.nullish(),
  name: str(),
  description: str(),
  contributors: list(Person),
  progress: int().describe('0 to 100'),
  status: str().describe('archived, live, draft or removed'),
  managedBy: Person.nullish(),
  tags: list(IdName),
  deadline: ts(),
  keyResults: list(
    obj({
      id: str(),
      name: str(),
      metric: obj({ type: str(), start: int(), end: int(), current: int() }).nullish(),
      weight: int(),
      ownerUser: Person.nullish(),
      ownerTeam: IdName.nullish(),
      contributors: list(Person),
      contributorTeams: list(IdName),
    }),
  ),
  parent: obj({ _id: str(), name: str(), status: str() }).nullish(),
  progressStatus: str().describe('onTrack, offTrack, inputNeeded, done or canceled'),
  createdAt: ts(),
  updatedAt: ts(),
});

export const GoalTag = obj({ id: z.string(), name: str(), status: str(), createdAt: ts(), updatedAt: ts() });

export const GoalComment = obj({
  id: z.string(),
  goalId: z.string().describe('Added by the connector: the goal the comment belongs to'),
  content: str().describe('HTML'),
  sender: obj({ id: str(), firstname: str(), lastname: str(), picture: str() }).nullish(),
  createdAt: ts(),
  updatedAt: ts(),
});

export const ReviewCycle = obj({
  _id: z.string(),
  name: str(),
  status: str(),
  createdAt: ts(),
  kickoffDate: ts(),
  template: str(),
  lastModifiedOn: ts().describe('Newest change of any participant of the cycle'),
});

export const ReviewCycleDetail = obj({
  _id: z.string(),
  name: str(),
  status: str(),
  questions: list(obj({ _id: str(), name: str(), text: str() })),
  timeline: obj({
    start: ts(),
    peerNominationsDeadline: ts(),
    peerApprovalDeadline: ts(),
    peerReviewsDeadline: ts(),
    managerReviewsDeadline: ts(),
    conversationsDeadline: ts(),
  })
    .nullish()
    .describe('Deadlines never set come back as 1970-01-01T00:00:00.000Z'),
  createdAt: ts(),
  lastModifiedOn: ts().describe("Added by the connector: the cycle's lastModifiedOn from /reviews"),
});

const Reviewer = obj({
  user: str(),
  name: str(),
  preferredName: str(),
  status: str(),
  averageRating: str().describe('"<rating> / <scale>", e.g. "75 / 100"'),
  lastModifiedOn: ts(),
  lastModifiedBy: str(),
});

export const ReviewParticipant = obj({
  _id: z.string(),
  reviewCycleId: z.string().describe('Added by the connector: the review cycle'),
  reviewee: Reviewer.nullish(),
  managers: list(Reviewer),
  additionalManagers: list(Reviewer),
  peers: list(Reviewer),
  directReports: list(Reviewer),
  signatureReviewee: z.unknown().optional(),
  signatureManager: z.unknown().optional(),
  lastModifiedOn: ts(),
  lastModifiedBy: str(),
});

export const ReviewParticipantResult = obj({
  reviewCycleId: z.string().describe('Added by the connector: the review cycle'),
  userId: z.string().describe('Added by the connector: the reviewee'),
  lastModifiedOn: ts(),
  questions: list(obj({ _id: str(), name: str(), average: num() })),
  answers: list(
    obj({
      authorId: str(),
      receiverId: str(),
      question: str(),
      type: str().describe('Peer Review, Manager Review, Direct Report Review or Self-Evaluation'),
      rating: int(),
      scale: int(),
      comment: str(),
      multipleChoice: str(),
    }),
  ),
  users: list(
    obj({
      _id: str(),
      fullName: str(),
      preferredName: str(),
      email: str(),
      teams: str().describe('Comma-joined team names'),
      location: str(),
      lastModifiedOn: ts(),
    }),
  ),
});

export const Employee = obj({
  id: z.string(),
  email: str(),
  firstname: str(),
  lastname: str(),
  middlename: str(),
  fullname: str(),
  displayedName: str(),
  status: str(),
  lifecycleStatus: str(),
  manager: IdName.nullish(),
  additionalManagers: list(IdName),
  indirectManagers: list(IdName),
  startDate: ts(),
  endDate: ts(),
  phone: str(),
  teams: list(IdName),
  departments: list(IdName),
  businessUnits: list(IdName),
  costCenters: list(IdName),
  divisions: list(IdName),
  otherGroups: list(IdName),
  level: str(),
  title: str(),
  workLocation: IdName.nullish(),
  compensation: obj({ salary: num(), currency: str(), frequency: str() }).nullish(),
  additionalCompensations: list(
    obj({
      id: str(),
      name: str(),
      amount: num(),
      amountType: str(),
      recurrence: str(),
      comment: str(),
      effectiveAt: ts(),
      validUntil: ts(),
    }),
  ),
  customAttributes: obj({}).nullish(),
});

export const Timesheet = obj({
  id: z.string(),
  user: obj({ id: str(), name: str(), email: str() }).nullish(),
  status: str(),
  startDate: ts(),
  endDate: ts(),
  hoursWorked: str(),
  compensableHours: str(),
  overtimeHours: str(),
  workDuration: str().describe('ISO-8601 duration, e.g. PT10H'),
  projects: list(obj({ id: str(), title: str() })),
});

export const PayrollCycle = obj({
  id: z.string(),
  name: str(),
  status: str(),
  startAt: ts(),
  endAt: ts(),
  customPeriodStartAt: ts(),
  customPeriodEndAt: ts(),
  reviewStartAt: ts(),
  approvalStartAt: ts(),
  approvedAt: ts(),
  approvedBy: str(),
  prorateType: str(),
  compensations: obj({}).nullish(),
  createdAt: ts(),
  updatedAt: ts(),
});

export const PayrollCycleParticipant = obj({
  id: z.string(),
  payrollCycleId: z.string().describe('Added by the connector: the payroll cycle'),
  name: str(),
  email: str(),
  compensations: list(
    obj({
      name: str(),
      amount: num(),
      amountType: str(),
      recurrence: str(),
      comment: str(),
      effectiveAt: ts(),
      validUntil: ts(),
    }),
  ),
  salaryInfoPeriods: list(obj({ currency: str(), salary: num(), salaryRemunerationPeriod: str(), compensationType: str(), baseSalary: num() })),
  isActiveParticipant: bool(),
});

export const WorkLocation = obj({
  id: z.string(),
  name: str(),
  status: str(),
  remote: bool(),
  currency: str(),
  street: str(),
  zip: str(),
  city: str(),
  administrativeDivision: str(),
  country: str(),
  dateFormat: str(),
  primary: bool(),
  createdAt: ts(),
  updatedAt: ts(),
});

export const Absence = obj({
  _id: z.string(),
  createdAt: ts(),
  updatedAt: ts(),
  userId: str(),
  start: ts(),
  startDayTime: str(),
  startDayDuration: str(),
  end: ts(),
  endDayTime: str(),
  endDayDuration: str(),
  absenceType: str(),
  activityType: str(),
  status: str().describe('active, removed or pendingRemoval: removed absences are soft deletes'),
  timeUnit: str(),
  comment: str(),
  actualAbsenceDuration: num(),
});

export const Feedback = obj({
  id: z.string(),
  type: str().describe('praise or instantFeedback'),
  sender: obj({ id: str(), name: str() }).nullish(),
  receivers: list(IdName),
  message: str(),
  badge: obj({ name: str(), icon: str() }).nullish(),
  visibility: str(),
  createdAt: ts(),
  likesCount: int(),
  commentsCount: int(),
});

export const DocumentCategory = obj({ id: z.string(), name: str() });

export const AccessRole = obj({
  id: z.string(),
  name: str(),
  userScopeType: str(),
  isSystemDefault: bool(),
  systemDefaultType: str(),
  active: bool(),
});

const ScimMeta = obj({ resourceType: str(), created: ts(), lastModified: ts(), location: str(), version: str() });

export const ScimUser = obj({
  id: z.string(),
  externalId: str(),
  userName: str(),
  name: obj({ givenName: str(), familyName: str(), formatted: str() }).nullish(),
  displayName: str(),
  title: str(),
  photos: list(obj({ value: str(), type: str() })),
  active: bool(),
  emails: list(obj({ value: str(), type: str(), primary: bool() })),
  groups: list(obj({ value: str(), display: str() })),
  manager: obj({ value: str() }).nullish(),
  meta: ScimMeta.nullish(),
  schemas: list(z.string()),
  'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': obj({}).nullish(),
});

export const ScimGroup = obj({
  id: z.string(),
  displayName: str(),
  externalId: str(),
  members: list(obj({ value: str(), display: str() })),
  meta: ScimMeta.nullish(),
  schemas: list(z.string()),
});
