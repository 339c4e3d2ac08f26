import { describe, expect, it } from 'vitest';
import { agentsForServiceLevel, erlangB, erlangC, serviceLevel } from './erlang-c.ts';

describe('Erlang C', () => {
  // The textbook example (e.g. Call Centre Helper's "Erlang C formula made simple"): 100 calls per half hour,
  // 180 s handle time → 10 Erlangs; target 80 % answered in 20 s.
  it.each([
    [11, 0.6821, 0.3896],
    [12, 0.4494, 0.6402],
    [13, 0.2853, 0.7956],
    [14, 0.1741, 0.8884],
    [15, 0.102, 0.9415],
  ])('matches the published probability of waiting and service level with %i agents on 10 Erlangs', (agents, pw, sl) => {
    expect(erlangC(agents, 10)).toBeCloseTo(pw, 4);
    expect(serviceLevel({ agents, arrivalsPerHour: 200, handleSeconds: 180, targetSeconds: 20 })).toBeCloseTo(sl, 4);
  });

  it('finds the fewest agents for a service level (14 for 80 % in 20 s on 10 Erlangs)', () => {
    expect(agentsForServiceLevel({ arrivalsPerHour: 200, handleSeconds: 180, targetSeconds: 20, target: 0.8 })).toBe(14);
    expect(agentsForServiceLevel({ arrivalsPerHour: 0, handleSeconds: 180, targetSeconds: 20, target: 0.8 })).toBe(0);
  });

  it('agrees with the closed form on small cases and treats overload as certain waiting', () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 10); // (8/6 · 3) / (1 + 2 + 2 + 8/6 · 3)
    expect(erlangB(1, 1)).toBeCloseTo(0.5, 10);
    expect(erlangC(5, 5)).toBe(1);
    expect(serviceLevel({ agents: 2, arrivalsPerHour: 100, handleSeconds: 300, targetSeconds: 20 })).toBe(0);
  });

  it('stays finite for large contact centres', () => {
    const n = agentsForServiceLevel({ arrivalsPerHour: 6000, handleSeconds: 300, targetSeconds: 20, target: 0.9 });
    expect(n).toBeGreaterThan(500);
    expect(n).toBeLessThan(560);
  });
});
