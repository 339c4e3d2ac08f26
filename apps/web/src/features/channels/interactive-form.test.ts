import { describe, expect, it } from 'vitest';
import { interactiveFromForm } from './interactive-form.ts';

describe('interactiveFromForm', () => {
  it('turns lines into reply buttons with ids by position', () => {
    expect(
      interactiveFromForm({ type: 'buttons', body: ' Which day? ', options: 'Saturday\n\nSunday\n', button: '' }),
    ).toEqual({
      ok: true,
      body: {
        type: 'buttons',
        body: 'Which day?',
        buttons: [
          { id: 'option-1', title: 'Saturday' },
          { id: 'option-2', title: 'Sunday' },
        ],
      },
    });
  });

  it('turns "title | description" lines into list rows', () => {
    expect(
      interactiveFromForm({ type: 'list', body: 'Pick a plan', options: 'Basic | ৳199 a month\nPro', button: 'Plans' }),
    ).toEqual({
      ok: true,
      body: {
        type: 'list',
        body: 'Pick a plan',
        button: 'Plans',
        sections: [
          {
            rows: [
              { id: 'option-1', title: 'Basic', description: '৳199 a month' },
              { id: 'option-2', title: 'Pro' },
            ],
          },
        ],
      },
    });
  });

  it('names what breaks WhatsApp’s limits', () => {
    const f = { type: 'buttons' as const, body: 'x', options: 'a', button: '' };
    expect(interactiveFromForm({ ...f, body: ' ' })).toEqual({ ok: false, problem: 'body' });
    expect(interactiveFromForm({ ...f, options: '\n' })).toEqual({ ok: false, problem: 'options' });
    expect(interactiveFromForm({ ...f, options: 'a\nb\nc\nd' })).toEqual({ ok: false, problem: 'tooMany' });
    expect(interactiveFromForm({ ...f, options: 'a title that is too long' })).toEqual({
      ok: false,
      problem: 'tooLong',
    });
    expect(interactiveFromForm({ ...f, type: 'list', button: '' })).toEqual({ ok: false, problem: 'button' });
    expect(
      interactiveFromForm({
        ...f,
        type: 'list',
        button: 'Open',
        options: Array.from({ length: 11 }, (_, i) => `r${i}`).join('\n'),
      }),
    ).toEqual({
      ok: false,
      problem: 'tooMany',
    });
  });
});
