/** For tests that talk to the Reflektive fake directly: the bodies it answers with, as they read them, and the headers it wants. */
import type { DataRecord } from '../vendor.js';
import { REFLEKTIVE_CREDENTIALS } from './credentials.js';

/** Reflektive's real-time feedback: relative links, only when there is more than one page. */
export interface ReflektivePage {
  data: DataRecord[];
  links?: { self: string; next?: string; last: string };
}

/** Reflektive's answer to POST /v1/reports/reviews: the task that builds the report. */
export interface ReflektiveReportStarted {
  data: { task_uuid: string };
}

/** Reflektive's GET /v1/task/:uuid: a report task's status, and once completed the report's download link. */
export interface ReflektiveTask {
  data: { uuid: string; status: 'pending' | 'completed' | 'failed'; metadata: { link?: string; error?: string } };
}

export const reflektiveHeaders = { authorization: `Token token=${REFLEKTIVE_CREDENTIALS.apiKey}` };
