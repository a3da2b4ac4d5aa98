/** Small text helpers for the demo's terminal output. */

/** Where the demo writes: process.stdout, or anything with `write` (tests). */
export interface Terminal {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\x1b[${open}m${text}\x1b[${close}m`;

/** ANSI colours on a terminal that wants them (NO_COLOR and pipes get plain text). */
export function styleFor(stream: Terminal): Style {
  const color = Boolean(stream.isTTY) && !process.env['NO_COLOR'] && process.env['TERM'] !== 'dumb';
  const plain = (text: string) => text;
  return color
    ? { bold: ansi(1, 22), dim: ansi(2, 22), green: ansi(32, 39), red: ansi(31, 39), yellow: ansi(33, 39), cyan: ansi(36, 39) }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };
}

export const count = (n: number): string => n.toLocaleString('en-US');

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function bar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
}

export interface Column {
  title: string;
  align?: 'left' | 'right';
}

/** Cells are plain text; `paint` colours a padded cell (so colour codes never upset the widths). */
export interface Cell {
  text: string;
  paint?: (text: string) => string;
}

export function table(columns: Column[], rows: Array<Array<string | Cell>>, footer?: Array<string | Cell>): string[] {
  const cellOf = (value: string | Cell): Cell => (typeof value === 'string' ? { text: value } : value);
  const all = [...rows, ...(footer ? [footer] : [])].map((row) => row.map(cellOf));
  const widths = columns.map((column, i) => Math.max(column.title.length, ...all.map((row) => [...(row[i]?.text ?? '')].length)));
  const pad = (text: string, i: number) => {
    const gap = ' '.repeat((widths[i] ?? 0) - [...text].length);
    return columns[i]?.align === 'right' ? gap + text : text + gap;
  };
  const line = (row: Cell[]) =>
    row
      .map((cell, i) => (cell.paint ?? ((t: string) => t))(pad(cell.text, i)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [
    line(columns.map((c) => ({ text: c.title }))),
    rule,
    ...all.slice(0, rows.length).map(line),
    ...(footer ? [rule, line(all[all.length - 1] as Cell[])] : []),
  ];
}
