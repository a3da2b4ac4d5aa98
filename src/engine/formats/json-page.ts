/**
 * A page of records read from its bytes without building the records: one pass checks that the whole
 * body is JSON (the grammar of RFC 8259, as strictly as JSON.parse), finds where each record of the
 * list at a path lies, and where the values of a few of each record's top-level members lie. Only
 * those values, and the body around the list, are parsed. Records go out as the bytes they came in;
 * building every record only to find its key and its cursor was most of the CPU of a read.
 *
 * Whatever this is not certain of (a record that is not an object, spans lines, or has a member name
 * written with escapes; the list's key twice on the way; nesting more than 1024 deep) gives
 * undefined, and the caller parses the body whole, as JSON.parse decides.
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const SLASH = 0x2f;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

export interface JsonPage {
  /**
   * The body parsed, but for its records: each is an object of the fields asked for that it has (the
   * last of a name that comes twice, which is the one JSON.parse keeps).
   */
  body: unknown;
  /** Record `i` is `bytes.subarray(starts[i], ends[i])`, one line of JSON. */
  starts: number[];
  ends: number[];
}

/** Records as the bytes they came in, with the body: none for a record whose start is -1. */
export interface SlicedJson {
  bytes: Uint8Array;
  starts: number[];
  ends: number[];
}

/** The slices of the records at `indices`, in that order. */
export function pickSlices(sliced: SlicedJson, indices: readonly number[]): SlicedJson {
  return { bytes: sliced.bytes, starts: indices.map((i) => sliced.starts[i] ?? -1), ends: indices.map((i) => sliced.ends[i] ?? -1) };
}

class Unsure extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

/**
 * Reads the body `bytes` (UTF-8) whose records are the objects of the array at `path` (object keys
 * joined by dots; '' for the body itself), picking the top-level members `fields` of each record.
 * Undefined when the body is not certainly JSON of that shape.
 */
export function readJsonPage(bytes: Uint8Array, path: string, fields: readonly string[]): JsonPage | undefined {
  try {
    return new PageReader(bytes, path === '' ? [] : path.split('.'), fields).read();
  } catch (error) {
    if (error instanceof Unsure) return undefined;
    throw error;
  }
}

