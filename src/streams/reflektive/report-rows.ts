import type { Row } from '../../engine/stream.js';
import { CsvReader, TruncatedFileError } from '../../engine/formats/csv.js';
import { JsonValueSplitter } from '../../engine/formats/json-values.js';

export type ReportFormat = 'csv' | 'json';

/**
 * The report's format is undocumented: the content type decides where it names CSV or JSON, else the
 * first character does (`[` or `{` is JSON, anything else CSV).
 */
export function formatFromContentType(contentType: string | null): ReportFormat | undefined {
  const type = (contentType ?? '').toLowerCase();
  if (type.includes('csv')) return 'csv';
  if (type.includes('json')) return 'json';
  return undefined;
}

/**
 * Turns a report file, fed piece by piece, into rows: CSV with a header row (every cell a string), a
 * JSON array of objects, or JSON lines. Rows come out as soon as they are complete.
 */
export class ReportRowParser {
  private format: ReportFormat | undefined;
  private sniffed = '';
  private csv: CsvReader | undefined;
  private header: string[] | undefined;
  private json: JsonValueSplitter | undefined;
  private jsonHeader: string[] | undefined;

  constructor(contentType: string | null) {
    this.format = formatFromContentType(contentType);
  }

  get detectedFormat(): ReportFormat | undefined {
    return this.format;
  }

  push(text: string): Row[] {
    if (this.format === undefined) {
      this.sniffed += text;
      const first = this.sniffed.replace(/^[\s\uFEFF]+/, '')[0];
      if (first === undefined) return [];
      this.format = first === '[' || first === '{' ? 'json' : 'csv';
      text = this.sniffed;
      this.sniffed = '';
    }
    return this.format === 'csv' ? this.csvRows(this.csvReader().push(text)) : this.jsonRows(this.jsonSplitter().push(text));
  }

  /**
   * The rows held back until the end, and whether the file ended as complete files do (a CSV's last
   * line with its line break, a JSON lines file with its final line break). Throws when it cannot be whole.
   */
  end(): { rows: Row[]; cleanEnd: boolean } {
    if (this.format === undefined) return { rows: [], cleanEnd: true };
    if (this.format === 'csv') {
      const tail = this.csvReader().end();
      if (tail === undefined) return { rows: [], cleanEnd: true };
      if (this.header && tail.length < this.header.length) {
        throw new TruncatedFileError(`the last line has ${tail.length} of ${this.header.length} cells`);
      }
      return { rows: this.csvRows([tail]), cleanEnd: false };
    }
    const { values, cleanEnd } = this.jsonSplitter().end();
    return { rows: this.jsonRows(values), cleanEnd };
  }

  private csvReader(): CsvReader {
    this.csv ??= new CsvReader();
    return this.csv;
  }

  private jsonSplitter(): JsonValueSplitter {
    this.json ??= new JsonValueSplitter();
    return this.json;
  }

  private csvRows(records: string[][]): Row[] {
    const rows: Row[] = [];
    for (const record of records) {
      if (!this.header) {
        this.header = uniqueNames(record);
        continue;
      }
      rows.push(zip(this.header, record));
    }
    return rows;
  }

  private jsonRows(values: unknown[]): Row[] {
    const rows: Row[] = [];
    for (const value of values) {
      if (Array.isArray(value)) {
        // An array of arrays reads like CSV: the first is the header.
        if (!this.jsonHeader && value.every((v) => typeof v === 'string')) {
          this.jsonHeader = uniqueNames(value as string[]);
          continue;
        }
        if (this.jsonHeader) {
          rows.push(zip(this.jsonHeader, value));
          continue;
        }
      }
      rows.push(value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Row) : { value });
    }
    return rows;
  }
}

/** Header names as keys: blanks become column_N, repeats get a _2, _3 suffix, so no cell is lost. */
function uniqueNames(header: string[]): string[] {
  const seen = new Set<string>();
  return header.map((raw, index) => {
    const base = raw.trim() === '' ? `column_${index + 1}` : raw;
    let name = base;
    for (let n = 2; seen.has(name); n++) name = `${base}_${n}`;
    seen.add(name);
    return name;
  });
}

function zip(header: string[], cells: unknown[]): Row {
  const row: Row = {};
  cells.forEach((cell, index) => {
    row[header[index] ?? `column_${index + 1}`] = cell;
  });
  return row;
}
