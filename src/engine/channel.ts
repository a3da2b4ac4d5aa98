/**
 * Runs once the microtasks queued so far, and those they queue, have all run: a producer's chain of
 * promises goes on until it waits for I/O (a list's next request is on its way) before the consumer
 * resumes. Not a timer, so tests that fake timers do not hold items back.
 */
const nextTurn = (wake: () => void) => process.nextTick(wake);

/**
 * A bounded FIFO between concurrent producers and one consumer: producers wait when it is full, so
 * partitions read in parallel cannot outrun stdout.
 */
export class Channel<T> implements AsyncIterable<T> {
  /** Queued items from `head` on (a moving head: shifting a long array moves all of it). */
  private items: T[] = [];
  private head = 0;
  /** The size of the items queued. */
  private queued = 0;
  private readonly spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private cancelled = false;
  private interruption: { error: unknown } | undefined;
  private stopListening: (() => void) | undefined;

  /**
   * `capacity` is the total size of the items it holds before producers wait, each item counting as
   * `sizeOf(item)` (1 by default). An item larger than that still goes in, alone.
   */
  constructor(
    private readonly capacity: number,
    private readonly sizeOf: (item: T) => number = () => 1,
  ) {}

  async push(item: T): Promise<void> {
    while (this.queued > 0 && this.queued >= this.capacity && !this.cancelled) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.cancelled) throw new ChannelCancelled();
    this.items.push(item);
    this.queued += this.sizeOf(item);
    this.wakeConsumer();
  }

  close(): void {
    this.closed = true;
    this.wakeConsumer();
  }

  fail(error: unknown): void {
    this.failure ??= { error };
    this.close();
  }

  /** Stops the consumer at once, whatever is still queued: at its next item, or now if it waits for one. */
  interrupt(error: unknown): void {
    this.interruption ??= { error };
    this.wakeConsumer();
  }

  /** Interrupts the consumer with `error()` when `signal` aborts (until the consumer is done). */
  interruptOn(signal: AbortSignal, error: () => unknown): void {
    const onAbort = () => this.interrupt(error());
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    this.stopListening = () => signal.removeEventListener('abort', onAbort);
  }

  /** The consumer went away: make every pending and future push throw. */
  cancel(): void {
    this.cancelled = true;
    for (const wake of this.spaceWaiters.splice(0)) wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        if (this.interruption) throw this.interruption.error;
        if (this.head < this.items.length) {
          const item = this.items[this.head] as T;
          this.items[this.head++] = undefined as T;
          this.queued -= this.sizeOf(item);
          if (this.head === this.items.length) {
            this.items = [];
            this.head = 0;
          } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
          }
          // Every producer waiting looks again: one large item gone may make room for several.
          for (const wake of this.spaceWaiters.splice(0)) wake();
          yield item;
          continue;
        }
        if (this.closed) {
          if (this.failure) throw this.failure.error;
          return;
        }
        await new Promise<void>((resolve) => (this.itemWaiter = resolve));
      }
    } finally {
      this.cancel();
      this.stopListening?.();
    }
  }

  /**
   * The consumer waiting for an item resumes after the producer that woke it, not at once (see
   * `nextTurn`). Woken at once, a consumer that writes a whole page before it awaits anything would
   * hold back the request for the next page until then.
   */
  private wakeConsumer(): void {
    const wake = this.itemWaiter;
    if (!wake) return;
    this.itemWaiter = undefined;
    nextTurn(wake);
  }
}

export class ChannelCancelled extends Error {
  constructor() {
    super('the reader stopped consuming');
  }
}
