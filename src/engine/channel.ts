/**
 * A bounded FIFO between concurrent producers and one consumer: producers wait when it is full, so
 * partitions read in parallel cannot outrun stdout.
 */
export class Channel<T> implements AsyncIterable<T> {
  /** Queued items from `head` on (a moving head: shifting a long array moves all of it). */
  private items: T[] = [];
  private head = 0;
  private readonly spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private cancelled = false;
  private interruption: { error: unknown } | undefined;
  private stopListening: (() => void) | undefined;

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length - this.head >= this.capacity && !this.cancelled) {
      await new Promise<void>((resolve) => this.spaceWaiters.push(resolve));
    }
    if (this.cancelled) throw new ChannelCancelled();
    this.items.push(item);
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
          if (this.head === this.items.length) {
            this.items = [];
            this.head = 0;
          } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
            this.items = this.items.slice(this.head);
            this.head = 0;
          }
          this.spaceWaiters.shift()?.();
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

  private wakeConsumer(): void {
    const wake = this.itemWaiter;
    this.itemWaiter = undefined;
    wake?.();
  }
}

export class ChannelCancelled extends Error {
  constructor() {
    super('the reader stopped consuming');
  }
}
