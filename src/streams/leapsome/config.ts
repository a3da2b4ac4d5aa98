import { z } from 'zod';
import { field } from '../../engine/schema.js';

export const LEAPSOME_BASE_URL = 'https://api.leapsome.com/v1';
export const LEAPSOME_SCIM_BASE_URL = 'https://api.leapsome.com/scim/v1';

export const LeapsomeConfig = z
  .object({
    vendor: z.literal('leapsome'),
    api_key: z.string().min(1).meta({
      title: 'Content API secret',
      description:
        'The API secret generated in Leapsome under Settings → Admin settings → Integrations → API. The connector exchanges it for a short-lived token; it never sends the secret on data requests.',
      airbyte_secret: true,
      order: 1,
    }),
    base_url: field
      .httpUrl()
      .optional()
      .meta({
        title: 'Content API base URL',
        description: 'Override only to reach a proxy or a sandbox.',
        default: LEAPSOME_BASE_URL,
        examples: [LEAPSOME_BASE_URL],
        order: 2,
      }),
    scim_token: z.string().min(1).optional().meta({
      title: 'SCIM token (optional)',
      description: 'The SCIM-Authentication-Token from Leapsome → Settings → HRIS integrations → SCIM. Enables the scim_users and scim_groups streams.',
      airbyte_secret: true,
      order: 3,
    }),
    scim_base_url: field
      .httpUrl()
      .optional()
      .meta({
        title: 'SCIM API base URL',
        description: 'Override only to reach a proxy or a sandbox.',
        default: LEAPSOME_SCIM_BASE_URL,
        examples: [LEAPSOME_SCIM_BASE_URL],
        order: 4,
      }),
  })
  .meta({ title: 'Leapsome' });

export type LeapsomeConfig = z.infer<typeof LeapsomeConfig>;
