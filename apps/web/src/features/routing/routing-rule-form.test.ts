import { describe, expect, it } from 'vitest';
import {
  emptyRoutingRuleForm,
  localInputToIso,
  periodProblem,
  routingRuleBody,
  routingRuleToForm,
} from './routing-rule-form.ts';

const TEAM = '00000000-0000-4000-8000-0000000000aa';
const MAILBOX = '00000000-0000-4000-8000-0000000000bb';
const WIDGET = '00000000-0000-4000-8000-0000000000cc';

describe('routing rule form', () => {
  it('turns a form with conditions on channel, tags, organisation and priority into the API body', () => {
    const f = {
      ...emptyRoutingRuleForm(),
      name: ' WhatsApp VIPs ',
      keywords: ['refund', ' ', 'refund'],
      mailboxIds: [MAILBOX],
      widgetIds: [WIDGET, WIDGET],
      all: [
        { field: 'channel' as const, op: 'in' as const, value: ['whatsapp', 'sms'] },
        { field: 'customer_tier' as const, op: 'is' as const, value: 'gold' },
      ],
      any: [{ field: 'tags' as const, op: 'contains' as const, value: ['vip'] }],
      teamId: TEAM,
      skills: ['Refunds'],
      priority: 'high' as const,
    };
    expect(routingRuleBody(f)).toEqual({
      body: {
        name: 'WhatsApp VIPs',
        active: true,
        keywords: ['refund'],
        mailboxIds: [MAILBOX],
        widgetIds: [WIDGET],
        conditions: { all: f.all, any: f.any },
        actions: { teamId: TEAM, skills: ['refunds'], priority: 'high' },
      },
    });
  });

  it('says what is missing: a name, an action, or a condition value', () => {
    expect(routingRuleBody({ ...emptyRoutingRuleForm(), teamId: TEAM })).toEqual({ problem: 'name' });
    expect(routingRuleBody({ ...emptyRoutingRuleForm(), name: 'x' })).toEqual({ problem: 'action' });
    expect(
      routingRuleBody({
        ...emptyRoutingRuleForm(),
        name: 'x',
        addTags: ['t'],
        all: [{ field: 'category_id', op: 'is', value: '' }],
      }),
    ).toEqual({ problem: 'value' });
    expect(
      routingRuleBody({
        ...emptyRoutingRuleForm(),
        name: 'x',
        addTags: ['t'],
        any: [{ field: 'organisation_id', op: 'in', value: [] }],
      }),
    ).toEqual({ problem: 'value' });
    // a customer attribute needs a key the server takes
    expect(
      routingRuleBody({
        ...emptyRoutingRuleForm(),
        name: 'x',
        addTags: ['t'],
        all: [{ field: 'customer_attribute', key: 'my plan', op: 'is', value: 'pro' }],
      }),
    ).toEqual({ problem: 'key' });
    expect(
      routingRuleBody({
        ...emptyRoutingRuleForm(),
        name: 'x',
        addTags: ['t'],
        all: [{ field: 'customer_attribute', key: 'plan', op: 'present' }],
      }),
    ).toHaveProperty('body.conditions.all', [{ field: 'customer_attribute', key: 'plan', op: 'present' }]);
    // "is empty" needs no value
    expect(
      routingRuleBody({
        ...emptyRoutingRuleForm(),
        name: 'x',
        addTags: ['t'],
        all: [{ field: 'category_id', op: 'is_empty' }],
      }),
    ).toHaveProperty('body');
  });

  it('round-trips a saved rule, keeping its position', () => {
    const saved = {
      name: 'Bengali plumbing',
      position: 3,
      active: false,
      keywords: ['পানি'],
      mailboxIds: [],
      widgetIds: [],
      conditions: { all: [{ field: 'language' as const, op: 'in' as const, value: ['bn'] }], any: [] },
      actions: { teamId: TEAM, skills: ['plumbing'] },
    };
    const back = routingRuleBody(routingRuleToForm(saved));
    expect(back).toEqual({ body: { ...saved, conditions: saved.conditions } });
  });
});

describe('time off and shift periods', () => {
  it('reads datetime-local values as instants in the browser time zone', () => {
    expect(localInputToIso('2026-04-06T10:00')).toBe(new Date(2026, 3, 6, 10, 0).toISOString());
    expect(localInputToIso('')).toBeNull();
    expect(localInputToIso('tomorrow')).toBeNull();
  });
  it('needs a start, an end, and the end after the start', () => {
    expect(periodProblem('', '2026-04-06T10:00')).toBe('start');
    expect(periodProblem('2026-04-06T10:00', '')).toBe('end');
    expect(periodProblem('2026-04-06T10:00', '2026-04-06T10:00')).toBe('order');
    expect(periodProblem('2026-04-06T10:00', '2026-04-06T18:00')).toBeNull();
  });
});
