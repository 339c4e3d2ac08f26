import { type SQL, sql } from 'drizzle-orm';
import { type Actor, ticketVisibility } from '../../platform/auth/permissions.ts';

/**
 * SQL condition: the ticket aliased `alias` is visible to the actor (everyone but collaborators sees all tickets;
 * a collaborator sees the tickets assigned to them or where they were added as a collaborator).
 */
export function ticketVisibleSql(actor: Actor, alias: string): SQL {
  const v = ticketVisibility(actor);
  if (v.all) return sql`TRUE`;
  const t = sql.identifier(alias);
  return sql`(${t}.assignee_id = ${v.userId} OR EXISTS (
    SELECT 1 FROM ticket_collaborators tc_vis WHERE tc_vis.ticket_id = ${t}.id AND tc_vis.user_id = ${v.userId}))`;
}

/** SQL condition: the customer aliased `alias` has at least one ticket the actor can see (or the actor sees all). */
export function customerVisibleSql(actor: Actor, alias: string): SQL {
  const v = ticketVisibility(actor);
  if (v.all) return sql`TRUE`;
  const c = sql.identifier(alias);
  return sql`EXISTS (SELECT 1 FROM tickets t_vis WHERE t_vis.customer_id = ${c}.id AND ${ticketVisibleSql(actor, 't_vis')})`;
}