class PageReader {
  private readonly path: Uint8Array[];
  private readonly names: Uint8Array[];
  private readonly text: Buffer;
  private listOpen = -1;
  private listClose = -1;
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  private readonly found: Array<Record<string, unknown>> = [];
  /** Set by `stringEnd` when the string it read has an escape. */
  private escaped = false;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly keys: string[],
    private readonly fields: readonly string[],
  ) {
    this.path = keys.map((key) => encoder.encode(key));
    this.names = fields.map((name) => encoder.encode(name));
    this.text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  read(): JsonPage {
    const { bytes } = this;
    // TextDecoder drops a byte order mark before JSON.parse sees the text: so is it here.
    const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
    const end = this.space(this.value(this.space(bom), 0));
    if (end !== bytes.length || this.listOpen < 0) throw new Unsure();
    const around = utf8.decode(bytes.subarray(bom, this.listOpen + 1)) + utf8.decode(bytes.subarray(this.listClose));
    const body: unknown = JSON.parse(around);
    return { body: this.path.length === 0 ? this.found : this.withRecords(body), starts: this.starts, ends: this.ends };
  }

  /** The body with its emptied list, at the path, replaced by the records' fields. */
  private withRecords(body: unknown): unknown {
    let holder = body as Record<string, unknown>;
    const keys = this.keys;
    for (const key of keys.slice(0, -1)) holder = holder[key] as Record<string, unknown>;
    holder[keys[keys.length - 1] as string] = this.found;
    return body;
  }

  /** The end of the value at `i`; `level` is how much of the path leads to it (-1: off the path). */
  private value(i: number, level: number): number {
    const c = this.bytes[i];
    if (c === OPEN_OBJECT && level >= 0 && level < this.path.length) return this.object(i, level);
    if (c === OPEN_ARRAY && level === this.path.length) return this.list(i);
    return this.scan(i, undefined);
  }

  /** An object on the path: the member that leads on is followed, the others are passed. */
  private object(i: number, level: number): number {
    const { bytes } = this;
    const wanted = this.path[level] as Uint8Array;
    let matches = 0;
    i = this.space(i + 1);
    if (bytes[i] === CLOSE_OBJECT) return i + 1;
    for (;;) {
      if (bytes[i] !== QUOTE) throw new Unsure();
      const keyEnd = this.stringEnd(i + 1);
      const next = this.isName(i + 1, keyEnd - 1, wanted) ? level + 1 : -1;
      if (next >= 0 && ++matches > 1) throw new Unsure();
      i = this.space(keyEnd);
      if (bytes[i] !== COLON) throw new Unsure();
      i = this.space(this.value(this.space(i + 1), next));
      if (bytes[i] === CLOSE_OBJECT) return i + 1;
      if (bytes[i] !== COMMA) throw new Unsure();
      i = this.space(i + 1);
    }
  }

  /** The list of records: each an object on one line. */
  private list(i: number): number {
    const { bytes } = this;
    if (this.listOpen >= 0) throw new Unsure();
    this.listOpen = i;
    i = this.space(i + 1);
    if (bytes[i] !== CLOSE_ARRAY) {
      for (;;) {
        if (bytes[i] !== OPEN_OBJECT) throw new Unsure();
        const found: Record<string, unknown> = {};
        this.found.push(found);
        const end = this.scan(i, found);
        this.starts.push(i);
        this.ends.push(end);
        i = this.space(end);
        if (bytes[i] === CLOSE_ARRAY) break;
        if (bytes[i] !== COMMA) throw new Unsure();
        i = this.space(i + 1);
      }
    }
    this.listClose = i;
    return i + 1;
  }

  /**
   * The end of the value at `i`, off the path. Given `found`, the value is a record: it must stay on
   * one line, and the wanted members at its top level are parsed into `found` as they are passed.
   * One loop over a stack of the containers open, not a call per value: most of a page's bytes pass
   * through here, and no nesting can run the call stack out.
   */
  private scan(i: number, found: Record<string, unknown> | undefined): number {
    const { bytes, names, fields } = this;
    const record = found !== undefined;
    const picking = record && names.length > 0;
    const open = OPEN;
    let depth = 0;
    let field = -1;
    let fieldStart = 0;
    let state = VALUE;
    for (;;) {
      let c = bytes[i] as number;
      // Spaces and tabs anywhere; line breaks only where a record does not end up spanning them.
      while (c <= SPACE && (c === SPACE || c === TAB || (!record && (c === LF || c === CR)))) c = bytes[++i] as number;
      switch (state) {
        case VALUE:
          if (depth === 1) fieldStart = i;
          if (c === QUOTE) i = this.stringEnd(i + 1);
          else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
            if (depth === open.length) throw new Unsure();
            open[depth++] = c;
            i++;
            state = FIRST;
            continue;
          } else if (c === MINUS || (c >= ZERO && c <= NINE)) i = this.number(i);
          else i = this.literal(i);
          break;
        case FIRST:
          if (c !== (open[depth - 1] === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) {
            state = open[depth - 1] === OPEN_OBJECT ? NAME : VALUE;
            continue;
          }
          depth--;
          i++;
          break;
        case NAME: {
          if (c !== QUOTE) throw new Unsure();
          const nameEnd = this.stringEnd(i + 1);
          if (depth === 1 && picking) field = this.fieldAt(i + 1, nameEnd - 1);
          i = nameEnd;
          c = bytes[i] as number;
          while (c <= SPACE && (c === SPACE || c === TAB || (!record && (c === LF || c === CR)))) c = bytes[++i] as number;
          if (c !== COLON) throw new Unsure();
          i++;
          state = VALUE;
          continue;
        }
        default:
          // After a value: a comma, or the end of its container.
          if (c === COMMA) {
            i++;
            state = open[depth - 1] === OPEN_OBJECT ? NAME : VALUE;
            continue;
          }
          if (c !== (open[depth - 1] === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY)) throw new Unsure();
          depth--;
          i++;
      }
      // A value has ended at `i`: a scalar, or a container just closed.
      if (depth === 0) return i;
      if (field >= 0 && depth === 1) {
        (found as Record<string, unknown>)[fields[field] as string] = this.parse(fieldStart, i);
        field = -1;
      }
      state = AFTER_VALUE;
    }
  }

  /** Which of the fields asked for the member name between `start` and `end` is; -1 for none. */
  private fieldAt(start: number, end: number): number {
    const { names } = this;
    for (let f = 0; f < names.length; f++) if (this.isName(start, end, names[f] as Uint8Array)) return f;
    return -1;
  }

  /** The value from `start` to `end`, already checked: plain strings and numbers without a round trip through JSON.parse. */
  private parse(start: number, end: number): unknown {
    const { bytes } = this;
    const c = bytes[start];
    if (c === QUOTE) {
      let plain = true;
      for (let k = start + 1; k < end - 1 && plain; k++) plain = (bytes[k] as number) < 0x80 && bytes[k] !== BACKSLASH;
      if (plain) return this.text.toString('latin1', start + 1, end - 1);
    } else if (c === MINUS || (c !== undefined && c >= ZERO && c <= NINE)) {
      return Number(this.text.toString('latin1', start, end));
    }
    return JSON.parse(utf8.decode(bytes.subarray(start, end)));
  }

  /**
   * Whether the member name just read by `stringEnd`, between `start` and `end` (inside its quotes), is
   * `name`; unsure of one written with escapes, which may be `name` once unescaped.
   */
  private isName(start: number, end: number, name: Uint8Array): boolean {
    if (this.escaped) throw new Unsure();
    if (end - start !== name.length) return false;
    const { bytes } = this;
    for (let k = 0; k < name.length; k++) if (bytes[start + k] !== name[k]) return false;
    return true;
  }

  /** The end (after the closing quote) of the string whose first character is at `i`. */
  private stringEnd(i: number): number {
    const { bytes } = this;
    this.escaped = false;
    for (; ; i++) {
      const c = bytes[i];
      // Most bytes are neither a quote, a backslash nor a control character: one test passes them.
      if (c !== undefined && c > QUOTE && c !== BACKSLASH) continue;
      if (c === QUOTE) return i + 1;
      if (c === BACKSLASH) {
        i = this.escape(i);
        this.escaped = true;
        // JSON strings hold no raw control characters.
      } else if (c === undefined || c < SPACE) throw new Unsure();
    }
  }

  /** The last byte of the escape at `i` (its backslash). */
  private escape(i: number): number {
    const { bytes } = this;
    const c = bytes[i + 1];
    if (c === QUOTE || c === BACKSLASH || c === SLASH || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) return i + 1;
    if (c !== 0x75) throw new Unsure();
    for (let k = i + 2; k < i + 6; k++) if (!isHex(bytes[k])) throw new Unsure();
    return i + 5;
  }

  private number(i: number): number {
    const { bytes } = this;
    if (bytes[i] === MINUS) i++;
    if (bytes[i] === ZERO) i++;
    else i = this.digits(i);
    if (bytes[i] === DOT) i = this.digits(i + 1);
    const e = bytes[i];
    if (e === 0x65 || e === 0x45) {
      i++;
      if (bytes[i] === PLUS || bytes[i] === MINUS) i++;
      i = this.digits(i);
    }
    return i;
  }

  /** The end of one or more digits at `i`. */
  private digits(i: number): number {
    const { bytes } = this;
    const from = i;
    for (let c = bytes[i]; c !== undefined && c >= ZERO && c <= NINE; c = bytes[++i]);
    if (i === from) throw new Unsure();
    return i;
  }

  /** The end of `true`, `false` or `null` at `i`: anything else is no value. */
  private literal(i: number): number {
    const c = this.bytes[i];
    const word = c === 0x74 ? TRUE : c === 0x66 ? FALSE : c === 0x6e ? NULL : undefined;
    if (!word) throw new Unsure();
    for (let k = 0; k < word.length; k++) if (this.bytes[i + k] !== word[k]) throw new Unsure();
    return i + word.length;
  }

  private space(i: number): number {
    const { bytes } = this;
    for (let c = bytes[i]; c === SPACE || c === TAB || c === LF || c === CR; c = bytes[++i]);
    return i;
  }
}

/** What `scan` expects next: a value; the first member or element of a container, or its end; a member's name; a comma or the end after a value. */
const VALUE = 0;
const FIRST = 1;
const NAME = 2;
const AFTER_VALUE = 3;

/**
 * The containers open in `scan`, by their opening byte: deeper nesting than this is left to JSON.parse.
 * One for all readers, since a page is read in one go.
 */
const OPEN = new Uint8Array(1024);

const TRUE = encoder.encode('true');
const FALSE = encoder.encode('false');
const NULL = encoder.encode('null');

function isHex(c: number | undefined): boolean {
  return c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}
