/**
 * Lazily generated record collections with a mutation overlay. The base records are never stored:
 * `generate(i)` rebuilds record i on demand. Only updated and inserted records live in memory, so a
 * million-record data set costs what its mutations cost.
 */
export class Table<T> {
  private readonly updated = new Map<number, T>();
  private readonly inserted: T[] = [];
  /** Records deleted by churn (see churn.ts); mutations never delete. */
  private readonly deleted = new Set<number>();
  /** Where records placed by churn sort in lists; every other record sorts by its index. */
  private readonly ranks = new Map<number, number>();
  private recent = new Map<number, T>();
  private older = new Map<number, T>();

  /**
   * `memoSize` keeps about that many recently used generated records for tables every other
   * generator looks into, such as people. Records handed out must then be treated as read-only.
   */
  constructor(
    readonly baseCount: number,
    private readonly generate: (index: number) => T,
    private readonly memoSize = 0,
  ) {}

  private generated(index: number): T {
    if (this.memoSize === 0) return this.generate(index);
    let record = this.recent.get(index);
    if (record !== undefined) return record;
    record = this.older.get(index) ?? this.generate(index);
    // Two generations instead of a strict LRU: no deletions, so no Map tombstones to skip, and
    // records in use keep being promoted into the recent generation.
    if (this.recent.size >= this.memoSize / 2) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(index, record);
    return record;
  }

  get size(): number {
    return this.baseCount + this.inserted.length;
  }

  get(index: number): T {
    if (index < this.baseCount) return this.updated.get(index) ?? this.generated(index);
    const row = this.inserted[index - this.baseCount];
    if (row === undefined) throw new RangeError(`no record ${index}`);
    return row;
  }

  has(index: number): boolean {
    return Number.isInteger(index) && index >= 0 && index < this.size;
  }

  isUpdated(index: number): boolean {
    return this.updated.has(index) || index >= this.baseCount;
  }

  /** What record `index` would be if it existed: new records take their shape from here. */
  draft(index: number): T {
    return this.generate(index);
  }

  update(index: number, change: (record: T) => T): T {
    const next = change(structuredClone(this.get(index)));
    if (index < this.baseCount) this.updated.set(index, next);
    else this.inserted[index - this.baseCount] = next;
    return next;
  }

  insert(record: T): number {
    this.inserted.push(record);
    return this.size - 1;
  }

  /** Indexes touched by mutations, for filters that only care about recent changes. */
  touched(): number[] {
    const out = [...this.updated.keys()];
    for (let i = 0; i < this.inserted.length; i++) out.push(this.baseCount + i);
    return out;
  }

  /** Every record that exists (deleted ones left out), in index order. */
  *all(): IterableIterator<T> {
    for (let i = 0; i < this.size; i++) if (!this.deleted.has(i)) yield this.get(i);
  }

  /** Whether record `index` was deleted. `get` still returns it, for records that refer to it. */
  isDeleted(index: number): boolean {
    return this.deleted.has(index);
  }

  /** A record that exists: in range and not deleted. Lookups by id answer 404 for the others. */
  exists(index: number): boolean {
    return this.has(index) && !this.deleted.has(index);
  }

  remove(index: number): void {
    this.deleted.add(index);
  }

  /** Where record `index` sorts in lists. */
  rankOf(index: number): number {
    return this.ranks.get(index) ?? index;
  }

  /** Makes record `index` sort just before the record `next` (at the end when undefined), after `previous`. */
  placeBefore(index: number, previous: number | undefined, next: number | undefined): void {
    if (next === undefined) return void this.ranks.delete(index);
    const high = this.rankOf(next);
    const low = previous === undefined ? high - 1 : this.rankOf(previous);
    this.ranks.set(index, (low + high) / 2);
  }

  /**
   * A list as an endpoint serves it: deleted records left out, records placed by churn where they
   * were placed. Without churn, the list itself.
   */
  ordered(list: IndexList): IndexList {
    if (this.deleted.size === 0 && this.ranks.size === 0) return list;
    const out: number[] = [];
    for (let p = 0; p < list.length; p++) {
      const index = list.at(p);
      if (!this.deleted.has(index)) out.push(index);
    }
    if (this.ranks.size > 0) out.sort((a, b) => this.rankOf(a) - this.rankOf(b));
    return arrayList(out);
  }
}

/** Records that belong to a parent: (parent index, child index) addressing, same overlay idea. */
export class ChildTable<T> {
  private readonly updated = new Map<string, T>();
  private readonly inserted = new Map<number, T[]>();

  constructor(
    private readonly baseCount: (parent: number) => number,
    private readonly generate: (parent: number, index: number) => T,
  ) {}

  count(parent: number): number {
    return this.baseCount(parent) + (this.inserted.get(parent)?.length ?? 0);
  }

  get(parent: number, index: number): T {
    const base = this.baseCount(parent);
    if (index < base) return this.updated.get(`${parent}:${index}`) ?? this.generate(parent, index);
    const row = this.inserted.get(parent)?.[index - base];
    if (row === undefined) throw new RangeError(`no record ${parent}:${index}`);
    return row;
  }

  draft(parent: number, index: number): T {
    return this.generate(parent, index);
  }

  update(parent: number, index: number, change: (record: T) => T): T {
    const next = change(structuredClone(this.get(parent, index)));
    const base = this.baseCount(parent);
    if (index < base) this.updated.set(`${parent}:${index}`, next);
    else (this.inserted.get(parent) as T[])[index - base] = next;
    return next;
  }

  insert(parent: number, record: T): number {
    const list = this.inserted.get(parent) ?? [];
    list.push(record);
    this.inserted.set(parent, list);
    return this.count(parent) - 1;
  }

  list(parent: number): T[] {
    const out: T[] = [];
    const n = this.count(parent);
    for (let i = 0; i < n; i++) out.push(this.get(parent, i));
    return out;
  }
}

/** Ascending record indexes: the result of a filter, or the identity range when unfiltered. */
export interface IndexList {
  readonly length: number;
  at(position: number): number;
}

export const rangeList = (length: number): IndexList => ({ length, at: (p) => p });

export const arrayList = (indexes: ArrayLike<number>): IndexList => ({
  length: indexes.length,
  at: (p) => indexes[p] as number,
});

/**
 * The first position whose record sorts after record `index` (binary search), by index or, for a
 * list in another order (`Table.ordered`), by `rank`. The record itself need not be in the list.
 */
export function positionAfter(list: IndexList, index: number, rank: (index: number) => number = (i) => i): number {
  const bound = rank(index);
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rank(list.at(mid)) <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Filter results by key, so a client paging through a filtered list pays for the full scan once,
 * not once per page. Cleared on every mutation.
 */
export class FilterCache {
  private readonly entries = new Map<string, Int32Array>();

  constructor(private readonly capacity = 32) {}

  get(key: string, size: number, matches: (index: number) => boolean): IndexList {
    return this.remember(key, () => {
      const found: number[] = [];
      for (let i = 0; i < size; i++) if (matches(i)) found.push(i);
      return found;
    });
  }

  /** Any index list computed once per key (most recently used entries survive). */
  remember(key: string, build: () => ArrayLike<number>): IndexList {
    let hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
    } else {
      hit = Int32Array.from(build());
      if (this.entries.size >= this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(key, hit);
    return arrayList(hit);
  }

  clear(): void {
    this.entries.clear();
  }
}
