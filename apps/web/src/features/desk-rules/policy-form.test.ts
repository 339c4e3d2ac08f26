import { describe, expect, it } from 'vitest';
import { emptyPolicyForm, formToPolicyBody, minutesAsParts, policyToForm } from './policy-form.ts';

describe('SLA policy form', () => {
  it('drops empty targets and conditions, and needs a name and a target', () => {
    const f = { ...emptyPolicyForm(), name: ' VIP ', priorities: ['urgent'], targets: { firstResponse: 30, nextResponse: '' as const, periodicUpdate: 0, resolution: '' as const } };
    const r = formToPolicyBody(f);
    expect(r).toEqual({ body: expect.objectContaining({ name: 'VIP', targets: { firstResponse: 30 }, conditions: { priorities: ['urgent'] } }) });
    expect(formToPolicyBody({ ...f, name: '' })).toEqual({ problem: 'nameRequired' });
    expect(formToPolicyBody({ ...f, targets: { firstResponse: '', nextResponse: '', periodicUpdate: '', resolution: '' } })).toEqual({ problem: 'targetRequired' });
    expect(formToPolicyBody({ ...f, escalations: [{ when: 'breach', actions: [{ type: 'reassign' } as never] }] })).toEqual({ problem: 'reassignTarget' });
  });

  it('loads a saved policy back into the form', () => {
    const form = policyToForm({
      id: '7b0c1f00-0000-4000-8000-000000000001',
      name: 'Gold',
      description: '',
      position: 0,
      active: true,
      conditions: { customerTiers: ['gold'] },
      targets: { resolution: 600 },
      businessHours: false,
      calendarId: null,
      warnPercent: 80,
      escalations: [{ when: 'breach', actions: [{ type: 'raise_priority' }] }],
      updatedAt: '2026-01-01T00:00:00Z',
    });
    expect(form.targets).toEqual({ firstResponse: '', nextResponse: '', periodicUpdate: '', resolution: 600 });
    expect(formToPolicyBody(form)).toEqual({ body: expect.objectContaining({ businessHours: false, warnPercent: 80, conditions: { customerTiers: ['gold'] } }) });
  });

  it('shows minutes as days, hours and minutes', () => {
    expect(minutesAsParts(2940)).toEqual({ d: 2, h: 1, m: 0 });
    expect(minutesAsParts(90)).toEqual({ d: 0, h: 1, m: 30 });
  });
});
