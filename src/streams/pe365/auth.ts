import { ConnectorError, HttpError, NetworkError } from '../../engine/errors.js';
import type { AuthProvider } from '../../engine/http/client.js';
import { PE365_BASE_URL, type Pe365Config } from './config.js';

/** `base64(username:api_key)`: the credential on every request, so a secret in its own right. */
export const basicCredentials = (config: Pe365Config): string => Buffer.from(`${config.username}:${config.api_key}`, 'utf8').toString('base64');

/** HTTP Basic with the API username and key (the current docs; the legacy token flow is not used). */
export function basicAuth(config: Pe365Config): AuthProvider {
  const header = { authorization: `Basic ${basicCredentials(config)}` };
  return { headers: async () => header };
}

const REGION_HINT = `It must be your region's host followed by /api/v2, e.g. ${PE365_BASE_URL} when you sign in at pro.weekly10.net.`;

/** Turns a failed check into what the user has to fix. */
export function checkError(error: unknown, baseUrl: string): unknown {
  if (error instanceof HttpError) {
    if (error.status === 401 || error.status === 403) {
      const detail = /"detail"\s*:\s*"([^"]*)"/.exec(error.bodySnippet)?.[1];
      return new ConnectorError(
        `Perform & Engage 365 rejected the API username and API key (HTTP ${error.status}${detail ? `: ${detail}` : ''}). Check both in the configuration; a Super admin generates them under the settings cog → API keys. If they are right, check the base URL ${baseUrl}. ${REGION_HINT}`,
        'config_error',
        { cause: error },
      );
    }
    if (error.status === 404) {
      return new ConnectorError(`Perform & Engage 365 has no API at the base URL ${baseUrl} (HTTP 404). ${REGION_HINT}`, 'config_error', { cause: error });
    }
  }
  if (error instanceof NetworkError) {
    return new ConnectorError(`Could not reach Perform & Engage 365 at the base URL ${baseUrl} (${error.reason}). ${REGION_HINT}`, 'config_error', {
      cause: error,
    });
  }
  return error;
}
