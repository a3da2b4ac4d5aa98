import { STATUS_CODES } from 'node:http';
import { json, type Reply } from '../http.js';

/**
 * Leapsome documents status codes but no error body. The sandbox answers in the common Node API
 * shape `{statusCode, error, message}`; connectors should rely on the status code only.
 */
export function leapsomeError(status: number, message: string, headers: Record<string, string> = {}): Reply {
  return json(status, { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message }, headers);
}

const SCIM_ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

/** SCIM errors (RFC 7644 §3.12), `status` as a string like the spec's 404 example. */
export function scimError(status: number, detail: string, scimType?: string, headers: Record<string, string> = {}): Reply {
  return json(
    status,
    { schemas: [SCIM_ERROR], status: String(status), scimType, detail },
    { ...headers, 'content-type': 'application/scim+json; charset=utf-8' },
  );
}
