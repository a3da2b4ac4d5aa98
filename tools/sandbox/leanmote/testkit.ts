/** For tests that talk to the Leanmote fake directly: the bodies it answers with, as they read them, and the headers it wants. */
import type { DataRecord } from '../vendor.js';
import { LEANMOTE_CREDENTIALS } from './credentials.js';

/** Leanmote's `{status: 'success', data}`: one object, or a list served whole (the dashboard catalog). */
export interface LeanmoteData<D = DataRecord> {
  status: 'success';
  data: D;
}

/** A page of a Leanmote list: `{status: 'success', data, meta}`. */
export interface LeanmoteList extends LeanmoteData<DataRecord[]> {
  meta: { page: number; per_page: number; total: number; total_pages: number; sort: string; order: string };
}

/** A Leanmote error: `{status: 'error', error: {code, message}}`. */
export interface LeanmoteError {
  status: 'error';
  error: { code: string; message: string };
}

export const leanmoteHeaders = { authorization: `Bearer ${LEANMOTE_CREDENTIALS.apiKey}` };
