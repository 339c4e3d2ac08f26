import { describe, expect, it } from 'vitest';
import { articleRefs, chooseLanguage, renderMacro, unknownPlaceholders } from './render-macro.ts';

describe('macro text', () => {
  it('fills placeholders as plain text and links articles', () => {
    const r = renderMacro(
      'নমস্কার {{customer.first_name}}, টিকিট #{{ ticket.number }} — {{agent.name}}. দেখুন {{article:refunds}}',
      { 'customer.first_name': '<img src=x onerror=alert(1)>', 'ticket.number': '1042', 'agent.name': 'Asha' },
      { refunds: 'https://desk.example.com/help/bn/articles/1/refunds' },
    );
    expect(r.body).toBe('নমস্কার <img src=x onerror=alert(1)>, টিকিট #1042 — Asha. দেখুন https://desk.example.com/help/bn/articles/1/refunds');
    expect(r.missing).toEqual([]);
  });

  it('says which placeholders had no value', () => {
    expect(renderMacro('Hi {{customer.first_name}} {{article:nope}}', { 'customer.first_name': '' }, { nope: null })).toEqual({ body: 'Hi  ', missing: ['customer.first_name', 'article:nope'] });
  });

  it('finds unknown placeholders and malformed ones, and article references', () => {
    expect(unknownPlaceholders('{{customer.name}} {{customer.email}} {{customer name}} {{article:x}}')).toEqual(['customer.email', 'customer name']);
    expect(articleRefs('{{article:refunds}} and {{article:7b0c}}')).toEqual(['refunds', '7b0c']);
  });

  it('answers in the ticket\'s language, then falls back', () => {
    const bodies = { en: 'Hello', bn: 'নমস্কার', hi: '' };
    expect(chooseLanguage(bodies, ['bn', 'en'])).toEqual({ language: 'bn', fellBack: false });
    expect(chooseLanguage(bodies, [null, 'bn-BD'])).toEqual({ language: 'bn', fellBack: false });
    expect(chooseLanguage(bodies, ['hi'])).toEqual({ language: 'en', fellBack: true });
    expect(chooseLanguage({ bn: 'নমস্কার' }, ['ta'])).toEqual({ language: 'bn', fellBack: true });
    expect(chooseLanguage(bodies, [])).toEqual({ language: 'en', fellBack: false });
  });
});
