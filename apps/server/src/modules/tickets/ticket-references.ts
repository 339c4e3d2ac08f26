import { eq } from 'drizzle-orm';
import { cachedConfig } from '../../platform/config-cache.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import { categories, customFields, staffUsers, teams, tickets } from '../../platform/db/schema/index.ts';
import type { FieldProblem } from '../../platform/errors.ts';
import type { CustomFieldDefinition } from './validate-custom-fields.ts';

export interface TicketReferences {
  categoryId?: string | null | undefined;
  teamId?: string | null | undefined;
  assigneeId?: string | null | undefined;
  problemId?: string | null | undefined;
}

/**
 * Checks that referenced rows exist and may be used: an active category, a team, an active staff member as
 * assignee, a problem ticket (not the ticket itself) as problem. Unknown ones become field errors (400), not 404s.
 */
export async function checkTicketReferences(
  tx: DbOrTx,
  refs: TicketReferences,
  selfId?: string,
): Promise<FieldProblem[]> {
  const errors: FieldProblem[] = [];
  if (refs.categoryId) {
    const [c] = await tx
      .select({ isActive: categories.isActive })
      .from(categories)
      .where(eq(categories.id, refs.categoryId));
    if (!c) errors.push({ path: 'categoryId', message: 'no such category' });
    else if (!c.isActive) errors.push({ path: 'categoryId', message: 'this category is no longer in use' });
  }
  if (refs.teamId) {
    const [t] = await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, refs.teamId));
    if (!t) errors.push({ path: 'teamId', message: 'no such team' });
  }
  if (refs.assigneeId) {
    const [s] = await tx
      .select({ status: staffUsers.status })
      .from(staffUsers)
      .where(eq(staffUsers.id, refs.assigneeId));
    if (!s) errors.push({ path: 'assigneeId', message: 'no such staff member' });
    else if (s.status !== 'active') errors.push({ path: 'assigneeId', message: 'this staff member is not active' });
  }
  if (refs.problemId) {
    const [p] = await tx
      .select({ type: tickets.type, mergedIntoId: tickets.mergedIntoId })
      .from(tickets)
      .where(eq(tickets.id, refs.problemId));
    if (!p || refs.problemId === selfId) errors.push({ path: 'problemId', message: 'no such problem ticket' });
    else if (p.type !== 'problem')
      errors.push({ path: 'problemId', message: 'the linked ticket must be of type problem' });
    else if (p.mergedIntoId) errors.push({ path: 'problemId', message: 'that problem was merged into another ticket' });
  }
  return errors;
}

/** Active custom field definitions, in display order (from the configuration cache: read-only). */
export const loadCustomFieldDefinitions: (tx: DbOrTx) => Promise<readonly CustomFieldDefinition[]> = cachedConfig(
  'custom_fields',
  'active definitions',
  (tx) =>
    tx
      .select({
        key: customFields.key,
        label: customFields.label,
        fieldType: customFields.fieldType,
        options: customFields.options,
        isRequired: customFields.isRequired,
      })
      .from(customFields)
      .where(eq(customFields.isActive, true))
      .orderBy(customFields.position, customFields.key),
);
