import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { chatSessions, tickets } from '../src/platform/db/schema/index.ts';
import type { TestStaff } from './factories.ts';
import type { TestApp } from './harness.ts';
import { api } from './tickets-helpers.ts';
import { newVisitor, visitorRequest } from './widget-helpers.ts';

let ipSeq = 0;

/** A visitor on the widget starts a chat through the widget API (each from its own test IP, so limits do not bite). */
export async function visitorStartsChat(t: TestApp, key: string, opts: { body?: string; locale?: string; email?: string; name?: string; visitor?: { visitorToken: string; visitorId: string } } = {}) {
  ipSeq += 1;
  const ip = `192.0.2.${(ipSeq % 250) + 1}`;
  const visitor = opts.visitor ?? (await newVisitor(t.app, key, {}, ip));
  const preChat = { ...(opts.email ? { email: opts.email } : {}), ...(opts.name ? { name: opts.name } : {}) };
  const res = await visitorRequest(
    t.app,
    visitor.visitorToken,
    'POST',
    '/conversations',
    { clientId: `c-${randomUUID()}`, body: opts.body ?? 'Hello, I need help', ...(opts.locale ? { locale: opts.locale } : {}), ...(Object.keys(preChat).length ? { preChat } : {}) },
    { 'x-forwarded-for': ip },
  );
  if (res.statusCode !== 201) throw new Error(`chat start failed: ${res.statusCode} ${res.body}`);
  const out = res.json() as { conversation: { id: string; number: number } };
  return { ticketId: out.conversation.id, number: out.conversation.number, visitorToken: visitor.visitorToken, visitorId: visitor.visitorId };
}

export async function sessionOf(t: TestApp, ticketId: string) {
  const [s] = await t.deps.db.select().from(chatSessions).where(eq(chatSessions.ticketId, ticketId));
  if (!s) throw new Error('no chat session');
  return s;
}

export async function ticketRow(t: TestApp, ticketId: string) {
  const [row] = await t.deps.db.select().from(tickets).where(eq(tickets.id, ticketId));
  if (!row) throw new Error('no ticket');
  return row;
}

/** Sets someone's availability and chat capacity as an admin would. */
export async function setRouting(t: TestApp, admin: TestStaff, who: TestStaff, body: Record<string, unknown>) {
  const res = await api(t, admin, 'PATCH', `/routing/staff/${who.id}`, body);
  if (res.statusCode !== 200) throw new Error(`routing profile failed: ${res.statusCode} ${res.body}`);
}
