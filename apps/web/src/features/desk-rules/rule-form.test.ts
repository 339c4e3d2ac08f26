import { describe, expect, it } from 'vitest';
import { fitCondition, newAction, opsFor, type RuleForm, ruleBody, valueKind } from './rule-form.ts';

const base: RuleForm = { kind: 'trigger', name: 'R', description: '', active: true, events: ['ticket.created'], all: [], any: [], actions: [newAction('add_tags')] };

describe('rule editor', () => {
  it('offers operators that fit the field and reshapes the value', () => {
    expect(opsFor('hours_in_status')).toEqual(['gte', 'lte']);
    expect(fitCondition({ field: 'survey_rating', op: 'is', value: '' })).toEqual({ field: 'survey_rating', op: 'lte', value: 2 });
    expect(valueKind('priority', 'in')).toBe('many');
    expect(fitCondition({ field: 'hours_in_status', op: 'is', value: 'x' })).toEqual({ field: 'hours_in_status', op: 'gte', value: 24 });
    expect(fitCondition({ field: 'priority', op: 'in', value: 'high' })).toEqual({ field: 'priority', op: 'in', value: ['high'] });
    expect(fitCondition({ field: 'priority', op: 'is', value: ['high', 'low'] })).toEqual({ field: 'priority', op: 'is', value: 'high' });
    expect(fitCondition({ field: 'tags', op: 'is_empty', value: ['x'] })).toEqual({ field: 'tags', op: 'is_empty' });
  });

  it('refuses what the server would refuse, with the reason', () => {
    expect(ruleBody({ ...base, name: ' ' })).toEqual({ problem: 'name' });
    expect(ruleBody({ ...base, events: [] })).toEqual({ problem: 'events' });
    expect(ruleBody({ ...base, kind: 'automation', events: [] })).toEqual({ problem: 'time' });
    expect(ruleBody({ ...base, actions: [] })).toEqual({ problem: 'actions' });
    expect(ruleBody({ ...base, all: [{ field: 'status', op: 'is', value: '' }] })).toEqual({ problem: 'value' });
    const ok = ruleBody({ ...base, kind: 'automation', all: [{ field: 'hours_in_status', op: 'gte', value: 72 }] });
    expect(ok).toEqual({ body: expect.objectContaining({ kind: 'automation', events: [], conditions: { all: [{ field: 'hours_in_status', op: 'gte', value: 72 }], any: [] } }) });
  });

  it('edits a customer attribute: a key, its own operators, a text value unless present or absent', () => {
    expect(opsFor('customer_attribute')).toEqual(['is', 'is_not', 'contains', 'present', 'absent']);
    // switching to the field starts with an empty key and "is"
    expect(fitCondition({ field: 'customer_attribute', op: 'in', value: ['gold'] })).toEqual({ field: 'customer_attribute', key: '', op: 'is', value: 'gold' });
    expect(fitCondition({ field: 'customer_attribute', key: 'plan', op: 'present', value: 'x' })).toEqual({ field: 'customer_attribute', key: 'plan', op: 'present' });
    // switching away drops the key
    expect(fitCondition({ field: 'channel', key: 'plan', op: 'is', value: 'email' })).toEqual({ field: 'channel', op: 'is', value: 'email' });
    expect(valueKind('customer_attribute', 'contains')).toBe('one');
    expect(ruleBody({ ...base, all: [{ field: 'customer_attribute', key: '', op: 'present' }] })).toEqual({ problem: 'key' });
    expect(ruleBody({ ...base, all: [{ field: 'customer_attribute', key: 'plan tier', op: 'present' }] })).toEqual({ problem: 'key' });
    expect(ruleBody({ ...base, all: [{ field: 'customer_attribute', key: 'plan', op: 'is', value: ' ' }] })).toEqual({ problem: 'value' });
    const ok = ruleBody({ ...base, any: [{ field: 'customer_attribute', key: 'অঞ্চল', op: 'is', value: 'ঢাকা' }] });
    expect(ok).toEqual({ body: expect.objectContaining({ conditions: { all: [], any: [{ field: 'customer_attribute', key: 'অঞ্চল', op: 'is', value: 'ঢাকা' }] } }) });
  });
});
