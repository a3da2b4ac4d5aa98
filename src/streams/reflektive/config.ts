import { z } from 'zod';
import { field } from '../../engine/schema.js';

export const REFLEKTIVE_BASE_URL = 'https://api.reflektive.com';
export const DEFAULT_REPORT_TIMEOUT_MINUTES = 30;

export const ReflektiveConfig = z
  .object({
    vendor: z.literal('reflektive'),
    api_key: z.string().min(1).meta({
      title: 'API key',
      description:
        "The company's secret API key, issued by Reflektive support (support@reflektive.com). It reads data on behalf of the whole company; the connector sends it only in the Authorization header of requests to the API.",
      airbyte_secret: true,
      order: 1,
    }),
    base_url: field
      .httpUrl()
      .optional()
      .meta({
        title: 'API base URL',
        description: 'Override only to reach a proxy or a sandbox. Paths carry their own /v1 or /v2.',
        default: REFLEKTIVE_BASE_URL,
        examples: [REFLEKTIVE_BASE_URL],
        order: 2,
      }),
    calibration_cycle_uuids: z
      .array(z.guid())
      .optional()
      .meta({
        title: 'Calibration review cycles (optional)',
        description:
          'UUIDs of the review cycles whose calibration reports to read, one report per cycle. Reflektive has no endpoint that lists review cycles: take the UUIDs from the Reflektive app or ask Reflektive support. Enables the calibration_reports stream.',
        examples: [['eadf6d0c-00e3-45ce-8332-1673226f0321']],
        order: 3,
      }),
    calibration_report_timeout_minutes: z.number().positive().max(1440).optional().meta({
      title: 'Calibration report timeout (minutes)',
      description: "How long to wait for Reflektive to build one cycle's calibration report (an asynchronous job) before that cycle fails.",
      default: DEFAULT_REPORT_TIMEOUT_MINUTES,
      order: 4,
    }),
  })
  .meta({ title: 'Reflektive' });

export type ReflektiveConfig = z.infer<typeof ReflektiveConfig>;

/** The configured cycles, each once, in lower case (UUIDs are case-insensitive; the API prints them lower case). */
export function calibrationCycles(config: ReflektiveConfig): string[] {
  return [...new Set((config.calibration_cycle_uuids ?? []).map((uuid) => uuid.toLowerCase()))];
}
