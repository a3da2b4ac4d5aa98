import type { AirbyteStateMessage, ConfiguredAirbyteCatalog } from '../../src/protocol/generated.js';
import type { MutationSummary, Sandbox, Vendor } from '../sandbox/index.js';
import { count, table, type Cell, type Style, type Terminal } from './format.js';
import type { ReadProgress } from './progress.js';
import { checkAgainstTruth, checkChanges, type ChangeCheck, type RecordKeys } from './verify.js';
import { summaryTable } from './view.js';

interface Io {
  out: Terminal;
  style: Style;
}

/** The table of a full read with a check column against the sandbox's keys, and the verdict; true when every stream matched. */
export function reportTruth(io: Io, sb: Sandbox, vendor: Vendor, progress: ReadProgress, keys: RecordKeys): boolean {
  const { out, style } = io;
  const say = (line = '') => out.write(`${line}\n`);
  const cells = new Map<string, Cell>();
  let exact = 0;
  for (const [stream, emitted] of keys.byStream) {
    const check = checkAgainstTruth(sb, vendor, stream, emitted);
    if (!check.known) continue;
    const problems = [
      check.missing ? `${check.missing} missing` : '',
      check.unexpected ? `${check.unexpected} unknown` : '',
      check.duplicated ? `${check.duplicated} duplicated` : '',
    ].filter(Boolean);
    if (problems.length === 0) exact++;
    cells.set(stream, problems.length === 0 ? { text: '= sandbox', paint: style.green } : { text: problems.join(', '), paint: style.red });
  }
  for (const line of summaryTable(progress, style, (s) => cells.get(s.name))) say(`  ${line}`);
  say();
  const all = keys.byStream.size;
  if (exact === all)
    say(style.green(`  ✓ All ${exact} streams hold exactly the sandbox's records: ${count(progress.records)} records, none missing, none duplicated.`));
  else say(style.red(`  ✗ ${all - exact} of ${all} streams differ from the sandbox's records.`));
  return exact === all;
}

/** Words in lines of at most `width` characters (40 at least). */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > Math.max(40, width)) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** One line: per stream, how many records the sandbox edited and created. */
export function describeMutation(summary: MutationSummary, vendor: Vendor): string {
  const changes = summary[vendor] ?? {};
  const parts = Object.entries(changes)
    .filter(([, c]) => c.updated.length + c.inserted.length > 0)
    .map(([stream, c]) => `${stream} ${c.updated.length}↻ ${c.inserted.length}+,`);
  return parts.length > 0 ? `(↻ edited, + new) ${parts.join(' ').replace(/,$/, '.')}` : 'nothing changed';
}

/**
 * What an incremental read returned against what the sandbox changed since the saved state: a table
 * per incremental stream, the full-refresh streams checked against the sandbox, and the verdict.
 * True when every change came back and nothing unexpected did.
 */
export function reportChanges(
  io: Io,
  sb: Sandbox,
  vendor: Vendor,
  catalog: ConfiguredAirbyteCatalog,
  savedState: AirbyteStateMessage[],
  summary: MutationSummary,
  keys: RecordKeys,
): boolean {
  const { out, style } = io;
  const say = (line = '') => out.write(`${line}\n`);
  const saved = new Map(savedState.map((s) => [s.stream?.stream_descriptor.name, (s.stream?.stream_state ?? {}) as Record<string, unknown>]));
  const checks: ChangeCheck[] = [];
  const fullRefresh: string[] = [];
  let fullRefreshExact = true;
  for (const configured of catalog.streams) {
    const stream = configured.stream.name;
    const emitted = keys.byStream.get(stream) ?? [];
    if (configured.sync_mode !== 'incremental') {
      const truth = checkAgainstTruth(sb, vendor, stream, emitted);
      if (truth.known && (truth.missing || truth.unexpected || truth.duplicated)) fullRefreshExact = false;
      fullRefresh.push(`${stream} ${count(emitted.length)}`);
      continue;
    }
    const cursorKey = (configured.cursor_field ?? []).join('.');
    checks.push(checkChanges(summary, vendor, stream, emitted, saved.get(stream)?.[cursorKey]));
  }

  say(`  What read #2 returned from the ${checks.length} incremental streams, against what the sandbox changed:`);
  const rows = checks.map((c) => [
    c.stream,
    `${c.updated}↻ ${c.inserted}+${c.follows.length > 0 ? '³' : ''}`,
    count(c.returned),
    { text: `${c.changesBack}/${c.changes}`, paint: c.changesBack === c.changes ? style.green : style.red },
    c.onCursor ? String(c.onCursor) : '',
    c.noCursor ? String(c.noCursor) : '',
    { text: c.other + c.duplicated ? String(c.other + c.duplicated) : '', paint: style.red },
  ]);
  for (const line of table(
    [
      { title: 'stream' },
      { title: 'changed' },
      { title: 'returned', align: 'right' },
      { title: 'changes back', align: 'right' },
      { title: 'on cursor¹', align: 'right' },
      { title: 'no cursor²', align: 'right' },
      { title: 'unexpected', align: 'right' },
    ],
    rows,
  ))
    say(`  ${line}`);
  say(
    style.dim(
      '  ¹ unchanged, on the saved cursor (its day or second where the API filters by those): the lower bound is inclusive so that ties are never lost.',
    ),
  );
  say(style.dim('  ² no cursor value in the record: nothing says it did not change, so it is always read.'));
  for (const c of checks.filter((c) => c.follows.length > 0)) {
    say(style.dim(`  ³ ${c.stream} records carry the cursor of ${c.follows.join(', ')}, so they change with them.`));
  }
  if (fullRefresh.length > 0) say(style.dim(`  Full-refresh streams (no cursor to filter on) were read whole again: ${fullRefresh.join(', ')}.`));
  say();

  const changes = checks.reduce((n, c) => n + c.changes, 0);
  const back = checks.reduce((n, c) => n + c.changesBack, 0);
  const ties = checks.reduce((n, c) => n + c.onCursor + c.noCursor, 0);
  const unexpected = checks.reduce((n, c) => n + c.other + c.duplicated, 0);
  const returned = checks.reduce((n, c) => n + c.returned, 0);
  const ok = back === changes && unexpected === 0 && fullRefreshExact;
  if (back === changes)
    say(style.green(`  ✓ All ${changes} changes came back (${count(returned)} records from incremental streams, instead of a full re-read).`));
  else say(style.red(`  ✗ ${changes - back} of ${changes} changes did not come back.`));
  if (unexpected === 0) say(style.green(`  ✓ Nothing else came back${ties ? `, apart from the ${ties} boundary record(s) explained above` : ''}.`));
  else say(style.red(`  ✗ ${unexpected} unchanged or duplicated record(s) came back.`));
  if (!fullRefreshExact) say(style.red('  ✗ A full-refresh stream differs from the sandbox.'));
  return ok;
}
