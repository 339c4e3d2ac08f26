import type { CallbackRequestBody, LeaveMessageBody } from '@seva/contracts';
import { asc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import {
  callbackRequests,
  chatVisitors,
  customerIdentities,
  emailThreads,
  mailboxes,
} from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { recordEvent } from '../../platform/events.ts';
import { normaliseForSearch } from '../../platform/text/normalise.ts';
import { runTicketHooks } from '../../platform/ticket-hooks.ts';
import { findOrCreateCustomerByEmail } from '../customers/find-or-create-customer.ts';
import { normalisePhone } from '../customers/index.ts';
import { newReplyToken } from '../email/ingest-inbound-email.ts';
import { appendMessage, detectLanguage, insertTicketRow } from '../tickets/index.ts';
import { createRateLimiter, WIDGET_LIMITS } from './rate-limiter.ts';
import { ensureVisitorCustomer } from './visitor-customer.ts';
import { fieldProblem, tooMany } from './widget.errors.ts';
import type { VisitorRow, WidgetRow } from './widget.repository.ts';
import { widgetLanguage } from './widget-language.ts';

const SYSTEM = { kind: 'system' } as const;
const offlinePerIp = createRateLimiter(WIDGET_LIMITS.offlinePerIp);

/** The mailbox replies leave from: the team's default, else the oldest active one (null: none set up yet). */
export async function replyMailbox(tx: DbOrTx, teamId: string | null): Promise<string | null> {
  const [m] = await tx
    .select({ id: mailboxes.id })
    .from(mailboxes)
    .where(eq(mailboxes.status, 'active'))
    .orderBy(
      sql`(${mailboxes.teamId} IS NOT DISTINCT FROM ${teamId}::uuid AND ${mailboxes.isTeamDefault}) DESC`,
      asc(mailboxes.createdAt),
    )
    .limit(1);
  return m?.id ?? null;
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0]?.trim() ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

export interface OfflineInput<B> {
  visitor: VisitorRow;
  widget: WidgetRow;
  body: B;
  ip: string;
}

/**
 * "Leave a message": a ticket of channel `email` for the customer owning the address (created when new), with an
 * email thread so the agent's reply goes out by email through the outbound mail path. The visitor is not linked to
 * that customer: typing an address never grants anyone that customer's history.
 */
export async function leaveMessage(
  deps: Deps,
  input: OfflineInput<LeaveMessageBody>,
): Promise<{ ticketNumber: number }> {
  if (!offlinePerIp.take(input.ip)) throw tooMany('messages from this address');
  const { body, widget, visitor } = input;
  const now = deps.clock.now();
  return deps.db.transaction(async (tx) => {
    const customer = await findOrCreateCustomerByEmail(tx, { email: body.email, name: body.name, now });
    const subject = body.subject?.trim() || firstLine(body.body) || 'Message';
    const language = widgetLanguage(body.locale ?? visitor.locale) ?? detectLanguage(`${subject}\n${body.body}`);
    const t = await insertTicketRow(tx, {
      subject,
      status: 'new',
      channel: 'email',
      language,
      teamId: widget.teamId,
      customerId: customer.id,
      organisationId: customer.organisationId,
      searchText: normaliseForSearch(`${subject} ${customer.name} ${customer.email}`),
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, {
      type: 'ticket.created',
      actor: SYSTEM,
      ticketId: t.id,
      customerId: customer.id,
      payload: {
        number: t.number,
        subject,
        channel: 'email',
        customerId: customer.id,
        priority: t.priority,
        type: t.type,
        widgetId: widget.id,
        via: 'widget',
      },
      at: now,
    });
    await tx.insert(emailThreads).values({
      ticketId: t.id,
      mailboxId: await replyMailbox(tx, widget.teamId),
      replyToken: newReplyToken(),
      participants: [customer.email],
      createdAt: now,
    });
    await appendMessage(tx, {
      ticketId: t.id,
      kind: 'public',
      authorType: 'customer',
      authorCustomerId: customer.id,
      channel: 'email',
      body: body.body,
      status: 'received',
      meta: { widget: { visitorId: visitor.id, widgetId: widget.id, page: body.page ?? null } },
      actor: SYSTEM,
      now,
    });
    if (!visitor.name) await tx.update(chatVisitors).set({ name: body.name }).where(eq(chatVisitors.id, visitor.id));
    await runTicketHooks(tx, { kind: 'created', ticketId: t.id, actor: SYSTEM, now, source: 'widget' });
    return { ticketNumber: t.number };
  });
}

/** "Call me back": a ticket of channel `phone` carrying a callback_requests row for the callback queue. */
export async function requestCallback(
  deps: Deps,
  input: OfflineInput<CallbackRequestBody>,
): Promise<{ ticketNumber: number }> {
  const { body, widget, visitor } = input;
  const phone = normalisePhone(body.phone);
  if (!phone) throw fieldProblem('phone', 'not a phone number');
  if (!offlinePerIp.take(input.ip)) throw tooMany('requests from this address');
  const now = deps.clock.now();
  const preferredAt = body.preferredAt ? new Date(body.preferredAt) : null;
  return deps.db.transaction(async (tx) => {
    const customer = await ensureVisitorCustomer(tx, visitor, { name: body.name, now });
    await tx
      .insert(customerIdentities)
      .values({ customerId: customer.id, kind: 'phone', value: phone, createdAt: now })
      .onConflictDoNothing({ target: [customerIdentities.kind, customerIdentities.value] });
    const subject = `Call back ${body.name} (${phone})`.slice(0, 300);
    const language = widgetLanguage(body.locale ?? visitor.locale) ?? (body.note ? detectLanguage(body.note) : 'en');
    const t = await insertTicketRow(tx, {
      subject,
      status: 'new',
      channel: 'phone',
      language,
      teamId: widget.teamId,
      customerId: customer.id,
      organisationId: customer.organisationId,
      searchText: normaliseForSearch(`${subject} ${customer.name}`),
      createdAt: now,
      updatedAt: now,
    });
    await recordEvent(tx, {
      type: 'ticket.created',
      actor: SYSTEM,
      ticketId: t.id,
      customerId: customer.id,
      payload: {
        number: t.number,
        subject,
        channel: 'phone',
        customerId: customer.id,
        priority: t.priority,
        type: t.type,
        widgetId: widget.id,
        via: 'widget',
      },
      at: now,
    });
    const lines = [
      body.note?.trim() || '',
      `Phone: ${phone}`,
      preferredAt
        ? `Preferred time: ${body.preferredAt}${body.timezone ? ` (${body.timezone})` : ''}`
        : 'As soon as possible',
    ];
    await appendMessage(tx, {
      ticketId: t.id,
      kind: 'public',
      authorType: 'customer',
      authorCustomerId: customer.id,
      channel: 'phone',
      body: lines.filter(Boolean).join('\n'),
      status: 'received',
      meta: { widget: { visitorId: visitor.id, widgetId: widget.id, page: body.page ?? null } },
      actor: SYSTEM,
      now,
    });
    const [cb] = await tx
      .insert(callbackRequests)
      .values({
        ticketId: t.id,
        widgetId: widget.id,
        visitorId: visitor.id,
        customerId: customer.id,
        phone,
        preferredAt,
        timezone: body.timezone ?? null,
        note: body.note ?? '',
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: callbackRequests.id });
    await recordEvent(tx, {
      type: 'callback.requested',
      actor: SYSTEM,
      ticketId: t.id,
      customerId: customer.id,
      payload: { callbackId: cb?.id ?? null, preferredAt: preferredAt?.toISOString() ?? null, widgetId: widget.id },
      at: now,
    });
    await runTicketHooks(tx, { kind: 'created', ticketId: t.id, actor: SYSTEM, now, source: 'widget' });
    return { ticketNumber: t.number };
  });
}
