import type { Customer } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { forgetNewTicket } from '../../platform/new-ticket-snapshot.ts';
import { refreshCustomerSearchText, rows } from './customers.repository.ts';
import { getCustomer } from './customers.service.ts';
import { customerVisibleSql } from './ticket-visibility-sql.ts';

/**
 * Merges a duplicate into this customer, in one transaction: the duplicate's identities, tickets and authored
 * messages move here, the duplicate keeps its row with merged_into_id (so old links resolve) and loses its search text.
 */
export async function mergeCustomers(
  deps: Pick<Deps, 'db'>,
  opts: { actor: Actor; survivorId: string; duplicateId: string },
): Promise<Customer> {
  if (opts.survivorId === opts.duplicateId) {
    throw new AppError('VALIDATION_FAILED', 'A customer cannot be merged into itself', {
      errors: [{ path: 'duplicateId', message: 'must differ from the customer merged into' }],
    });
  }
  return deps.db.transaction(async (tx) => {
    // lock both rows in id order so two opposite merges cannot deadlock
    const locked = await rows<{
      id: string;
      merged_into_id: string | null;
      organisation_id: string | null;
      locale: string | null;
    }>(
      tx,
      sql`SELECT c.id, c.merged_into_id, c.organisation_id, c.locale FROM customers c
          WHERE c.id IN (${opts.survivorId}, ${opts.duplicateId}) AND ${customerVisibleSql(opts.actor, 'c')}
          ORDER BY c.id FOR UPDATE`,
    );
    const survivor = locked.find((r) => r.id === opts.survivorId);
    const duplicate = locked.find((r) => r.id === opts.duplicateId);
    if (!survivor) throw notFound('Customer');
    if (!duplicate) throw notFound('Duplicate customer');
    if (survivor.merged_into_id)
      throw new AppError('CONFLICT', 'This customer was itself merged into another customer');
    if (duplicate.merged_into_id) throw new AppError('CONFLICT', 'The duplicate was already merged');

    const movedIdentities = await rows<{ id: string; kind: string; value: string }>(
      tx,
      sql`UPDATE customer_identities SET customer_id = ${opts.survivorId}, is_primary = false
          WHERE customer_id = ${opts.duplicateId} RETURNING id, kind, value`,
    );
    // every kind keeps exactly one primary on the survivor
    await tx.execute(sql`UPDATE customer_identities i SET is_primary = true
      WHERE i.customer_id = ${opts.survivorId} AND NOT EXISTS (
        SELECT 1 FROM customer_identities p WHERE p.customer_id = i.customer_id AND p.kind = i.kind AND p.is_primary)
      AND i.id = (SELECT f.id FROM customer_identities f WHERE f.customer_id = i.customer_id AND f.kind = i.kind
                  ORDER BY f.created_at, f.id LIMIT 1)`);
    const movedTickets = await rows<{ id: string }>(
      tx,
      sql`UPDATE tickets SET customer_id = ${opts.survivorId} WHERE customer_id = ${opts.duplicateId} RETURNING id`,
    );
    for (const t of movedTickets) forgetNewTicket(tx, t.id);
    await tx.execute(
      sql`UPDATE messages SET author_customer_id = ${opts.survivorId} WHERE author_customer_id = ${opts.duplicateId}`,
    );
    // customers merged into the duplicate earlier now point at the survivor (no chains)
    await tx.execute(
      sql`UPDATE customers SET merged_into_id = ${opts.survivorId} WHERE merged_into_id = ${opts.duplicateId}`,
    );
    await tx.execute(sql`UPDATE customers SET merged_into_id = ${opts.survivorId}, search_text = '', updated_at = now()
      WHERE id = ${opts.duplicateId}`);
    await tx.execute(sql`UPDATE customers SET
        organisation_id = COALESCE(organisation_id, ${duplicate.organisation_id}::uuid),
        locale = COALESCE(locale, ${duplicate.locale}::text),
        attributes = (SELECT d.attributes FROM customers d WHERE d.id = ${opts.duplicateId}) || attributes,
        updated_at = now()
      WHERE id = ${opts.survivorId}`);
    await refreshCustomerSearchText(tx, opts.survivorId);
    // each moved ticket's timeline (and realtime listeners) learn of the new customer
    for (const t of movedTickets) {
      await recordEvent(tx, {
        type: 'ticket.customer_changed',
        actor: opts.actor,
        ticketId: t.id,
        customerId: opts.survivorId,
        payload: { fromCustomerId: opts.duplicateId, toCustomerId: opts.survivorId, reason: 'customer.merged' },
      });
    }
    await recordEvent(tx, {
      type: 'customer.merged',
      actor: opts.actor,
      customerId: opts.survivorId,
      payload: {
        duplicateId: opts.duplicateId,
        movedIdentities: movedIdentities.map((i) => `${i.kind}:${i.value}`),
        movedTicketIds: movedTickets.map((t) => t.id),
      },
    });
    return getCustomer(deps, { actor: opts.actor, id: opts.survivorId, db: tx });
  });
}
