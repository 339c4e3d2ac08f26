import type { SlaConditions } from '../../platform/db/schema/index.ts';

export interface TicketFacts {
  priority: string;
  channel: string;
  categoryId: string | null;
  organisationId: string | null;
  customerTier: string | null;
}

export interface MatchablePolicy {
  id: string;
  position: number;
  name: string;
  active: boolean;
  conditions: SlaConditions;
}

/** Every condition that is set must hold; an empty list or a missing one matches anything. */
export function policyMatches(conditions: SlaConditions, t: TicketFacts): boolean {
  const within = (list: string[] | undefined, value: string | null) =>
    !list || list.length === 0 || (value !== null && list.includes(value));
  return (
    within(conditions.priorities, t.priority) &&
    within(conditions.channels, t.channel) &&
    within(conditions.categoryIds, t.categoryId) &&
    within(conditions.organisationIds, t.organisationId) &&
    within(
      conditions.customerTiers?.map((x) => x.toLowerCase()),
      t.customerTier ? t.customerTier.toLowerCase() : null,
    )
  );
}

/** The first active policy, in position order (then name), whose conditions match. */
export function choosePolicy<P extends MatchablePolicy>(policies: readonly P[], t: TicketFacts): P | null {
  const ordered = [...policies].filter((p) => p.active).sort((a, b) => a.position - b.position || a.name.localeCompare(b.name));
  return ordered.find((p) => policyMatches(p.conditions, t)) ?? null;
}
