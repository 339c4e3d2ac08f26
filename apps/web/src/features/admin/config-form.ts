import type { CustomFieldOption, CustomFieldType, Translations } from '@seva/contracts';

/** Pure helpers for the category and custom-field forms (unit-tested in config-form.test.ts). */

/** Drops empty translations so the server stores only real names. */
export function cleanTranslations(tr: { bn?: string; hi?: string }): Translations {
  const out: Translations = {};
  if (tr.bn?.trim()) out.bn = tr.bn.trim();
  if (tr.hi?.trim()) out.hi = tr.hi.trim();
  return out;
}

/** The position a new entry gets: after the last one, in steps of 10 so entries can be slotted in between. */
export function nextPosition(items: readonly { position: number }[]): number {
  if (items.length === 0) return 0;
  return Math.max(...items.map((i) => i.position)) + 10;
}

export const FIELD_KEY_RE = /^[a-z][a-z0-9_]{0,40}$/;

/** A key from a label: "Order number" -> "order_number"; empty when nothing Latin is left (the admin types one). */
export function keyFromLabel(label: string): string {
  const k = label
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+/, '')
    .replace(/_+$/, '')
    .slice(0, 41);
  return FIELD_KEY_RE.test(k) ? k : '';
}

export interface OptionDraft {
  /** a client-side identity for the list row (never sent) */
  rowId: string;
  value: string;
  label: string;
  bn: string;
  hi: string;
}

export type FieldProblem =
  | { field: 'key'; problem: 'required' | 'pattern' }
  | { field: 'label'; problem: 'required' }
  | { field: 'options'; problem: 'none' | 'emptyValue' | 'duplicate'; index?: number };

/** What is wrong with a custom-field draft before it is sent; the server checks the same and more. */
export function customFieldProblems(draft: {
  key: string;
  label: string;
  fieldType: CustomFieldType;
  options: readonly OptionDraft[];
}): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!draft.key) problems.push({ field: 'key', problem: 'required' });
  else if (!FIELD_KEY_RE.test(draft.key)) problems.push({ field: 'key', problem: 'pattern' });
  if (!draft.label.trim()) problems.push({ field: 'label', problem: 'required' });
  if (draft.fieldType === 'dropdown') {
    if (draft.options.length === 0) problems.push({ field: 'options', problem: 'none' });
    const seen = new Set<string>();
    draft.options.forEach((o, index) => {
      const v = o.value.trim();
      if (!v) problems.push({ field: 'options', problem: 'emptyValue', index });
      else if (seen.has(v)) problems.push({ field: 'options', problem: 'duplicate', index });
      seen.add(v);
    });
  }
  return problems;
}

/** Options as the API takes them: a missing label falls back to the value. Only dropdowns keep options. */
export function toOptions(fieldType: CustomFieldType, drafts: readonly OptionDraft[]): CustomFieldOption[] {
  if (fieldType !== 'dropdown') return [];
  return drafts.map((o) => {
    const translations = cleanTranslations({ bn: o.bn, hi: o.hi });
    return {
      value: o.value.trim(),
      label: o.label.trim() || o.value.trim(),
      ...(Object.keys(translations).length > 0 ? { translations } : {}),
    };
  });
}

let rowSeq = 0;
export function newRowId(): string {
  rowSeq += 1;
  return `option-${rowSeq}`;
}

export function emptyDraft(): OptionDraft {
  return { rowId: newRowId(), value: '', label: '', bn: '', hi: '' };
}

export function toDrafts(options: readonly CustomFieldOption[]): OptionDraft[] {
  return options.map((o) => ({
    rowId: newRowId(),
    value: o.value,
    label: o.label,
    bn: o.translations?.bn ?? '',
    hi: o.translations?.hi ?? '',
  }));
}
