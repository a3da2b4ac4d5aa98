import { connectionSpecification } from './config.js';
import type { ConnectorSpecification } from './protocol/generated.js';

export const DOCUMENTATION_URL = 'https://docs.airbyte.com/integrations/sources/performance-management';

/** What `spec` prints; `spec.json` at the top of the repository is this, written by `npm run generate:spec`. */
export function specification(): ConnectorSpecification {
  return {
    documentationUrl: DOCUMENTATION_URL,
    connectionSpecification: connectionSpecification(),
  };
}
