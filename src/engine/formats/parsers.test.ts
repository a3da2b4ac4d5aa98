import { describe, expect, it } from 'vitest';
import { CsvReader, TruncatedFileError } from './csv.js';
import { JsonValueSplitter } from './json-values.js';
import { ReportRowParser } from '../../streams/reflektive/report-rows.js';

/** Feeds text in pieces of every size from 1 up, so no split point is left untried for small inputs. */
function inPieces(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}

function parseAll(text: string, contentType: string | null, size = text.length) {
  const parser = new ReportRowParser(contentType);
  const rows = inPieces(text, Math.max(1, size)).flatMap((piece) => parser.push(piece));
  const end = parser.end();
  return { rows: [...rows, ...end.rows], cleanEnd: end.cleanEnd, format: parser.detectedFormat };
}

const CSV =
  '\uFEFFemployee_uuid,employee_name,comments\r\n' +
  'u1,"Müller, José","Needs to ""own"" more."\r\n' +
  'u2,Zoë Ødegård,"Promoted in Q3.\nRe-check in six months."\r\n' +
  '\r\n' +
  'u3,,\r\n';

const CSV_ROWS = [
  { employee_uuid: 'u1', employee_name: 'Müller, José', comments: 'Needs to "own" more.' },
  { employee_uuid: 'u2', employee_name: 'Zoë Ødegård', comments: 'Promoted in Q3.\nRe-check in six months.' },
  { employee_uuid: 'u3', employee_name: '', comments: '' },
];

describe('CSV reports', () => {
  it('reads quoted commas, doubled quotes and line breaks, CRLF, a BOM and blank lines, however the text is split', () => {
    for (let size = 1; size <= CSV.length; size++) {
      const parsed = parseAll(CSV, 'text/csv', size);
      expect(parsed.rows, `pieces of ${size}`).toEqual(CSV_ROWS);
      expect(parsed.cleanEnd).toBe(true);
    }
  });

  it('reads LF and lone CR line ends alike', () => {
    expect(parseAll('a,b\n1,2\n', 'text/csv').rows).toEqual([{ a: '1', b: '2' }]);
    expect(parseAll('a,b\r1,2\r', 'text/csv').rows).toEqual([{ a: '1', b: '2' }]);
  });

  it('returns a last line without a line break, but says the file did not end cleanly', () => {
    const parsed = parseAll('a,b\n1,2\n3,4', 'text/csv');
    expect(parsed.rows).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
    expect(parsed.cleanEnd).toBe(false);
  });

  it('treats a file that stops inside a quoted cell or mid-line as cut short', () => {
    expect(() => parseAll('a,b\n1,"unfinished', 'text/csv')).toThrow(TruncatedFileError);
    expect(() => parseAll('a,b,c\n1,2', 'text/csv')).toThrow(/2 of 3 cells/);
  });

  it('names blank and repeated header cells so no cell is lost', () => {
    expect(parseAll('rating,,rating\n1,2,3\n', 'text/csv').rows).toEqual([{ rating: '1', column_2: '2', rating_2: '3' }]);
  });

  it('an empty file or a header alone has no rows', () => {
    expect(parseAll('', 'text/csv').rows).toEqual([]);
    expect(parseAll('a,b\n', 'text/csv').rows).toEqual([]);
  });

  it('the low-level reader keeps empty cells and quoted empties', () => {
    const reader = new CsvReader();
    expect(reader.push('"",x,\n')).toEqual([['', 'x', '']]);
    expect(reader.end()).toBeUndefined();
  });
});

describe('JSON reports', () => {
  const rows = [
    { employee_uuid: 'u1', self_rating: 3.5, manager_rating: null, comments: 'Needs to "own" more, [really] {yes}.' },
    { employee_uuid: 'u2', self_rating: 4, manager_rating: 4.5, nested: { a: [1, 2] }, comments: 'Zoë\nØdegård \\o/' },
  ];

  it('reads an array of objects, however the text is split', () => {
    const text = JSON.stringify(rows, null, 2);
    for (let size = 1; size <= text.length; size += 3) {
      const parsed = parseAll(text, 'application/json', size);
      expect(parsed.rows, `pieces of ${size}`).toEqual(rows);
      expect(parsed.cleanEnd).toBe(true);
    }
  });

  it('reads JSON lines, however the text is split', () => {
    const text = `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`;
    for (let size = 1; size <= text.length; size += 2) {
      const parsed = parseAll(text, 'application/x-ndjson', size);
      expect(parsed.rows, `pieces of ${size}`).toEqual(rows);
      expect(parsed.cleanEnd).toBe(true);
    }
  });

  it('reads an array of arrays with a header row like CSV', () => {
    expect(parseAll('[["a","b"],[1,null],[2,"x"]]', 'application/json').rows).toEqual([
      { a: 1, b: null },
      { a: 2, b: 'x' },
    ]);
  });

  it('treats an unclosed array or a cut-off value as cut short', () => {
    expect(() => parseAll(JSON.stringify(rows).slice(0, -1), 'application/json')).toThrow(TruncatedFileError);
    expect(() => parseAll('{"a":1}\n{"a":', 'application/json')).toThrow(TruncatedFileError);
  });

  it('says a JSON lines file without its final line break did not end cleanly', () => {
    expect(parseAll('{"a":1}\n{"a":2}', 'application/json')).toMatchObject({ rows: [{ a: 1 }, { a: 2 }], cleanEnd: false });
  });

  it('the splitter handles scalars in arrays', () => {
    const splitter = new JsonValueSplitter();
    expect([...splitter.push('[1, "a,]", tr'), ...splitter.push('ue, null]')]).toEqual([1, 'a,]', true, null]);
    expect(splitter.end()).toEqual({ values: [], cleanEnd: true });
  });
});

describe('format detection', () => {
  it('sniffs the first character when the content type names neither format', () => {
    expect(parseAll('  \n[{"a":1}]', 'binary/octet-stream').format).toBe('json');
    expect(parseAll('{"a":1}\n', null).format).toBe('json');
    expect(parseAll('a,b\n1,2\n', 'application/octet-stream')).toMatchObject({ format: 'csv', rows: [{ a: '1', b: '2' }] });
  });

  it('trusts a content type that names the format', () => {
    expect(parseAll('[a],b\n1,2\n', 'text/csv; charset=utf-8')).toMatchObject({ format: 'csv', rows: [{ '[a]': '1', b: '2' }] });
  });

  it('sniffs across pieces that hold only white space', () => {
    const parser = new ReportRowParser(null);
    expect(parser.push('  ')).toEqual([]);
    expect(parser.push('\n[{"a"')).toEqual([]);
    expect(parser.push(':1}]')).toEqual([{ a: 1 }]);
    expect(parser.detectedFormat).toBe('json');
  });
});
