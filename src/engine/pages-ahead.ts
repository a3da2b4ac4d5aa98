import type { HttpResponse } from './http/client.js';
import type { PageToken } from './pagination.js';

/**
 * Requests for pages of one list sent before the read needs them: a list read one page after the
 * other spends each round trip waiting, and the server each page's handling at our end. A page asked
 * for ahead is kept until the read asks for the same page; when it asks for another (the list moved,
 * so the pages ahead start elsewhere), every page asked for ahead is dropped with its answer or its
 * failure, and the read sends the request it needs.
 */
export class PagesAhead {
  private queue: Array<{ key: string; response: Promise<HttpResponse> }> = [];

  constructor(private readonly fetch: (token: PageToken) => Promise<HttpResponse>) {}

  /** The response for the page at `token`: the one asked for ahead, or a request sent now. */
  take(token: PageToken): Promise<HttpResponse> {
    const head = this.queue[0];
    if (head?.key === keyOf(token)) {
      this.queue.shift();
      return head.response;
    }
    this.queue = [];
    return this.fetch(token);
  }

  /** Asks for these pages, in this order, after those asked for already (once each). */
  ask(tokens: readonly PageToken[]): void {
    for (const token of tokens) {
      const key = keyOf(token);
      if (this.queue.some((entry) => entry.key === key)) continue;
      const response = this.fetch(token);
      // A page dropped unread must not fail the read: its failure counts only once it is taken.
      response.catch(() => undefined);
      this.queue.push({ key, response });
    }
  }
}

const keyOf = (token: PageToken): string => JSON.stringify(token);
