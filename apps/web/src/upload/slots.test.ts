import { describe, expect, it } from 'vitest';
import { createSlots } from './slots.ts';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('createSlots', () => {
  it('hands out at most `limit` slots, then in the order asked', async () => {
    const slots = createSlots(2);
    const order: string[] = [];
    const a = await slots.acquire();
    const b = await slots.acquire();
    void slots.acquire().then((release) => (order.push('c'), release));
    void slots.acquire().then(() => order.push('d'));
    await tick();
    expect([slots.active, slots.waiting, order]).toEqual([2, 2, []]);
    a();
    await tick();
    expect(order).toEqual(['c']);
    b();
    b(); // releasing twice frees one slot only
    await tick();
    expect([slots.active, slots.waiting, order]).toEqual([2, 0, ['c', 'd']]);
  });

  it('lets `front` go first and drops waiters whose signal aborts', async () => {
    const slots = createSlots(1);
    const release = await slots.acquire();
    const order: string[] = [];
    const leaving = new AbortController();
    void slots.acquire().then(() => order.push('fresh'));
    const gone = slots.acquire(leaving.signal);
    void slots.acquire(undefined, { front: true }).then((r) => (order.push('retry'), r()));
    leaving.abort(new Error('paused'));
    await expect(gone).rejects.toThrow('paused');
    expect(slots.waiting).toBe(2);
    release();
    await tick();
    expect(order).toEqual(['retry', 'fresh']);
  });

  it('refuses an already aborted signal', async () => {
    const slots = createSlots(1);
    await expect(slots.acquire(AbortSignal.abort(new Error('no')))).rejects.toThrow('no');
    expect(slots.active).toBe(0);
  });
});
