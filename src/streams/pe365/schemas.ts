import { z } from 'zod';
import { field } from '../../engine/schema.js';

// The help articles list fields, not schemas: every record lists what they document and lets any
// other field through. Everything but the primary key is nullish, since nothing says what is required.
const obj = z.looseObject;
const str = () => z.string().nullish();
const int = () => field.int().nullish();
const bool = () => z.boolean().nullish();
const date = () => field.date().nullish();
const ts = () => field.dateTime().nullish();
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();
const apiId = () => z.string().describe('PE365 identifier (a UUID, or "<number>:<uuid>" for goals)');

const PersonRef = obj({ api_id: str(), name: str(), email: str() });
const DepartmentRef = obj({ api_id: str(), name: str() });

export const User = obj({
  api_id: apiId(),
  name: str(),
  email: str(),
  departments: list(DepartmentRef),
  manager: PersonRef.nullish(),
  // Fields of the legacy Directory API's user, kept in case the v2 API still returns them.
  is_active: bool().describe('A documented filter; a field of the legacy user'),
  first_name: str().describe('Legacy user field'),
  last_name: str().describe('Legacy user field'),
  language: str().describe('Legacy user field'),
  manager_api_id: str().describe('Legacy user field'),
  department_api_id: str().describe('Legacy user field (also department_2_api_id … department_4_api_id)'),
  follower_api_ids: list(z.string()).describe('Legacy user field'),
  properties: z.record(z.string(), z.unknown()).nullish().describe('Legacy user field: custom person properties'),
});

export const Department = obj({
  api_id: apiId().describe('Upper-case UUID'),
  name: str(),
  admins: list(PersonRef).describe('Named "admin" in the parameter list and "admins" in the example'),
  admin: z.unknown().optional().describe('The parameter list\'s name for "admins"; kept as sent'),
});

export const Goal = obj({
  api_id: apiId().describe('e.g. "580:fef0d7fb-c87a-4607-936f-7a87f9bad6d6"'),
  title: str().describe('The title. The article shows "title"; when a record has only "title_name", the connector copies it here'),
  title_name: str().describe("The name the article's field list uses for the title; passed through as sent"),
  description: str(),
  department: str().describe('Department name'),
  team_manager_name: str(),
  person_name: str(),
  person_group_name: str(),
  responsible_person_name: str(),
  unit: str().describe('perc, number, bin or an ISO 4217 currency code such as usd'),
  baseline_value: str().describe('Decimal string, e.g. "0.0000"'),
  target_value: str().describe('Decimal string'),
  current_value: str().describe('Decimal string'),
  start_date: date(),
  target_date: date(),
  is_complete: bool(),
  rag_status: str().describe('RED, AMBER or GREEN'),
  auto_calculated: bool(),
  is_okr: bool(),
  goal_weight: int(),
  goal_visibility: str().describe('public or lineofsight'),
  rag_target_based: bool(),
});

export const Checkin = obj({
  api_id: apiId(),
  deadline_date: date(),
  submission_date: date().describe('null until the check-in is submitted; the incremental cursor'),
  overdue: bool(),
  on_vacation: bool(),
  is_adhoc: bool(),
});

export const Question = obj({
  api_id: apiId(),
  text: str(),
  type: str().describe('choice, rating, text, yes-no or recognition'),
  choices: list(obj({ api_id: str(), text: str() })),
});

export const QuestionResponse = obj({
  api_id: apiId(),
  question_api_id: z.string().describe('Added by the connector: the question the response answers'),
});

export const Recognition = obj({
  api_id: apiId(),
  question_api_id: str(),
  question_text: str(),
  response_api_id: str(),
  response_text: str(),
  author_api_id: str(),
  author_name: str(),
  author_email: str(),
  mentioned_api_id: str(),
  mentioned_name: str(),
  mentioned_email: str(),
});

export const Conversation = obj({
  api_id: apiId(),
  template_api_id: str(),
  template_name: str(),
  plan_name: str(),
  plan_api_id: str(),
  stage_name: str(),
  stage_api_id: str(),
  status: str().describe('draft, final, deleted or archived'),
  updated_date: ts().describe('The incremental cursor (filtered by the connector: the API has no such filter)'),
  completed_date: ts(),
  generated_date: ts(),
  person_api_id: str(),
  person_name: str(),
});

export const ConversationTemplate = obj({
  api_id: apiId(),
  name: str(),
  active: bool(),
  draft: bool(),
  deleted: bool(),
  created_date: ts(),
  updated_date: ts().describe('The incremental cursor (filtered by the connector: the API has no such filter)'),
});

export const ConversationPlan = obj({
  api_id: apiId(),
  name: str(),
  template_name: str(),
  template_api_id: str(),
  status: str().describe('draft or active'),
  frequency: str(),
});
