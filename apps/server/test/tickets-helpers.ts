import type { LightMyRequestResponse } from 'fastify';
import { findVisibleTicket, recordCustomerMessage } from '../src/modules/tickets/index.ts';
import { categories, customFields, teamMembers, teams } from '../src/platform/db/schema/index.ts';
import type { TestStaff } from './factories.ts';
import type { TestApp } from './harness.ts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** A request as a staff member, by API token (or by session when `via: 'session'`). */
export async function api(
  t: TestApp,
  who: TestStaff | null,
  method: Method,
  url: string,
  payload?: unknown,
  opts: { via?: 'token' | 'session' } = {},
): Promise<LightMyRequestResponse> {
  const headers = who ? (opts.via === 'session' ? who.session : who.bearer) : {};
  return t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload !== undefined ? { payload: payload as Record<string, unknown> } : {}),
  });
}

let seq = 0;

export interface NewTicketOptions {
  subject?: string;
  email?: string;
  name?: string;
  body?: string;
  [key: string]: unknown;
}

/** Opens a ticket through the API and answers its JSON; fails the test on any non-201. */
export async function openTicket(t: TestApp, who: TestStaff, opts: NewTicketOptions = {}) {
  seq += 1;
  const { subject, email, name, body, ...rest } = opts;
  const res = await api(t, who, 'POST', '/tickets', {
    subject: subject ?? `Ticket ${seq}`,
    customer: { email: email ?? `customer${seq}@example.com`, ...(name !== undefined ? { name } : {}) },
    message: { body: body ?? `Hello, this is message ${seq}` },
    ...rest,
  });
  if (res.statusCode !== 201) throw new Error(`openTicket failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

export async function insertCategory(t: TestApp, name: string, isActive = true): Promise<string> {
  const [row] = await t.deps.db.insert(categories).values({ name, isActive }).returning({ id: categories.id });
  if (!row) throw new Error('no category');
  return row.id;
}

export async function insertTeam(t: TestApp, name: string, memberIds: string[] = []): Promise<string> {
  const [row] = await t.deps.db.insert(teams).values({ name }).returning({ id: teams.id });
  if (!row) throw new Error('no team');
  for (const userId of memberIds) await t.deps.db.insert(teamMembers).values({ teamId: row.id, userId });
  return row.id;
}

export async function insertCustomField(
  t: TestApp,
  f: {
    key: string;
    label?: string;
    fieldType: string;
    options?: Array<{ value: string; label: string }>;
    isRequired?: boolean;
    isActive?: boolean;
  },
): Promise<void> {
  await t.deps.db.insert(customFields).values({
    key: f.key,
    label: f.label ?? f.key,
    fieldType: f.fieldType,
    options: f.options ?? [],
    isRequired: f.isRequired ?? false,
    isActive: f.isActive ?? true,
  });
}

/** A multipart/form-data body with one file part. */
export function multipart(
  field: string,
  filename: string,
  contentType: string,
  content: Buffer,
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----seva${Math.random().toString(16).slice(2)}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

export async function upload(
  t: TestApp,
  who: TestStaff,
  filename: string,
  contentType: string,
  content: Buffer | string,
) {
  const body = multipart('file', filename, contentType, Buffer.isBuffer(content) ? content : Buffer.from(content));
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/attachments',
    headers: { ...who.bearer, ...body.headers },
    payload: body.payload,
  });
}

/** The customer writes on a ticket (an email reply, say): a public customer message at the app clock's time. */
export async function customerWrites(t: TestApp, ticketId: string, body: string): Promise<void> {
  await t.deps.db.transaction(async (tx) => {
    const row = await findVisibleTicket(tx, { kind: 'system' }, ticketId, { forUpdate: true });
    if (!row) throw new Error('ticket missing');
    await recordCustomerMessage(tx, {
      ticket: row,
      channel: 'email',
      body,
      actor: { kind: 'system' },
      now: t.clock.now(),
    });
  });
}
