/**
 * Seeded, stateless randomness. Every generated record is a pure function of (seed, stream, index),
 * so records can be produced lazily in any order and still be identical across runs.
 */

function mix(h: number, k: number): number {
  k = Math.imul(k, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A 32-bit hash of the parts (murmur3-style mixing). Numbers beyond 32 bits keep their high word. */
export function hash32(...parts: Array<string | number>): number {
  let h = 0x2545f491;
  for (const part of parts) {
    if (typeof part === 'number') {
      h = mix(h, part | 0);
      h = mix(h, Math.floor(part / 4294967296) | 0);
    } else {
      for (let i = 0; i < part.length; i++) h = mix(h, part.charCodeAt(i));
      h = mix(h, part.length);
    }
    h = mix(h, 0x5bd1e995);
  }
  return finalize(h);
}

/** A uniform number in [0, 1) from the parts. */
export function unit(...parts: Array<string | number>): number {
  return hash32(...parts) / 4294967296;
}

/** mulberry32: small, fast, good enough for test data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  static of(...parts: Array<string | number>): Rng {
    return new Rng(hash32(...parts));
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max], both inclusive. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[this.int(items.length)] as T;
  }

  /** Picks by weight: `[['a', 3], ['b', 1]]` gives 'a' three times as often. */
  weighted<T>(choices: ReadonlyArray<readonly [T, number]>): T {
    const total = choices.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.next() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (choices[choices.length - 1] as readonly [T, number])[0];
  }

  /** `count` distinct items, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const out: T[] = [];
    while (out.length < count && pool.length > 0) {
      out.push(pool.splice(this.int(pool.length), 1)[0] as T);
    }
    return out;
  }

  /** Up to `count` distinct integers below `n`, without building an array of n. */
  distinct(n: number, count: number): number[] {
    const out: number[] = [];
    for (let tries = 0; out.length < Math.min(count, n) && tries < count * 10; tries++) {
      const v = this.int(n);
      if (!out.includes(v)) out.push(v);
    }
    return out;
  }

  hex(digits: number): string {
    let out = '';
    while (out.length < digits) out += this.int(0x10000).toString(16).padStart(4, '0');
    return out.slice(0, digits);
  }
}

function hex32(n: number, digits = 8): string {
  return (n >>> 0)
    .toString(16)
    .padStart(8, '0')
    .slice(8 - digits);
}

/**
 * MongoDB-style ObjectIds: 4-byte creation time, 5 bytes fixed per (seed, tag) like a per-process
 * random value, 3-byte counter. The counter is the record index, so ids decode back to records
 * without any lookup table.
 */
export class ObjectIds {
  private readonly machine: string;

  constructor(seed: number, tag: string) {
    this.machine = hex32(hash32(seed, 'oid', tag)) + hex32(hash32(seed, 'oid+', tag), 2);
  }

  make(index: number, createdMs: number): string {
    if (index < 0 || index >= 0x1000000) throw new Error(`ObjectId counter out of range: ${index}`);
    const seconds = Math.max(0, Math.floor(createdMs / 1000));
    return hex32(seconds) + this.machine + index.toString(16).padStart(6, '0');
  }

  /** The index encoded in `id`, or undefined when `id` is not one of this tag's ids. */
  decode(id: string): number | undefined {
    if (!/^[0-9a-f]{24}$/.test(id) || id.slice(8, 18) !== this.machine) return undefined;
    return parseInt(id.slice(18), 16);
  }
}

const HALF = 0x1000000; // 24 bits

/** A keyed bijection on 48-bit integers (4-round Feistel), so sequential indexes look random. */
function feistel(value: number, key: number, inverse: boolean): number {
  let left = Math.floor(value / HALF) % HALF;
  let right = value % HALF;
  for (let r = 0; r < 4; r++) {
    const round = inverse ? 3 - r : r;
    if (!inverse) {
      const next = (left ^ (hash32(key, round, right) % HALF)) >>> 0;
      left = right;
      right = next;
    } else {
      const prev = (right ^ (hash32(key, round, left) % HALF)) >>> 0;
      right = left;
      left = prev;
    }
  }
  return left * HALF + right;
}

/**
 * Version-4-shaped UUIDs whose last 48 bits are a keyed permutation of the record index: random to
 * the eye, decodable to the index in O(1).
 */
export class Uuids {
  private readonly key: number;

  constructor(
    private readonly seed: number,
    private readonly tag: string,
  ) {
    this.key = hash32(seed, 'uuid', tag);
  }

  make(index: number): string {
    const rng = Rng.of(this.seed, 'uuid-body', this.tag, index);
    const a = rng.hex(8);
    const b = rng.hex(4);
    const c = `4${rng.hex(3)}`;
    const d = '89ab'.charAt(rng.int(4)) + rng.hex(3);
    const e = feistel(index, this.key, false).toString(16).padStart(12, '0');
    return `${a}-${b}-${c}-${d}-${e}`;
  }

  decode(id: string): number | undefined {
    const m = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-([0-9a-f]{12})$/i.exec(id);
    if (!m) return undefined;
    const index = feistel(parseInt(m[1] as string, 16), this.key, true);
    return this.make(index).toLowerCase() === id.toLowerCase() ? index : undefined;
  }
}
