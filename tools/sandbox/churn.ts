import type { ResolvedChurn } from './options.js';
import { Rng } from './random.js';
import type { IndexList, Table } from './table.js';

/** One paginated list, as churn changes it. */
export interface ChurnTarget<T> {
  /** The table the list's records live in: deletions and new records go there. */
  table: Table<T>;
  /** The list as the endpoint serves it now (through `table.ordered`); called again after every change. */
  list(): IndexList;
  /**
   * Creates a record for the list, shaped to sort just before record `next` (Reflektive backdates it
   * to that record's second), and returns its index. Default: a new record of the table's own kind.
   */
  create?(next: number): number;
  /** Drops what the vendor derived from the old data (filter caches). */
  changed(): void;
}

/** What churn did so far. */
export interface ChurnCounts {
  /** Rounds applied. */
  rounds: number;
  deleted: number;
  inserted: number;
}

/**
 * Data that changes while a client pages through it (`churn` option). Every `everyRequests` list
 * requests of a vendor, one round is due. Just before the due request is served, `delete` records
 * placed before its offset (the position of its first record) are deleted; just after it is served,
 * `insert` new records are placed before that offset. Both are the worst case for a client that
 * pages by position: after the deletions its page starts that many records too late (records that
 * moved back past the boundary are skipped), and after the insertions its next page starts too early
 * (records already served come again). A request at the top of a list (offset 0) has nothing before
 * it: a due round waits for the next request that does not.
 */
export class Churn {
  private requests = 0;
  private due = false;
  private pending: { target: ChurnTarget<unknown>; offset: number; seed: number } | undefined;
  readonly counts: ChurnCounts = { rounds: 0, deleted: 0, inserted: 0 };

  constructor(
    private readonly options: ResolvedChurn | undefined,
    private readonly seed: number,
    private readonly vendor: string,
  ) {}

  /** Whether this sandbox churns at all: lists can skip working out an offset otherwise. */
  get active(): boolean {
    return this.options !== undefined;
  }

  /** The list a request starting at position `offset` is served from, once the churn due now is applied. */
  serve<T>(target: ChurnTarget<T>, offset: number): IndexList {
    const options = this.options;
    if (!options) return target.list();
    // The insertions of the previous round were made right after its request was served.
    this.insertPending();
    const list = target.list();
    if (++this.requests % options.everyRequests === 0) this.due = true;
    if (!this.due || offset <= 0 || list.length === 0) return list;
    this.due = false;
    this.counts.rounds++;
    if (options.insert > 0) this.pending = { target: target as ChurnTarget<unknown>, offset, seed: this.requests };
    if (options.delete === 0) return list;
    const rng = Rng.of(this.seed, 'churn-delete', this.vendor, this.requests);
    const before = Math.min(offset, list.length);
    const positions = new Set<number>();
    while (positions.size < Math.min(options.delete, before)) positions.add(rng.int(before));
    for (const p of positions) target.table.remove(list.at(p));
    this.counts.deleted += positions.size;
    target.changed();
    return target.list();
  }

  private insertPending(): void {
    const pending = this.pending;
    if (!pending || !this.options) return;
    this.pending = undefined;
    const { target, offset } = pending;
    const { table } = target;
    const rng = Rng.of(this.seed, 'churn-insert', this.vendor, pending.seed);
    for (let k = 0; k < this.options.insert; k++) {
      const current = target.list();
      if (current.length === 0) return;
      const p = rng.int(Math.min(offset, current.length));
      const next = current.at(p);
      const index = target.create ? target.create(next) : table.insert(table.draft(table.size));
      table.placeBefore(index, p > 0 ? current.at(p - 1) : undefined, next);
      this.counts.inserted++;
      target.changed();
    }
  }
}
