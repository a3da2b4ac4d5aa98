import { ConnectorError, HttpError } from '../../engine/errors.js';
import { ApiClient, type HttpRequest, type HttpResponse, type Query } from '../../engine/http/client.js';
import { describeVendorError, vendorErrorOf } from './envelope.js';

/** The query parameters whose support per endpoint is unconfirmed: the created_at filter and the order. */
const OPTIONAL_PARAMS = ['created_at[gte]', 'sort', 'order'] as const;

/**
 * Lists whose 404 means that their parent went away between two requests (the engine then skips that
 * parent with a warning): the members of an organization, the members and managers of a team. Every
 * other list answering 404 is missing from the account's API.
 */
const PARENT_SCOPED = /^\/?(organizations|teams)\/[^/]+\/(members|managers)\/?$/;

/** The git routes below an app: in the API overview, not in the route table. */
const UNLISTED_GIT = /^\/?git\/apps\/[^/]+\/repositories(\/|$)/;

/**
 * The Leanmote API client: the engine's client, with Leanmote's errors told in Leanmote's words.
 *
 * - Every failed request's error carries the envelope's code and message ("FORBIDDEN: You do not
 *   have permission to access this team") instead of the raw body.
 * - 401 and 403 become configuration errors that say what to do about the token.
 * - 404 on a list that the account does not serve (everything but the members and managers of an
 *   organization or team) fails the stream reading it with a configuration error, never as a parent
 *   that vanished, which the engine would skip: every git repository, say, would be skipped in silence.
 *   Once a git list below an app has answered for one parent, though, the account serves it: its 404
 *   for another parent (a repository deleted during the read) is that parent gone, and skipped. A 404
 *   before any answer waits for the requests to that list already sent, which may answer.
 * - 400 on a request with `created_at[gte]`, `sort` or `order` (bracket filters and sort fields are
 *   supported "by endpoint", undocumented which) is sent once more without them, and so is every later
 *   request to that list (of any parent): the engine's cursor filter on the records then alone decides
 *   what is emitted, and the list is read whole.
 */
export class LeanmoteClient extends ApiClient {
  /** The lists (by the last segment of their path: "users", "commits") that refused the optional parameters. */
  private readonly refused = new Set<string>();
  /** The git lists below an app that answered at least once: the account serves them. */
  private readonly served = new Set<string>();
  /** Requests to git lists below an app still unanswered, by list. */
  private readonly unanswered = new Map<string, Set<Promise<HttpResponse>>>();

  override async request(request: HttpRequest): Promise<HttpResponse> {
    const list = listOf(request.path);
    const query = this.refused.has(list) ? withoutOptionalParams(request.query) : request.query;
    const git = UNLISTED_GIT.test(request.path);
    const sent = super.request(query === request.query ? request : { ...request, query });
    const others = git ? this.track(list, sent) : undefined;
    try {
      const response = await sent;
      if (git) this.served.add(list);
      return response;
    } catch (error) {
      // A 404 before the list has answered for any parent: the requests to it sent at the same time
      // (for the parents listed with this one) say whether the account serves it. If one of them
      // answers, this parent is one deleted since it was listed. (Those requests may be waiting for
      // the quota or a retry: the stream's failure, if it comes to that, waits as long.)
      if (others && error instanceof HttpError && error.status === 404 && !this.served.has(list)) {
        others.delete(sent);
        await Promise.allSettled([...others]);
      }
      if (error instanceof HttpError && error.status === 400 && hasOptionalParams(query)) {
        if (!this.refused.has(list)) {
          this.refused.add(list);
          const sent = OPTIONAL_PARAMS.filter((param) => query?.[param] !== undefined && query[param] !== null).join(', ');
          this.options.logger.warn(
            `Leanmote refused ${error.method} ${error.path} with ${sent} (HTTP 400${saidBy(error)}). Reading this list without ${OPTIONAL_PARAMS.join(', ')} from now on: all of it is read, and the cursor filter on the records decides what is emitted.`,
          );
        }
        return this.request(request);
      }
      throw leanmoteError(error, request.path, this.served.has(list));
    } finally {
      others?.delete(sent);
    }
  }

  /** Notes `sent` as unanswered until it settles; returns the list's set of unanswered requests. */
  private track(list: string, sent: Promise<HttpResponse>): Set<Promise<HttpResponse>> {
    let set = this.unanswered.get(list);
    if (!set) {
      set = new Set();
      this.unanswered.set(list, set);
    }
    set.add(sent);
    // Settled either way; the caller's own handling reports the outcome.
    sent.catch(() => undefined);
    return set;
  }
}

/** A list's name: the last segment of its path, the same for every parent ("members", "commits"). */
const listOf = (path: string): string => path.replace(/\/+$/, '').split('/').at(-1) ?? path;

function hasOptionalParams(query: Query | undefined): boolean {
  return OPTIONAL_PARAMS.some((param) => query?.[param] !== undefined && query[param] !== null);
}

function withoutOptionalParams(query: Query | undefined): Query | undefined {
  if (!query) return query;
  const rest: Query = { ...query };
  for (const param of OPTIONAL_PARAMS) delete rest[param];
  return rest;
}

/** " UNAUTHORIZED: Authentication token has expired", or the raw snippet, or nothing. */
function saidBy(error: HttpError): string {
  const vendor = vendorErrorOf(error.bodySnippet);
  if (vendor) return ` ${describeVendorError(vendor)}`;
  return error.bodySnippet ? `: ${error.bodySnippet}` : '';
}

/** A failed request's error, in Leanmote's words; anything but an HTTP error is left as it is. */
function leanmoteError(error: unknown, path: string, listServed: boolean): unknown {
  if (!(error instanceof HttpError)) return error;
  const vendor = vendorErrorOf(error.bodySnippet);
  const http = vendor ? new HttpError(error.status, error.method, error.path, describeVendorError(vendor), error.attempts) : error;
  const said = saidBy(error);
  const request = `${error.method} ${error.path}`;
  if (error.status === 401) {
    return new ConnectorError(
      `Leanmote rejected the API token (HTTP 401${said}). Check api_key: tokens are generated under Settings → API Tokens, and can expire or be deactivated. Tokens of the older API at app.leanmote.com ("lm-…") do not work here.`,
      'config_error',
      { cause: http },
    );
  }
  if (error.status === 403) {
    return new ConnectorError(
      `Leanmote refused ${request} (HTTP 403${said}). A token reads what its user may see: use a token of a user with access to it, or deselect the stream.`,
      'config_error',
      { cause: http },
    );
  }
  if (error.status === 404 && UNLISTED_GIT.test(path) && !listServed) {
    return new ConnectorError(
      `Leanmote has no ${request} for this account (HTTP 404${said}). The git repository, commit and pull-request routes are in Leanmote's API overview but not in its route table, so an account may not serve them: deselect git_repositories, git_commits and git_pull_requests.`,
      'config_error',
      { cause: http },
    );
  }
  if (error.status === 404 && !PARENT_SCOPED.test(path) && !(UNLISTED_GIT.test(path) && listServed)) {
    return new ConnectorError(
      `Leanmote has no ${request} for this account (HTTP 404${said}): the account's API does not serve this list. Deselect the stream that reads it.`,
      'config_error',
      { cause: http },
    );
  }
  return http;
}
