/**
 * Where each element of a JSON array lies in the bytes of a body that has already parsed as JSON: a
 * record can then go out as the bytes it came in, instead of being serialised again. The body is
 * taken to be valid JSON (JSON.parse accepted it); this only finds boundaries.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

/** Byte offsets of each element: element `i` is `bytes.subarray(starts[i], ends[i])`. */
export interface Slices {
  starts: number[];
  ends: number[];
}

/** Elements of a body as the bytes they came in, with the body: none for an element whose start is -1. */
export interface SlicedJson extends Slices {
  bytes: Uint8Array;
}

/** The slices of the elements at `indices`, in that order. */
export function pickSlices(sliced: SlicedJson, indices: readonly number[]): SlicedJson {
  return { bytes: sliced.bytes, starts: indices.map((i) => sliced.starts[i] ?? -1), ends: indices.map((i) => sliced.ends[i] ?? -1) };
}

class Unsure extends Error {}

/**
 * The elements of the array at `path` (object keys joined by dots; '' for the body itself), or
 * undefined when the answer is not certain or not usable as single lines: no array there, a key on
 * the way written with escapes, an element that spans lines. Where a key comes twice, JSON.parse keeps
 * the last and this finds the first: compare elements with what JSON.parse gave before trusting them.
 */
export function arraySlices(bytes: Uint8Array, path: string): Slices | undefined {
  try {
    const scanner = new Scanner(bytes);
    let at = scanner.skipSpace(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0);
    for (const key of path === '' ? [] : path.split('.')) at = scanner.member(at, key);
    return scanner.elements(at);
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}

const encoder = new TextEncoder();

class Scanner {
  constructor(private readonly bytes: Uint8Array) {}

  /** Where the value of `key` starts, in the object at `at`. */
  member(at: number, key: string): number {
    const { bytes } = this;
    if (bytes[at] !== OPEN_OBJECT) throw new Unsure();
    const wanted = encoder.encode(key);
    let i = this.skipSpace(at + 1);
    if (bytes[i] === CLOSE_OBJECT) throw new Unsure();
    for (;;) {
      const keyEnd = this.string(i);
      const matches = this.equals(i + 1, keyEnd - 1, wanted);
      i = this.skipSpace(keyEnd);
      if (bytes[i] !== COLON) throw new Unsure();
      i = this.skipSpace(i + 1);
      // The first of two equal keys is not the one JSON.parse keeps: the caller checks elements against records.
      if (matches) return i;
      i = this.skipSpace(this.value(i));
      if (bytes[i] === CLOSE_OBJECT) break;
      if (bytes[i] !== COMMA) throw new Unsure();
      i = this.skipSpace(i + 1);
    }
    throw new Unsure();
  }

  /** The elements of the array at `at`: one pass over its bytes, the hot loop of a page's records. */
  elements(at: number): Slices {
    const { bytes } = this;
    if (bytes[at] !== OPEN_ARRAY) throw new Unsure();
    const starts: number[] = [];
    const ends: number[] = [];
    const n = bytes.length;
    /** Depth inside the element being read; 0 between elements. */
    let depth = 0;
    let start = 0;
    for (let i = at + 1; i < n; i++) {
      const c = bytes[i];
      if (c === QUOTE) {
        const opened = i;
        for (i++; i < n; i++) {
          const d = bytes[i];
          if (d === QUOTE) break;
          if (d === BACKSLASH) i++;
        }
        if (depth === 0) {
          starts.push(opened);
          ends.push(i + 1);
        }
      } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
        if (depth++ === 0) start = i;
      } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (depth === 0) return { starts, ends };
        if (--depth === 0) {
          starts.push(start);
          ends.push(i + 1);
        }
      } else if (c === LF || c === CR) {
        if (depth > 0) throw new Unsure();
      } else if (depth === 0 && c !== COMMA && c !== SPACE && c !== TAB) {
        // A number or a literal runs to the next delimiter.
        const end = this.value(i);
        starts.push(i);
        ends.push(end);
        i = end - 1;
      }
    }
    throw new Unsure();
  }

  skipSpace(i: number): number {
    const { bytes } = this;
    for (;;) {
      const c = bytes[i];
      if (c === SPACE || c === LF || c === CR || c === TAB) i++;
      else return i;
    }
  }

  /** The end of the value starting at `i`. */
  private value(i: number): number {
    const { bytes } = this;
    const first = bytes[i];
    if (first === QUOTE) return this.string(i);
    if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
      // A number or a literal runs to the next delimiter.
      for (;;) {
        const c = bytes[i];
        if (c === undefined || c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || c === SPACE || c === LF || c === CR || c === TAB) return i;
        i++;
      }
    }
    let depth = 0;
    for (; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === QUOTE) i = this.string(i) - 1;
      else if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (--depth === 0) return i + 1;
      }
    }
    throw new Unsure();
  }

  /** The end (after the closing quote) of the string starting at `i`. */
  private string(i: number): number {
    const { bytes } = this;
    if (bytes[i] !== QUOTE) throw new Unsure();
    for (i++; i < bytes.length; i++) {
      const c = bytes[i];
      if (c === QUOTE) return i + 1;
      if (c === BACKSLASH) i++;
    }
    throw new Unsure();
  }

  /** Whether the bytes from `start` to `end` (a key without its quotes) are `wanted`. */
  private equals(start: number, end: number, wanted: Uint8Array): boolean {
    const { bytes } = this;
    if (end - start !== wanted.length) {
      // A key written with escapes may still be the one wanted: rather than decode it, give up.
      if (bytes.subarray(start, end).includes(BACKSLASH)) throw new Unsure();
      return false;
    }
    for (let k = 0; k < wanted.length; k++) {
      if (bytes[start + k] === BACKSLASH) throw new Unsure();
      if (bytes[start + k] !== wanted[k]) return false;
    }
    return true;
  }
}
