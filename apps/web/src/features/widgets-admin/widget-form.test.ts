import type { Widget } from '@seva/contracts';
import { describe, expect, it } from 'vitest';
import { demoUrl, emptyWidgetForm, formToBody, hasErrors, parseOrigins, validateWidgetForm, widgetToForm } from './widget-form.ts';

describe('widget form', () => {
  it('accepts origins one per line, drops a trailing slash and duplicates, and names the bad lines', () => {
    const r = parseOrigins('https://shop.example\nhttp://localhost:5173/\n\nHTTPS://Shop.Example\nshop.example\nhttps://shop.example/cart\nftp://x.example');
    expect(r.origins).toEqual(['https://shop.example', 'http://localhost:5173']);
    expect(r.invalid).toEqual(['shop.example', 'https://shop.example/cart', 'ftp://x.example']);
  });

  it('refuses a form without a name, with a bad colour, bad origins, an odd timeout or bad pre-chat fields', () => {
    const f = { ...emptyWidgetForm(), primaryColor: 'blue', origins: 'example.com', offerTimeoutSeconds: 5 };
    f.preChatFields = [
      { key: 'Order', kind: 'text', label: { en: 'Order' }, required: false },
      { key: 'topic', kind: 'select', label: { en: 'Topic' }, required: true, options: [] },
      { key: 'phone', kind: 'phone', label: { en: ' ' }, required: false },
      { key: 'topic', kind: 'text', label: { en: 'Again' }, required: false },
    ];
    const e = validateWidgetForm(f);
    expect(e).toEqual({ name: 'required', primaryColor: 'colour', origins: ['example.com'], offerTimeoutSeconds: 'range', preChat: { 0: 'key', 1: 'options', 2: 'label', 3: 'duplicate' } });
    expect(hasErrors(validateWidgetForm({ ...emptyWidgetForm(), name: 'Shop' }))).toBe(false);
  });

  it('sends only the greetings and labels that were written, trimmed', () => {
    const f = { ...emptyWidgetForm(), name: ' Shop ', primaryColor: '#AABBCC', origins: 'https://a.example', greetings: { en: ' Hi ', bn: '', hi: 'नमस्ते' } };
    f.preChatFields = [
      { key: 'topic', kind: 'select', label: { en: 'Topic', bn: '' }, required: true, options: [{ value: ' billing ', label: { en: 'Billing', hi: '' } }, { value: ' ', label: {} }] },
      { key: 'order', kind: 'text', label: { en: 'Order' }, required: false, options: [{ value: 'x', label: {} }] },
    ];
    const body = formToBody(f);
    expect(body).toMatchObject({ name: 'Shop', primaryColor: '#aabbcc', greetings: { en: 'Hi', hi: 'नमस्ते' }, allowedOrigins: ['https://a.example'] });
    expect(body.preChatFields).toEqual([
      { key: 'topic', kind: 'select', label: { en: 'Topic' }, required: true, options: [{ value: 'billing', label: { en: 'Billing' } }] },
      { key: 'order', kind: 'text', label: { en: 'Order' }, required: false },
    ]);
  });

  it('round-trips a saved widget', () => {
    const w: Widget = {
      id: '00000000-0000-4000-8000-000000000001',
      publicKey: 'wk_abc',
      name: 'Shop',
      status: 'active',
      primaryColor: '#112233',
      position: 'left',
      defaultLanguage: 'bn',
      greetings: { bn: 'স্বাগতম' },
      allowedOrigins: ['https://a.example', 'https://b.example'],
      options: { kb: false, chat: true, message: true, callback: false },
      preChatFields: [{ key: 'order', kind: 'text', label: { en: 'Order' }, required: true }],
      teamId: null,
      calendarId: null,
      offerTimeoutSeconds: 60,
      requireIdentity: true,
      hasIdentitySecret: false,
      snippet: '<script></script>',
      createdAt: '',
      updatedAt: '',
    };
    const f = widgetToForm(w);
    expect(f.origins).toBe('https://a.example\nhttps://b.example');
    expect(f.greetings).toEqual({ en: '', bn: 'স্বাগতম', hi: '' });
    expect(formToBody(f)).toMatchObject({ position: 'left', defaultLanguage: 'bn', allowedOrigins: w.allowedOrigins, offerTimeoutSeconds: 60, requireIdentity: true, preChatFields: w.preChatFields });
    expect(demoUrl('wk a')).toBe('/widget-demo?key=wk%20a');
  });
});
