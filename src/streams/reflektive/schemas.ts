import { z } from 'zod';
import { field } from '../../engine/schema.js';

// Every object lets unknown fields through; fields are nullish unless they are the record's identity.
const obj = z.looseObject;
const str = () => z.string().nullish();

/** A person at the company; Reflektive has no employees endpoint, people only appear inside feedback. */
const Employee = obj({
  uuid: str(),
  email: str(),
  name: str(),
  photo: str().describe('URL of a photograph, if any'),
});

export const FeedbackV1 = obj({
  uuid: z.string(),
  sender: Employee.nullish(),
  recipient: Employee.nullish(),
  content: str().describe('The publicly visible text'),
  created_at: field.dateTime().nullish().describe('When the feedback was sent (ISO 8601); the cursor'),
});

export const FeedbackV2 = obj({
  uuid: z.string(),
  sender: Employee.nullish(),
  recipients: z.array(Employee).nullish().describe('Everyone who received it: several for Team Recognition'),
  content: str().describe('The publicly visible text'),
  created_at: field.dateTime().nullish().describe('When the feedback was sent (ISO 8601); the cursor'),
});

/**
 * One row of a calibration report. The report's columns are undocumented, so only the connector's
 * own fields are declared; every column of the file passes through (CSV cells as strings, JSON
 * values as typed in the file).
 */
export const CalibrationReportRow = obj({
  cycle_uuid: z.string().describe('Added by the connector: the review cycle the report is for'),
  row_number: field.int().describe('Added by the connector: the row of the report file, from 1, header excluded'),
});
