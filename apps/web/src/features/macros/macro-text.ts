import type { MacroActions } from '@seva/contracts';

/** Plain macro text → editor HTML: one paragraph per line, text escaped (placeholders were filled as text). */
export function textToHtml(text: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return text
    .split('\n')
    .map((line) => `<p>${esc(line)}</p>`)
    .join('');
}

/** What a macro changes besides the text, as i18n keys with values, for the composer's summary. */
export function actionSummary(a: MacroActions): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  if (a.status) out.push({ key: 'status', value: a.status });
  if (a.priority) out.push({ key: 'priority', value: a.priority });
  if (a.type) out.push({ key: 'type', value: a.type });
  if (a.teamId !== undefined) out.push({ key: 'team', value: a.teamId ?? '' });
  if (a.assigneeId !== undefined) out.push({ key: 'assignee', value: a.assigneeId ?? '' });
  if (a.categoryId !== undefined) out.push({ key: 'category', value: a.categoryId ?? '' });
  if (a.addTags?.length) out.push({ key: 'addTags', value: a.addTags.join(', ') });
  if (a.removeTags?.length) out.push({ key: 'removeTags', value: a.removeTags.join(', ') });
  return out;
}

/** "/ref" typed at the start of an empty composer opens the picker searching for "ref". */
export function slashQuery(text: string): string | null {
  const m = /^\/([\p{L}\p{M}\p{N}_-]*)$/u.exec(text.trim());
  return m ? (m[1] ?? '') : null;
}
