import { describe, expect, it } from 'vitest';
import { countdown, durationParts } from './countdown.ts';

const due = '2026-03-02T12:00:00.000Z';
const at = (s: string) => new Date(s).getTime();

describe('SLA countdown', () => {
  it('counts down to the due time in the server state until it passes', () => {
    expect(countdown(due, 'ok', at('2026-03-02T09:30:00Z'))).toEqual({ tone: 'ok', overdue: false, days: 0, hours: 2, minutes: 30 });
    expect(countdown(due, 'at_risk', at('2026-03-02T11:59:01Z'))).toMatchObject({ tone: 'at_risk', minutes: 1 });
  });

  it('turns breached the moment the due time passes, and counts how long ago', () => {
    expect(countdown(due, 'at_risk', at('2026-03-03T13:05:00Z'))).toEqual({ tone: 'breached', overdue: true, days: 1, hours: 1, minutes: 5 });
    expect(countdown(due, 'ok', at(due)).tone).toBe('breached');
  });

  it('believes the server about a breach even when this clock runs behind', () => {
    expect(countdown(due, 'breached', at('2026-03-02T11:59:30Z'))).toEqual({ tone: 'breached', overdue: true, days: 0, hours: 0, minutes: 0 });
  });

  it('shows the two largest units', () => {
    expect(durationParts({ days: 2, hours: 3, minutes: 9 })).toEqual([{ unit: 'd', value: 2 }, { unit: 'h', value: 3 }]);
    expect(durationParts({ days: 0, hours: 3, minutes: 0 })).toEqual([{ unit: 'h', value: 3 }]);
    expect(durationParts({ days: 0, hours: 0, minutes: 0 })).toEqual([{ unit: 'm', value: 0 }]);
  });
});
