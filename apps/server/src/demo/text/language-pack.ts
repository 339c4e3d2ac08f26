/** Support conversations, written per category and language, with {placeholders} filled per ticket. */
export const CATEGORY_KEYS = [
  'billing',
  'delivery',
  'returns',
  'technical',
  'account',
  'plumbing',
  'feedback',
] as const;
export type CategoryKey = (typeof CATEGORY_KEYS)[number];

export interface CategoryTexts {
  subjects: readonly string[];
  /** the customer's first message */
  openings: readonly string[];
  /** what customers write back */
  followUps: readonly string[];
  /** agents' public answers */
  replies: readonly string[];
  /** internal notes between staff */
  notes: readonly string[];
}

export interface LanguagePack {
  categories: Readonly<Record<CategoryKey, CategoryTexts>>;
  greetings: readonly string[];
  signOffs: readonly string[];
  /** an agent solving the ticket */
  closings: readonly string[];
  /** a customer saying it's sorted */
  thanks: readonly string[];
  products: readonly string[];
  cities: readonly string[];
}

export type Placeholders = Record<
  'name' | 'agent' | 'order' | 'product' | 'amount' | 'days' | 'city' | 'date' | 'invoice',
  string
>;

/** Replaces {name}, {order} … with this ticket's values. */
export function fillTemplate(template: string, values: Placeholders): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in values ? values[key as keyof Placeholders] : whole,
  );
}
