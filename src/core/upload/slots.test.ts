import { describe, expect, it } from 'vitest';
import { createSlots } from './slots';
import { createSpeedMeter } from './speed';

describe('createSlots', () => {
  it('grants at most `limit` at once, in arrival order, and lets aborted waiters leave', async () => {
    const slots = createSlots(2);
    const order: string[] = [];
    const a = await slots.acquire();
    const b = await slots.acquire();
    expect(slots.free).toBe(false);
    const controller = new AbortController();
    const c = slots.acquire().then((release) => {
      order.push('c');
      return release;
    });
    const gone = slots.acquire(controller.signal);
    const d = slots.acquire().then((release) => {
      order.push('d');
      return release;
    });
    controller.abort();
    await expect(gone).rejects.toMatchObject({ code: 'ABORTED' });
    a();
    a();
    b();
    (await c)();
    (await d)();
    expect(order).toEqual(['c', 'd']);
    expect(slots.active).toBe(0);
  });
});

describe('createSlots with refillAt', () => {
  it('once full, hands out slots again only at refillAt holders, then several together', async () => {
    const slots = createSlots(4, 2);
    const held = await Promise.all([slots.acquire(), slots.acquire(), slots.acquire(), slots.acquire()]);
    const granted: number[] = [];
    const waiting = [0, 1, 2].map(async (i) => {
      const release = await slots.acquire();
      granted.push(i);
      return release;
    });
    held[0]!();
    await Promise.resolve();
    expect(granted).toEqual([]);
    expect(slots.free).toBe(false);
    held[1]!();
    const [a, b] = await Promise.all(waiting.slice(0, 2));
    expect(granted).toEqual([0, 1]);
    expect(slots.active).toBe(4);
    a!();
    held[2]!();
    b!();
    await waiting[2];
    expect(granted).toEqual([0, 1, 2]);
    expect(slots.active).toBe(2);
    expect(slots.free).toBe(true);
  });
});

describe('createSpeedMeter', () => {
  it('reports 0 until a quarter second has passed, then the rate over the window', () => {
    const meter = createSpeedMeter();
    meter.reset(0);
    expect(meter.sample(1000, 100)).toBe(0);
    expect(meter.sample(5000, 500)).toBe(10_000);
    for (let t = 1000; t <= 10_000; t += 500) meter.sample(t * 20, t);
    expect(meter.sample(220_000, 11_000)).toBeCloseTo(20_000, -2);
  });
});
