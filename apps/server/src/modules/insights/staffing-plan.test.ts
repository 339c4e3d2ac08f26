import { describe, expect, it } from 'vitest';
import { agentsNeededForChannel, type HourPlan, requiredAgents, suggestPartTimeShifts } from './staffing-plan.ts';

const P = { serviceLevel: 0.8, targetSeconds: 20, chatConcurrency: 2, shrinkage: 0.3, occupancy: 0.85 };

describe('staffing plan', () => {
  it('sizes phone with Erlang C, chat with concurrency and email as workload', () => {
    expect(agentsNeededForChannel({ channel: 'phone', arrivalsPerHour: 200, handleSeconds: 180 }, P)).toBe(14);
    expect(agentsNeededForChannel({ channel: 'chat', arrivalsPerHour: 200, handleSeconds: 180 }, P)).toBe(7);
    // 34 emails × 450 s = 4.25 h of work at 85 % occupancy = 5 agents
    expect(agentsNeededForChannel({ channel: 'email', arrivalsPerHour: 34, handleSeconds: 450 }, P)).toBeCloseTo(5, 10);
  });

  it('grosses the floor up for shrinkage and rounds up to whole people', () => {
    // 14 + 5 = 19 on the floor; 19 / 0.7 = 27.14 → 28 rostered
    const r = requiredAgents(
      [
        { channel: 'phone', arrivalsPerHour: 200, handleSeconds: 180 },
        { channel: 'email', arrivalsPerHour: 34, handleSeconds: 450 },
      ],
      P,
    );
    expect(r.onFloor).toBeCloseTo(19, 10);
    expect(r.required).toBe(28);
    expect(requiredAgents([], P)).toEqual({ onFloor: 0, required: 0 });
  });

  it('suggests layered part-time shifts where the schedule falls short', () => {
    const plan: HourPlan[] = [];
    for (let h = 0; h < 24; h += 1) {
      const gap = h >= 10 && h < 16 ? (h >= 12 && h < 14 ? 2 : 1) : 0;
      plan.push({ weekday: 1, hour: h, arrivals: 0, onFloor: 0, required: gap, scheduled: 0, gap });
    }
    expect(suggestPartTimeShifts(plan)).toEqual([
      { weekday: 1, startHour: 10, endHour: 16, agents: 1 },
      { weekday: 1, startHour: 12, endHour: 15, agents: 1 },
    ]);
  });
});
