/** For tests that talk to the PE365 fake directly: the bodies it answers with, as they read them, and the headers it wants. */
import type { DataRecord } from '../vendor.js';
import { PE365_CREDENTIALS } from './credentials.js';

/** A page of Django REST framework's LimitOffsetPagination (PE365), with absolute links. */
export interface DrfPage {
  count: number;
  next: string | null;
  previous: string | null;
  results: DataRecord[];
}

export const pe365Headers = {
  authorization: `Basic ${Buffer.from(`${PE365_CREDENTIALS.username}:${PE365_CREDENTIALS.apiKey}`).toString('base64')}`,
};
