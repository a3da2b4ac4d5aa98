import { z } from 'zod';
import { field } from '../../engine/schema.js';

export const LEANMOTE_BASE_URL = 'https://api.leanmote.com/v1';

export const LeanmoteConfig = z
  .object({
    vendor: z.literal('leanmote'),
    api_key: z.string().min(1).meta({
      title: 'API token',
      description:
        'A Leanmote API token, generated under Settings → API Tokens (it is shown once). It is sent as a bearer token in the Authorization header and reads what its user may see. Tokens of the older API at app.leanmote.com ("lm-…") do not work here.',
      airbyte_secret: true,
      order: 1,
    }),
    base_url: field
      .httpUrl()
      .optional()
      .meta({
        title: 'API base URL',
        description: 'Override only to reach a proxy or a sandbox.',
        default: LEANMOTE_BASE_URL,
        examples: [LEANMOTE_BASE_URL],
        order: 2,
      }),
  })
  .meta({ title: 'Leanmote' });

export type LeanmoteConfig = z.infer<typeof LeanmoteConfig>;
