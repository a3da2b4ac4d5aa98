import type { StreamDefinition } from './stream.js';

/**
 * The requests the selected streams need, as far as the totals learned so far tell: a list needs its
 * pages, a child stream at least one request per parent record (plus its parent's pages). Logged
 * when it grows, with how long it takes at the API's hourly capacity, so that a user knows early that
 * the sync of a large account spans hours.
 */
export class RequestPlan {
  private readonly totals = new Map<string, number>();
  private lastSaid = '';

  constructor(
    private readonly streams: readonly StreamDefinition[],
    /** Requests per hour the API allows (the tightest of its limits). */
    private readonly perHour: number | undefined,
    private readonly say: (line: string) => void,
  ) {}

  /** A list's total became known (from its first page). */
  learned(stream: string, total: number): void {
    if (this.totals.get(stream) === total) return;
    this.totals.set(stream, total);
    this.tell();
  }

  private pagesOf(stream: StreamDefinition): number | undefined {
    const total = this.totals.get(stream.name);
    if (total === undefined) return undefined;
    const size = stream.paginate?.pageSize;
    return Math.max(1, size ? Math.ceil(total / size) : 1);
  }

  /** What the selected streams need, known so far: requests, and per stream how. */
  private estimate(): { requests: number; parts: string[]; unknown: string[] } {
    let requests = 0;
    const parts: string[] = [];
    const unknown: string[] = [];
    for (const stream of this.streams) {
      const parent = stream.parent?.stream;
      if (!parent) {
        const pages = this.pagesOf(stream);
        if (pages === undefined) unknown.push(stream.name);
        else {
          requests += pages;
          parts.push(`${stream.name} ${pages} page${pages === 1 ? '' : 's'}`);
        }
        continue;
      }
      const parents = this.totals.get(parent.name);
      if (parents === undefined) {
        unknown.push(stream.name);
        continue;
      }
      // The parent's list is read again for the child when the parent is not selected itself.
      const parentPages = this.streams.includes(parent) ? 0 : (this.pagesOf(parent) ?? 0);
      requests += parents + parentPages;
      parts.push(`${stream.name} ≥ ${parents} (one per ${parent.name} record)`);
    }
    return { requests, parts, unknown };
  }

  private tell(): void {
    const { requests, parts, unknown } = this.estimate();
    if (parts.length === 0) return;
    const hours = this.perHour ? requests / this.perHour : undefined;
    const duration =
      hours === undefined
        ? ''
        : ` At ${this.perHour} requests per hour that is ${hours >= 1 ? `about ${hours.toFixed(1)} h` : `about ${Math.max(1, Math.ceil(hours * 60))} min`} or more.`;
    const rest = unknown.length > 0 ? `; not sized yet: ${unknown.join(', ')}` : '';
    const line = `Plan: at least ${requests} requests (${parts.join(', ')}${rest}).${duration}`;
    if (line === this.lastSaid) return;
    this.lastSaid = line;
    this.say(line);
  }
}
