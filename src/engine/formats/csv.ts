/** The file ended in a way no complete file does (an open quote, a cut-off value): download it again. */
export class TruncatedFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TruncatedFileError';
  }
}

/**
 * An RFC 4180 CSV reader fed piece by piece: quoted cells may hold commas, doubled quotes and line
 * breaks; lines end in LF, CRLF or CR; a byte-order mark and blank lines are skipped. `push` returns
 * the records its text completed; the last one, if no line break ends it, only `end` returns.
 */
export class CsvReader {
  private cell = '';
  private record: string[] = [];
  /** Inside a quoted cell. */
  private quoted = false;
  /** A quote inside a quoted cell: a doubled quote or the cell's end, as the next character tells. */
  private quoteSeen = false;
  /** The last line ended in CR: an LF right after it belongs to the same line end. */
  private afterCr = false;
  /** The current record has content (a blank line has none). */
  private started = false;
  private atStart = true;

  push(text: string): string[][] {
    const records: string[][] = [];
    let i = 0;
    if (this.atStart && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) i = 1;
      this.atStart = false;
    }
    for (; i < text.length; i++) {
      const ch = text[i] as string;
      if (this.afterCr) {
        this.afterCr = false;
        if (ch === '\n') continue;
      }
      if (this.quoteSeen) {
        this.quoteSeen = false;
        if (ch === '"') {
          this.cell += '"';
          continue;
        }
        this.quoted = false;
      }
      if (this.quoted) {
        if (ch === '"') this.quoteSeen = true;
        else this.cell += ch;
        continue;
      }
      if (ch === ',') {
        this.record.push(this.cell);
        this.cell = '';
        this.started = true;
      } else if (ch === '\n' || ch === '\r') {
        this.afterCr = ch === '\r';
        const record = this.finishRecord();
        if (record) records.push(record);
      } else if (ch === '"' && this.cell === '') {
        this.quoted = true;
        this.started = true;
      } else {
        // Lenient where RFC 4180 is strict: a quote inside an unquoted cell is kept as text.
        this.cell += ch;
        this.started = true;
      }
    }
    return records;
  }

  /** The last record when no line break ended it; throws when the file stops inside a quoted cell. */
  end(): string[] | undefined {
    if (this.quoted && !this.quoteSeen) throw new TruncatedFileError('the file ends inside a quoted cell');
    this.quoted = false;
    this.quoteSeen = false;
    return this.finishRecord();
  }

  private finishRecord(): string[] | undefined {
    if (!this.started && this.cell === '') return undefined;
    const record = [...this.record, this.cell];
    this.record = [];
    this.cell = '';
    this.started = false;
    return record;
  }
}
