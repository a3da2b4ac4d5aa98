import type { z } from 'zod';
import type { StreamDefinition } from '../../engine/stream.js';
import { pe365Stream, type Pe365Apis } from './apis.js';
import { clampPageSize, type Settings } from '../vendor.js';
import { overlapping } from '../../engine/overlap.js';
import { drfLimitOffset, drfResults } from './pagination.js';
import * as schema from './schemas.js';

/**
 * No maximum `limit` is documented. Asking for up to 1000 is harmless: a server that caps it serves
 * shorter pages, and paging goes on by the records received until `next` is null.
 */
const MAX_LIMIT = 1000;

const DAY_MS = 86_400_000;

/**
 * `date_from` is a calendar day in the server's (undocumented) time zone. Asking from the day before
 * the cursor's UTC day covers any offset; the engine then keeps records from the cursor's day on.
 */
export const dateFrom = (lowerBound: string): string => new Date(Date.parse(lowerBound) - DAY_MS).toISOString().slice(0, 10);

/** The goals article lists `title_name` but shows `title`: accept either, and always emit `title`. */
export function withTitle(goal: unknown): unknown {
  if (!goal || typeof goal !== 'object') return goal;
  const record = goal as Record<string, unknown>;
  if ((record['title'] === undefined || record['title'] === null) && typeof record['title_name'] === 'string') {
    return { ...record, title: record['title_name'] };
  }
  return record;
}

/** Every list endpoint of the Perform & Engage 365 API v2 (helpcenter.zensai.com articles). */
export function pe365Streams(settings: Settings): Array<StreamDefinition<z.ZodType, Pe365Apis>> {
  // Every list pages the same way, each page from one record early (the last one read), so that records
  // added or deleted before it move nothing past unseen. Paths end in a slash: without it Django answers a redirect.
  const drf = () => ({ records: drfResults, paginate: overlapping(drfLimitOffset(clampPageSize(settings, MAX_LIMIT))) });

  const users = pe365Stream({
    ...drf(),
    name: 'users',
    schema: schema.User,
    primaryKey: [['api_id']],
    request: { path: 'users/' },
  });

  const departments = pe365Stream({
    ...drf(),
    name: 'departments',
    schema: schema.Department,
    primaryKey: [['api_id']],
    request: { path: 'departments/' },
  });

  const goals = pe365Stream({
    ...drf(),
    name: 'goals',
    schema: schema.Goal,
    primaryKey: [['api_id']],
    request: { path: 'goals/' },
    records: (body) => drfResults(body).map(withTitle),
  });

  const checkins = pe365Stream({
    ...drf(),
    name: 'checkins',
    schema: schema.Checkin,
    primaryKey: [['api_id']],
    request: { path: 'checkins/' },
    incremental: { cursorField: ['submission_date'], granularity: 'day', requestParams: (bound) => ({ date_from: dateFrom(bound) }) },
  });

  const questions = pe365Stream({
    ...drf(),
    name: 'questions',
    schema: schema.Question,
    primaryKey: [['api_id']],
    request: { path: 'questions/' },
  });

  const questionResponses = pe365Stream({
    ...drf(),
    name: 'question_responses',
    schema: schema.QuestionResponse,
    primaryKey: [['api_id']],
    parent: { stream: questions, fields: { question_api_id: 'api_id' } },
    // Partition values arrive percent-encoded: an id such as "580:<uuid>" becomes "580%3A<uuid>".
    request: { path: ({ question_api_id }) => `questions/${question_api_id}/responses/` },
  });

  const recognitions = pe365Stream({
    ...drf(),
    name: 'recognitions',
    schema: schema.Recognition,
    primaryKey: [['api_id']],
    request: { path: 'recognition/' }, // singular, unlike every other path
  });

  // Conversations and templates have no server-side filter: every page is read, the engine keeps what changed.
  const conversations = pe365Stream({
    ...drf(),
    name: 'conversations',
    schema: schema.Conversation,
    primaryKey: [['api_id']],
    request: { path: 'conversations/' },
    incremental: { cursorField: ['updated_date'] },
  });

  const conversationTemplates = pe365Stream({
    ...drf(),
    name: 'conversation_templates',
    schema: schema.ConversationTemplate,
    primaryKey: [['api_id']],
    request: { path: 'conversation_templates/' },
    incremental: { cursorField: ['updated_date'] },
  });

  const conversationPlans = pe365Stream({
    ...drf(),
    name: 'conversation_plans',
    schema: schema.ConversationPlan,
    primaryKey: [['api_id']],
    request: { path: 'conversation_plans/' },
  });

  return [users, departments, goals, checkins, questions, questionResponses, recognitions, conversations, conversationTemplates, conversationPlans];
}
