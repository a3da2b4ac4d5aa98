import { z } from 'zod';
import { field } from '../../engine/schema.js';

/** The documented example host; every customer's host depends on the region of their tenant. */
export const PE365_BASE_URL = 'https://pro.weekly10.net/api/v2';

export const Pe365Config = z
  .object({
    vendor: z.literal('pe365'),
    username: z.string().min(1).meta({
      title: 'API username',
      description: 'The API username generated in Perform & Engage 365 by a Super admin under the settings cog → API keys → Generate New.',
      order: 1,
    }),
    api_key: z.string().min(1).meta({
      title: 'API key',
      description: 'The API key generated with the username. It is the password of HTTP Basic authentication.',
      airbyte_secret: true,
      order: 2,
    }),
    base_url: field
      .httpUrl()
      .optional()
      .meta({
        title: 'API base URL',
        description:
          "The host depends on your tenant's region: use the host of your Perform & Engage 365 web address followed by /api/v2, e.g. https://pro.weekly10.net/api/v2 when you sign in at pro.weekly10.net.",
        default: PE365_BASE_URL,
        examples: [PE365_BASE_URL],
        order: 3,
      }),
  })
  .meta({ title: 'Perform & Engage 365' });

export type Pe365Config = z.infer<typeof Pe365Config>;
