import { describe, expect, it } from 'vitest';
import { Channel } from './channel.js';

/** Lets every pending promise callback and nextTick run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Channel', () => {
  it('holds items up to their total size: a producer waits once the queue is full, and a large item still goes in alone', async () => {
    const channel = new Channel<number[]>(10, (page) => page.length);
    const pushed: number[] = [];
    const push = (page: number[]) => channel.push(page).then(() => pushed.push(page.length));
    void push([1, 2, 3, 4, 5, 6]);
    void push([1, 2, 3, 4, 5, 6]);
    void push([1]);
    await settle();
    // 6 + 6 is past 10: the second page went in (6 < 10 when it was pushed), the third waits.
    expect(pushed).toEqual([6, 6]);
    const reader = channel[Symbol.asyncIterator]();
    expect((await reader.next()).value).toHaveLength(6);
    await settle();
    expect(pushed).toEqual([6, 6, 1]);

    const alone = new Channel<number[]>(4, (page) => page.length);
    let went = false;
    void alone.push(Array.from({ length: 100 }, (_, i) => i)).then(() => (went = true));
    await settle();
    expect(went).toBe(true);
  });

  it('resumes its consumer only after the producer that woke it has run on to its next wait', async () => {
    const channel = new Channel<string>(10);
    const order: string[] = [];
    const reader = channel[Symbol.asyncIterator]();
    const consumed = reader.next().then(() => order.push('consumer'));
    await settle();
    void (async () => {
      await channel.push('page 1');
      // The steps from one page to the next request going out: a chain of promises, however long.
      for (let step = 0; step < 20; step++) await Promise.resolve();
      order.push('producer: next request sent');
    })();
    await consumed;
    expect(order).toEqual(['producer: next request sent', 'consumer']);
  });
});
