import type { Condition, ConditionField, Conditions } from '@seva/contracts';

/** What conditions can look at: the ticket's fields and how long things have been as they are (in hours). */
export type RuleFacts = Record<ConditionField, string | number | string[] | null>;

function asList(v: Condition['value']): string[] {
  if (Array.isArray(v)) return v.map((x) => x.toLowerCase());
  if (v === null || v === undefined) return [];
  return [String(v).toLowerCase()];
}

/** One condition against the facts. Text compares case-insensitively; tags are a set; hours compare as numbers. */
export function conditionHolds(c: Condition, facts: RuleFacts): boolean {
  const actual = facts[c.field];
  const empty = actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0);
  switch (c.op) {
    case 'is_empty':
      return empty;
    case 'is_not_empty':
      return !empty;
    case 'gte':
    case 'lte': {
      if (typeof actual !== 'number' || typeof c.value !== 'number') return false;
      return c.op === 'gte' ? actual >= c.value : actual <= c.value;
    }
  }
  const wanted = asList(c.value);
  const have = Array.isArray(actual) ? actual.map((x) => x.toLowerCase()) : actual === null ? [] : [String(actual).toLowerCase()];
  switch (c.op) {
    case 'is':
      return Array.isArray(actual) ? wanted.every((w) => have.includes(w)) : have.length > 0 && have[0] === wanted[0];
    case 'is_not':
      return Array.isArray(actual) ? !wanted.every((w) => have.includes(w)) : have[0] !== wanted[0];
    case 'in':
      return have.some((h) => wanted.includes(h));
    case 'not_in':
      return !have.some((h) => wanted.includes(h));
    case 'contains':
      return Array.isArray(actual) ? wanted.some((w) => have.includes(w)) : wanted.some((w) => (have[0] ?? '').includes(w));
    case 'not_contains':
      return Array.isArray(actual) ? !wanted.some((w) => have.includes(w)) : !wanted.some((w) => (have[0] ?? '').includes(w));
    default:
      return false;
  }
}

/** All of `all` and (when `any` is not empty) at least one of `any`. */
export function conditionsHold(conditions: Conditions, facts: RuleFacts): boolean {
  if (!conditions.all.every((c) => conditionHolds(c, facts))) return false;
  return conditions.any.length === 0 || conditions.any.some((c) => conditionHolds(c, facts));
}

/** Plain-text placeholders in notes, customer messages and notifications; never evaluated, only replaced. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-z_.]+)\s*\}\}/gi, (whole, key: string) => values[key.toLowerCase()] ?? whole);
}
