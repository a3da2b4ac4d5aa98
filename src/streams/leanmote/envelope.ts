import { ConnectorError } from '../../engine/errors.js';

/** Leanmote's error body: `{status: "error", error: {code, message}}`. */
export interface VendorError {
  code: string | undefined;
  message: string | undefined;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The error object of a body, parsed or as the start of its text (an error body may arrive cut short). */
export function vendorErrorOf(body: unknown): VendorError | undefined {
  if (typeof body === 'string') {
    try {
      return vendorErrorOf(JSON.parse(body));
    } catch {
      const code = /"code"\s*:\s*"([^"]*)"/.exec(body)?.[1];
      const message = /"message"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(body)?.[1];
      return code || message ? { code: text(code), message: text(message?.replace(/\\(.)/g, '$1')) } : undefined;
    }
  }
  const error = (body as { error?: unknown } | null)?.error;
  if (!error || typeof error !== 'object') return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  const found = { code: text(code), message: text(message) };
  return found.code || found.message ? found : undefined;
}

/** "NOT_FOUND: Team not found", as Leanmote names the error. */
export function describeVendorError(error: VendorError): string {
  return [error.code, error.message].filter((part) => part !== undefined).join(': ');
}

/**
 * A list's records: the envelope's `data`. A body that is not the envelope (an HTML page from a wrong
 * base URL, the older API's `data: {organizations: [...]}`) or that reports an error is never read as
 * an empty list: that would complete the stream with nothing read.
 */
export function envelopeData(body: unknown): unknown[] {
  const envelope = body as { status?: unknown; data?: unknown } | null;
  if (envelope && typeof envelope === 'object' && !Array.isArray(envelope)) {
    if (envelope.status === 'error') {
      const error = vendorErrorOf(envelope);
      throw new ConnectorError(`Leanmote answered with an error${error ? ` (${describeVendorError(error)})` : ''}.`, 'system_error');
    }
    if (Array.isArray(envelope.data)) return envelope.data;
    if ('data' in envelope && envelope.data === null) return [];
  }
  const seen = typeof body === 'string' ? `text starting ${JSON.stringify(body.slice(0, 60))}` : (JSON.stringify(body)?.slice(0, 120) ?? String(body));
  throw new ConnectorError(
    `Leanmote answered without a list in the {status, data, meta} envelope (${seen}). Check that the base URL is the API's, e.g. https://api.leanmote.com/v1.`,
    'system_error',
  );
}
