import type { WhatsappInteractiveBody } from '@seva/contracts';

export interface InteractiveForm {
  type: 'buttons' | 'list';
  body: string;
  /** one choice a line; on a list, "title | description" */
  options: string;
  /** the list's button label */
  button: string;
}

/** WhatsApp's limits: 3 buttons of 20 characters; a list of 10 rows of 24 characters (descriptions 72). */
export const INTERACTIVE_LIMITS = {
  buttons: 3,
  buttonTitle: 20,
  rows: 10,
  rowTitle: 24,
  description: 72,
  listButton: 20,
};

export type InteractiveProblem = 'body' | 'options' | 'tooMany' | 'tooLong' | 'button';

/** The request body for the form, or what is wrong with it (checked again on the server). */
export function interactiveFromForm(
  f: InteractiveForm,
): { ok: true; body: WhatsappInteractiveBody } | { ok: false; problem: InteractiveProblem } {
  const body = f.body.trim();
  if (!body) return { ok: false, problem: 'body' };
  const lines = f.options
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return { ok: false, problem: 'options' };
  if (f.type === 'buttons') {
    if (lines.length > INTERACTIVE_LIMITS.buttons) return { ok: false, problem: 'tooMany' };
    if (lines.some((l) => l.length > INTERACTIVE_LIMITS.buttonTitle)) return { ok: false, problem: 'tooLong' };
    return {
      ok: true,
      body: { type: 'buttons', body, buttons: lines.map((title, i) => ({ id: `option-${i + 1}`, title })) },
    };
  }
  if (lines.length > INTERACTIVE_LIMITS.rows) return { ok: false, problem: 'tooMany' };
  const rows = lines.map((l, i) => {
    const [title = '', ...rest] = l.split('|');
    const description = rest.join('|').trim();
    return { id: `option-${i + 1}`, title: title.trim(), ...(description ? { description } : {}) };
  });
  if (
    rows.some(
      (r) =>
        !r.title ||
        r.title.length > INTERACTIVE_LIMITS.rowTitle ||
        (r.description?.length ?? 0) > INTERACTIVE_LIMITS.description,
    )
  ) {
    return { ok: false, problem: 'tooLong' };
  }
  const button = f.button.trim();
  if (!button || button.length > INTERACTIVE_LIMITS.listButton) return { ok: false, problem: 'button' };
  return { ok: true, body: { type: 'list', body, button, sections: [{ rows }] } };
}
