import { describe, expect, it } from 'vitest';
import { weeklyImpact } from './impact.ts';

const split = new Date('2026-06-01T00:00:00Z');
const day = (n: number) => new Date(split.getTime() + n * 86_400_000);

describe('weeklyImpact', () => {
  it('counts weeks before the fix and compares the rate after it', () => {
    // 4 weeks before: 10 contacts a week; 2 weeks after: 2 a week
    const before = Array.from({ length: 40 }, (_, i) => day(-28 + Math.floor(i / 10) * 7 + (i % 7)));
    const after = [day(0), day(3), day(8), day(12)];
    const r = weeklyImpact([...before, ...after], { splitAt: split, shipped: true, weeks: 4, now: day(14) });
    expect(r.weeks.map((w) => w.count)).toEqual([10, 10, 10, 10, 2, 2]);
    expect(r.weeks.map((w) => w.after)).toEqual([false, false, false, false, true, true]);
    expect(r.beforePerWeek).toBe(10);
    expect(r.afterPerWeek).toBe(2);
    expect(r.change).toBe(-0.8);
  });

  it('uses the days that have passed for the running week after the fix', () => {
    const r = weeklyImpact([day(-1), day(-2), day(1)], { splitAt: split, shipped: true, weeks: 1, now: day(3.5) });
    expect(r.weeks).toHaveLength(2);
    expect(r.beforePerWeek).toBe(2);
    expect(r.afterPerWeek).toBe(2); // one contact in half a week
    expect(r.change).toBe(0);
  });

  it('has no "after" side until the fix ships, and ignores contacts outside the window', () => {
    const r = weeklyImpact([day(-30), day(-3), day(2)], { splitAt: split, shipped: false, weeks: 2, now: split });
    expect(r.splitAt).toBeNull();
    expect(r.weeks.map((w) => w.count)).toEqual([0, 1]);
    expect(r.afterPerWeek).toBeNull();
    expect(r.change).toBeNull();
  });

  it('puts a contact exactly on a week boundary in the later week', () => {
    const r = weeklyImpact([day(-7)], { splitAt: split, shipped: false, weeks: 2, now: split });
    expect(r.weeks.map((w) => w.count)).toEqual([0, 1]);
  });
});
