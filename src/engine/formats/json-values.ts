import { TruncatedFileError } from './csv.js';

/**
 * Splits JSON text fed piece by piece into its values without holding the whole document: the
 * elements of one top-level array (`[{...}, {...}]`), or a sequence of top-level values (JSON lines,
 * or values simply concatenated). Each value is parsed as soon as its text is complete.
 */
export class JsonValueSplitter {
  private mode: 'array' | 'sequence' | undefined;
  /** Nesting depth of the scanner, counting the top-level array in array mode. */
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** Text of the value being read, from earlier pieces. */
  private carry = '';
  private inValue = false;
  /** A scalar value (number, literal, string) at the top level, which no bracket closes. */
  private scalar = false;
  private closed = false;
  private lastChar = '';

  push(text: string): unknown[] {
    const values: unknown[] = [];
    let start = this.inValue ? 0 : -1;
    const top = () => (this.mode === 'array' ? 1 : 0);
    const finish = (endExclusive: number) => {
      const raw = this.carry + text.slice(start, endExclusive);
      this.carry = '';
      this.inValue = false;
      this.scalar = false;
      start = -1;
      values.push(parse(raw));
    };

    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (ch.trim() !== '') this.lastChar = ch;
      else if (ch === '\n') this.lastChar = ch;
      if (this.mode === undefined) {
        if (ch.trim() === '' || ch === '\uFEFF') continue;
        this.mode = ch === '[' ? 'array' : 'sequence';
        if (this.mode === 'array') {
          this.depth = 1;
          continue;
        }
      }
      if (this.closed) {
        if (ch.trim() !== '') throw new TruncatedFileError('unexpected text after the closing bracket of the JSON array');
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (ch === '\\') this.escaped = true;
        else if (ch === '"') {
          this.inString = false;
          if (this.scalar && this.depth === top()) finish(i + 1);
        }
        continue;
      }
      if (this.scalar) {
        // A bare number or literal ends at a separator, a closing bracket or white space.
        if (ch === ',' || ch === ']' || ch.trim() === '') finish(i);
        else continue;
      }
      if (this.depth === top()) {
        if (ch.trim() === '' || (ch === ',' && this.mode === 'array')) continue;
        if (ch === ']' && this.mode === 'array') {
          this.closed = true;
          this.depth = 0;
          continue;
        }
        start = i;
        this.inValue = true;
        if (ch === '{' || ch === '[') this.depth++;
        else {
          this.scalar = true;
          if (ch === '"') this.inString = true;
        }
        continue;
      }
      if (ch === '"') this.inString = true;
      else if (ch === '{' || ch === '[') this.depth++;
      else if (ch === '}' || ch === ']') {
        this.depth--;
        if (this.depth === top()) finish(i + 1);
      }
    }
    if (this.inValue && start >= 0) this.carry += text.slice(start);
    return values;
  }

  /** The last value when the text ended right after it; throws when the document is cut short. */
  end(): { values: unknown[]; cleanEnd: boolean } {
    const values: unknown[] = [];
    if (this.scalar && !this.inString) {
      values.push(parse(this.carry));
      this.carry = '';
      this.inValue = false;
      this.scalar = false;
    }
    if (this.inValue || this.inString) throw new TruncatedFileError('the JSON file ends inside a value');
    if (this.mode === 'array' && !this.closed) throw new TruncatedFileError('the JSON array is never closed');
    // A JSON lines file ends with a line break; an array with its closing bracket.
    const cleanEnd = this.mode === undefined || this.mode === 'array' || this.lastChar === '\n';
    return { values, cleanEnd };
  }
}

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new TruncatedFileError(`a JSON value does not parse (${error instanceof Error ? error.message : String(error)})`);
  }
}
