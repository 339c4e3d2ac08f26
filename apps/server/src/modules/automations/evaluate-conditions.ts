import type { Condition, ConditionField, Conditions } from '@seva/contracts';

/**
 * What conditions can look at: the ticket's fields, how long things have been as they are (in hours), and the
 * customer's attributes (for `customer_attribute` conditions, which name one by its key).
 */
export type RuleFacts = Record<Exclude<ConditionField, 'customer_attribute'>, string | number | string[] | null> & {
  customer_attributes: Record<string, unknown>;
};

const fold = (s: string) => s.trim().toLowerCase().normalize('NFC');

/** An attribute's value as the texts a condition compares with: scalars as text, a list as its items; none when unset or empty. */
function attributeTexts(v: unknown): string[] {
  if (v === null || v === undefined) return [];
  if (Array.isArray(v)) return v.flatMap(attributeTexts);
  if (typeof v === 'object') return Object.keys(v).length === 0 ? [] : [fold(JSON.stringify(v))];
  const s = fold(String(v));
  return s ? [s] : [];
}

/**
 * A condition on one customer attribute (key exact, value case-insensitive): `is` (the value, or an item of a list,
 * equals the text), `is_not` (the opposite, so a customer without it "is not"), `contains` (substring, any script),
 * `present` (set and not empty; `false` and `0` count as set) and `absent`.
 */
function attributeHolds(c: Condition, attributes: Record<string, unknown>): boolean {
  const key = c.key ?? '';
  const have = Object.hasOwn(attributes, key) ? attributeTexts(attributes[key]) : [];
  const wanted = typeof c.value === 'string' || typeof c.value === 'number' ? fold(String(c.value)) : '';
  switch (c.op) {
    case 'present':
      return have.length > 0;
    case 'absent':
      return have.length === 0;
    case 'is':
      return wanted !== '' && have.includes(wanted);
    case 'is_not':
      return !(wanted !== '' && have.includes(wanted));
    case 'contains':
      return wanted !== '' && have.some((h) => h.includes(wanted));
    default:
      return false;
  }
}

function asList(v: Condition['value']): string[] {
  if (Array.isArray(v)) return v.map((x) => x.toLowerCase());
  if (v === null || v === undefined) return [];
  return [String(v).toLowerCase()];
}

/** One condition against the facts. Text compares case-insensitively; tags are a set; hours compare as numbers. */
export function conditionHolds(c: Condition, facts: RuleFacts): boolean {
  if (c.field === 'customer_attribute') return attributeHolds(c, facts.customer_attributes ?? {});
  const actual = facts[c.field];
  const empty = actual === null || actual === '' || (Array.isArray(actual) && actual.length === 0);
  switch (c.op) {
    case 'is_empty':
      return empty;
    case 'is_not_empty':
      return !empty;
    case 'present':
    case 'absent':
      return false;
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
