/**
 * A bounded FIFO between concurrent producers and one consumer: producers wait when it is full, so
 * partitions read in parallel cannot outrun stdout.
 */
export class Channel<T> implements AsyncIterable<T> {
  private readonly items: T[] = [];
  private readonly spaceWaiters: Array<() => void> = [];
  private itemWaiter: (() => void) | undefined;
  private closed = false;
  private failure: { error: unknown } | undefined;
  private cancelled = false;

  constructor(private readonly capacity: number) {}

  async push(item: T): Promise<void> {
    while (this.items.length >= this.capacity && !this.cancelled) {
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

  /** The consumer went away: make every pending and future push throw. */
  cancel(): void {
    this.cancelled = true;
    for (const wake of this.spaceWaiters.splice(0)) wake();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<T> {
    try {
      for (;;) {
        if (this.items.length > 0) {
          const item = this.items.shift() as T;
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
