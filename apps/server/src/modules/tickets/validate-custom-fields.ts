import type { FieldProblem } from '../../platform/errors.ts';

/** A custom field definition as stored in `custom_fields` (only what validation needs). */
export interface CustomFieldDefinition {
  key: string;
  label: string;
  fieldType: string;
  options: ReadonlyArray<{ value: string }>;
  isRequired: boolean;
}

export type CustomFieldsResult = { ok: true; values: Record<string, unknown> } | { ok: false; errors: FieldProblem[] };

export interface ValidateCustomFieldsOptions {
  /**
   * 'create': required fields must be present. 'update': only the given keys are checked, and `null` clears a
   * field (refused for required ones); the answer holds the changes, nulls included, for the caller to merge.
   */
  mode: 'create' | 'update';
}

const MAX_TEXT = 10_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isValidDate(s: string): boolean {
  const m = ISO_DATE.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isEmpty(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
}

/** Checks one value against its definition; answers the stored value or an error message. */
function checkValue(def: CustomFieldDefinition, value: unknown): { value: unknown } | { error: string } {
  switch (def.fieldType) {
    case 'text':
      if (typeof value !== 'string') return { error: 'must be text' };
      if (value.length > MAX_TEXT) return { error: `must be at most ${MAX_TEXT} characters` };
      return { value: value.trim() };
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) return { error: 'must be a number' };
      return { value };
    case 'date':
      if (typeof value !== 'string' || !isValidDate(value)) return { error: 'must be a date written yyyy-mm-dd' };
      return { value };
    case 'dropdown': {
      if (typeof value !== 'string') return { error: 'must be one of the options' };
      if (!def.options.some((o) => o.value === value)) {
        return { error: `must be one of: ${def.options.map((o) => o.value).join(', ')}` };
      }
      return { value };
    }
    case 'checkbox':
      if (typeof value !== 'boolean') return { error: 'must be true or false' };
      return { value };
    default:
      return { error: `has an unknown field type ${def.fieldType}` };
  }
}

/** Validates custom field values against the active definitions. Errors name the field: `customFields.<key>`. */
export function validateCustomFields(
  definitions: readonly CustomFieldDefinition[],
  values: Readonly<Record<string, unknown>>,
  opts: ValidateCustomFieldsOptions = { mode: 'create' },
): CustomFieldsResult {
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const errors: FieldProblem[] = [];
  const out: Record<string, unknown> = {};

  for (const [key, value] of Object.entries(values)) {
    const def = byKey.get(key);
    const path = `customFields.${key}`;
    if (!def) {
      errors.push({ path, message: 'is not a known custom field' });
      continue;
    }
    if (isEmpty(value)) {
      if (def.isRequired) errors.push({ path, message: `${def.label} is required` });
      else if (opts.mode === 'update') out[key] = null;
      continue;
    }
    const checked = checkValue(def, value);
    if ('error' in checked) errors.push({ path, message: `${def.label} ${checked.error}` });
    else out[key] = checked.value;
  }

  if (opts.mode === 'create') {
    for (const def of definitions) {
      if (def.isRequired && !(def.key in values)) {
        errors.push({ path: `customFields.${def.key}`, message: `${def.label} is required` });
      }
    }
  }

  return errors.length > 0 ? { ok: false, errors } : { ok: true, values: out };
}

/** Applies validated update values (null clears) to the stored values. */
export function mergeCustomFieldValues(
  current: Readonly<Record<string, unknown>>,
  changes: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const next: Record<string, unknown> = { ...current };
  for (const [k, v] of Object.entries(changes)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next;
}
