/**
 * Calls `beat` before `intervalMs` have passed without a `touch`, until stopped: no silence lasts
 * the interval. The platform takes only RECORD and STATE messages as signs of life and may fail a
 * sync that stays silent for too long, while a stream can legitimately wait far longer (a
 * Retry-After, a report job, an hourly quota). The timer does not keep the process alive on its own.
 */
export class Heartbeat {
  private last = Date.now();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  /** When the silence has lasted this long, it beats: a twentieth early, as timers fire late on a busy machine. */
  private readonly dueMs: number;

  constructor(
    intervalMs: number,
    private readonly beat: () => Promise<void>,
  ) {
    this.dueMs = intervalMs - intervalMs / 20;
    this.schedule(this.dueMs);
  }

  touch(): void {
    this.last = Date.now();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick(), Math.max(1, delayMs));
    this.timer.unref?.();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (Date.now() - this.last >= this.dueMs) {
      this.last = Date.now();
      // A failed write fails the read itself, which reports it; the heartbeat has nothing to add.
      await this.beat().catch(() => undefined);
    }
    this.schedule(this.last + this.dueMs - Date.now());
  }
}
