import { describe, expect, it } from 'vitest';
import { actionSummary, slashQuery, textToHtml } from './macro-text.ts';

describe('macro text in the composer', () => {
  it('turns lines into paragraphs and never lets text become markup', () => {
    expect(textToHtml('Hi <b>Rina</b>\nThanks & bye')).toBe('<p>Hi &lt;b&gt;Rina&lt;/b&gt;</p><p>Thanks &amp; bye</p>');
  });

  it('summarises the field changes', () => {
    expect(actionSummary({ status: 'pending', addTags: ['invoice', 'vip'], teamId: null })).toEqual([
      { key: 'status', value: 'pending' },
      { key: 'team', value: '' },
      { key: 'addTags', value: 'invoice, vip' },
    ]);
  });

  it('reads a slash command', () => {
    expect(slashQuery('/ref')).toBe('ref');
    expect(slashQuery('/')).toBe('');
    expect(slashQuery('/ফেরত')).toBe('ফেরত');
    expect(slashQuery('hello /ref')).toBeNull();
  });
});
