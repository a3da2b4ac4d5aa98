import { bar, count, seconds, table, type Cell, type Style, type Terminal } from './format.js';
import type { ReadProgress, StreamProgress } from './progress.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * Shows a read's progress while it runs: on a terminal, one line per stream (records so far, the
 * estimated total where the API gave one) redrawn in place ten times a second; elsewhere (CI logs,
 * pipes), one plain line every two seconds.
 */
export class ProgressView {
  private timer: NodeJS.Timeout | undefined;
  private drawn = 0;
  private frame = 0;
  private readonly live: boolean;

  constructor(
    private readonly out: Terminal,
    private readonly progress: ReadProgress,
    private readonly style: Style,
  ) {
    this.live = Boolean(out.isTTY) && process.env['TERM'] !== 'dumb';
  }

  start(): void {
    if (this.live) this.out.write('\x1b[?25l');
    this.timer = setInterval(() => this.tick(), this.live ? 100 : 2000);
  }

  /** Ends the display: the live block is erased (the summary table replaces it), plain mode prints a last line. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.live) {
      this.out.write(`${this.drawn > 0 ? `\x1b[${this.drawn}A\r` : ''}\x1b[0J\x1b[?25h`);
      this.drawn = 0;
    } else {
      this.appendLines();
    }
  }

  private tick(): void {
    this.frame++;
    if (this.live) this.redraw();
    else this.appendLines();
  }

  private redraw(): void {
    const width = Math.max(40, (this.out.columns ?? 100) - 1);
    const rows = this.out.rows ?? 40;
    const streams = [...this.progress.streams.values()];
    let lines = streams.map((s) => this.line(s, width));
    // A block taller than the terminal cannot be redrawn in place: show the running stream only.
    if (lines.length + 2 > rows) lines = streams.filter((s) => s.status === 'running').map((s) => this.line(s, width));
    const done = streams.filter((s) => s.status === 'complete' || s.status === 'incomplete').length;
    const elapsed = (this.progress.endedAt ?? Date.now()) - this.progress.startedAt;
    lines.push(this.style.dim(`  ${done}/${streams.length} streams · ${count(this.progress.records)} records · ${seconds(elapsed)}`));
    let text = this.drawn > 0 ? `\x1b[${this.drawn}A\r` : '';
    for (const line of lines) text += `\x1b[2K${line}\n`;
    // Clear what a taller previous frame left below.
    if (lines.length < this.drawn) text += '\x1b[0J';
    this.out.write(text);
    this.drawn = lines.length;
  }

  private line(s: StreamProgress, width: number): string {
    const icon = {
      waiting: this.style.dim('·'),
      running: this.style.cyan(SPINNER[this.frame % SPINNER.length] as string),
      complete: this.style.green('✓'),
      incomplete: this.style.red('✗'),
    }[s.status];
    const name = s.name.padEnd(28).slice(0, 28);
    const total = s.estimate !== undefined ? ` / ~${count(s.estimate)}` : '';
    const records = `${count(s.records)}${total}`.padStart(16);
    const meter = s.estimate ? ` ${bar(s.records / Math.max(1, s.estimate), 12)}` : ' '.repeat(13);
    const time = s.startedAt ? seconds((s.endedAt ?? Date.now()) - s.startedAt).padStart(7) : '';
    const text = `${name} ${records}${meter} ${time}`.slice(0, width - 4);
    return ` ${icon} ${s.status === 'waiting' ? this.style.dim(text) : text}`;
  }

  private appendLines(): void {
    const streams = [...this.progress.streams.values()];
    const done = streams.filter((s) => s.status === 'complete' || s.status === 'incomplete').length;
    const running = streams
      .filter((s) => s.status === 'running')
      .map((s) => `${s.name} (${count(s.records)}${s.estimate !== undefined ? ` of ~${count(s.estimate)}` : ''} records so far)`);
    const elapsed = seconds((this.progress.endedAt ?? Date.now()) - this.progress.startedAt);
    const now = running.length > 0 ? `; now ${running.join(', ')}` : '';
    this.out.write(this.style.dim(`  … ${elapsed}: ${done}/${streams.length} streams done, ${count(this.progress.records)} records${now}\n`));
  }
}

/** The table after a read: stream, sync mode, records, states, time, and how it ended. */
export function summaryTable(progress: ReadProgress, style: Style, check?: (stream: StreamProgress) => Cell | undefined): string[] {
  const streams = [...progress.streams.values()];
  const rows = streams.map((s) => {
    const status: Cell =
      s.status === 'complete' ? { text: 'ok', paint: style.green } : { text: s.status === 'incomplete' ? 'FAILED' : 'not run', paint: style.red };
    return [
      s.name,
      s.mode === 'incremental' ? 'incremental' : 'full refresh',
      count(s.records),
      count(s.states),
      s.startedAt && s.endedAt ? seconds(s.endedAt - s.startedAt) : '',
      status,
      ...(check ? [check(s) ?? ''] : []),
    ];
  });
  const elapsed = (progress.endedAt ?? Date.now()) - progress.startedAt;
  const footer = [
    `${streams.length} streams`,
    '',
    count(progress.records),
    count(streams.reduce((n, s) => n + s.states, 0)),
    seconds(elapsed),
    progress.failed.length === 0 ? { text: 'ok', paint: style.green } : { text: `${progress.failed.length} failed`, paint: style.red },
    ...(check ? [''] : []),
  ];
  return table(
    [
      { title: 'stream' },
      { title: 'sync mode' },
      { title: 'records', align: 'right' },
      { title: 'states', align: 'right' },
      { title: 'time', align: 'right' },
      { title: 'status' },
      ...(check ? [{ title: 'check' }] : []),
    ],
    rows,
    footer,
  );
}
