import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { chatVisitors, customerIdentities, customers } from '../../platform/db/schema/index.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { normaliseEmail } from '../customers/index.ts';
import type { VisitorRow } from './widget.repository.ts';

/**
 * The customer record behind a visitor: the one it is linked to, else a new one created now with identity kind
 * 'visitor' (value: the visitor id). An email the visitor typed is added to that customer only when nobody owns it
 * yet (an anonymous visitor never gains another customer's record by typing their address).
 */
export async function ensureVisitorCustomer(
  tx: DbOrTx,
  visitor: VisitorRow,
  input: { name?: string | undefined; email?: string | undefined; now: Date },
): Promise<{ id: string; organisationId: string | null; name: string }> {
  const email = input.email ? normaliseEmail(input.email) : null;
  if (visitor.customerId) {
    const [c] = await tx
      .select({ id: customers.id, organisationId: customers.organisationId, name: customers.name })
      .from(customers)
      .where(eq(customers.id, visitor.customerId));
    if (c) {
      if (email) await addEmailIfFree(tx, c.id, email, input.now);
      await rememberContact(tx, visitor, input.name, email);
      return c;
    }
  }
  const name = input.name?.trim() || visitor.name || `Visitor ${visitor.id.slice(0, 6)}`;
  const [c] = await tx
    .insert(customers)
    .values({
      name,
      searchText: normaliseForSearch(`${name} ${email ?? ''}`),
      createdAt: input.now,
      updatedAt: input.now,
    })
    .returning({ id: customers.id, organisationId: customers.organisationId, name: customers.name });
  if (!c) throw new Error('customer insert returned nothing');
  await tx
    .insert(customerIdentities)
    .values({ customerId: c.id, kind: 'visitor', value: visitor.id, createdAt: input.now });
  if (email) await addEmailIfFree(tx, c.id, email, input.now);
  await recordEvent(tx, {
    type: 'customer.created',
    actor: { kind: 'system' },
    customerId: c.id,
    payload: { name, source: 'widget' },
    at: input.now,
  });
  await tx.update(chatVisitors).set({ customerId: c.id }).where(eq(chatVisitors.id, visitor.id));
  await rememberContact(tx, visitor, input.name, email);
  return c;
}

/** The name and email the visitor typed, kept on the visitor (the agent's panel, transcripts, continuing by email). */
async function rememberContact(
  tx: DbOrTx,
  visitor: VisitorRow,
  name: string | undefined,
  email: string | null,
): Promise<void> {
  const set = {
    ...(name?.trim() && !visitor.isVerified ? { name: name.trim().slice(0, 200) } : {}),
    ...(email && !visitor.isVerified ? { email } : {}),
  };
  if (Object.keys(set).length > 0) await tx.update(chatVisitors).set(set).where(eq(chatVisitors.id, visitor.id));
}

async function addEmailIfFree(tx: DbOrTx, customerId: string, email: string, now: Date): Promise<void> {
  await tx
    .insert(customerIdentities)
    .values({ customerId, kind: 'email', value: email, createdAt: now })
    .onConflictDoNothing({ target: [customerIdentities.kind, customerIdentities.value] });
}
