import { describe, expect, it } from 'vitest';
import { createLaneRamp } from './lane-ramp';

/** A ramp of 250 ms windows on a clock the test moves: `report(ms, busy)` lets `ms` pass, then reports `busy` ms of writing. */
function rampOnClock(options: { windowMs?: number; idleShare?: number; windows?: number } = {}) {
  let clock = 1000;
  const ramp = createLaneRamp({ now: () => clock, windowMs: 250, ...options });
  const report = (ms: number, busy: number) => {
    clock += ms;
    return ramp.record(busy);
  };
  return { ramp, report };
}

describe('createLaneRamp', () => {
  it('never asks for another GET while the writer is busy', () => {
    const { report } = rampOnClock();
    expect(report(0, 0)).toBe(false);
    for (let i = 0; i < 40; i++) expect(report(50, 45)).toBe(false);
  });

  it('asks for one after two windows in a row in which the writer waited for bytes 30 % of the time or more', () => {
    const { report } = rampOnClock();
    report(0, 0);
    const answers = Array.from({ length: 10 }, () => report(50, 20));
    // Windows close at 250 and 500 ms: the second idle one asks.
    expect(answers.indexOf(true)).toBe(9);
    expect(answers.filter(Boolean)).toHaveLength(1);
  });

  it('starts counting again after a busy window', () => {
    const { report } = rampOnClock();
    report(0, 0);
    expect(report(250, 50)).toBe(false); // idle
    expect(report(250, 240)).toBe(false); // busy
    expect(report(250, 50)).toBe(false); // idle, one in a row
    expect(report(250, 50)).toBe(true);
  });

  it('does not count the wait for a new body as the writer idling, and keeps the idle windows before it', () => {
    const { ramp, report } = rampOnClock();
    report(0, 0);
    expect(report(250, 0)).toBe(false); // idle, one in a row
    ramp.newBody();
    // A second without reports (the next GET's first bytes on their way), then a busy writer.
    expect(report(1000, 0)).toBe(false);
    expect(report(250, 240)).toBe(false);
    // Idle again: one in a row after the busy window.
    expect(report(250, 0)).toBe(false);
    ramp.newBody();
    report(500, 0);
    expect(report(250, 0)).toBe(true);
  });

  it('forgets the idle windows on a restart (a lane was opened)', () => {
    const { ramp, report } = rampOnClock();
    report(0, 0);
    expect(report(250, 0)).toBe(false);
    ramp.restart();
    report(0, 0);
    expect(report(250, 0)).toBe(false);
    expect(report(250, 0)).toBe(true);
  });

  it('follows its options', () => {
    const { report } = rampOnClock({ windowMs: 100, idleShare: 0.9, windows: 1 });
    report(0, 0);
    expect(report(100, 20)).toBe(false); // 80 % idle
    expect(report(100, 5)).toBe(true);
  });
});
