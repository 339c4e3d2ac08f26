import { randomBytes } from 'node:crypto';
import type { CreateMailboxBody, Mailbox, UpdateMailboxBody } from '@seva/contracts';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { Db, DbOrTx } from '../../platform/db/client.ts';
import { mailboxes, teams } from '../../platform/db/schema/index.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import type { SecretBox } from './secret-box.ts';

export type MailboxRow = typeof mailboxes.$inferSelect;

export interface MailboxDeps {
  db: Db;
  box: SecretBox;
}

export function toMailboxDto(m: MailboxRow): Mailbox {
  return {
    id: m.id,
    address: m.address,
    name: m.name,
    fromName: m.fromName,
    signature: m.signature,
    teamId: m.teamId,
    isTeamDefault: m.isTeamDefault,
    status: m.status as Mailbox['status'],
    lastError: m.lastError,
    lastErrorAt: m.lastErrorAt?.toISOString() ?? null,
    lastReceivedAt: m.lastReceivedAt?.toISOString() ?? null,
    smtpEnabled: m.isSmtpEnabled,
    imap: {
      enabled: m.isImapEnabled,
      host: m.imapHost,
      port: m.imapPort,
      user: m.imapUser,
      folder: m.imapFolder,
      hasPassword: m.imapPasswordEnc !== null,
      security: m.imapSecurity as Mailbox['imap']['security'],
      lastSyncAt: m.imapLastSyncAt?.toISOString() ?? null,
    },
    ackEnabled: m.isAckEnabled,
    ackTemplates: m.ackTemplates,
    allowList: m.allowList,
    blockList: m.blockList,
    trustedAuthservId: m.trustedAuthservId,
    hasHookSecret: m.hookSecretEnc !== null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export async function listMailboxes(db: DbOrTx): Promise<MailboxRow[]> {
  return db.select().from(mailboxes).orderBy(asc(mailboxes.address));
}

export async function getMailbox(db: DbOrTx, id: string): Promise<MailboxRow> {
  const [row] = await db.select().from(mailboxes).where(eq(mailboxes.id, id)).limit(1);
  if (!row) throw notFound('Mailbox');
  return row;
}

/** `support+tok@example.com` → `{ base: 'support@example.com', tag: 'tok' }`. */
export function splitPlusAddress(address: string): { base: string; tag: string | null } {
  const at = address.lastIndexOf('@');
  if (at < 1) return { base: address.toLowerCase(), tag: null };
  const local = address.slice(0, at).toLowerCase();
  const domain = address.slice(at + 1).toLowerCase();
  const plus = local.indexOf('+');
  if (plus < 1) return { base: `${local}@${domain}`, tag: null };
  return { base: `${local.slice(0, plus)}@${domain}`, tag: local.slice(plus + 1) || null };
}

/** The active mailbox an envelope recipient belongs to (plus-addressing included), or null. */
export async function findMailboxForRecipient(db: DbOrTx, address: string): Promise<{ mailbox: MailboxRow; tag: string | null } | null> {
  const { base, tag } = splitPlusAddress(address.trim());
  const [row] = await db
    .select()
    .from(mailboxes)
    .where(sql`lower(${mailboxes.address}) = ${base}`)
    .limit(1);
  if (!row || row.status === 'disabled') return null;
  return { mailbox: row, tag };
}

async function assertTeam(db: DbOrTx, teamId: string | null | undefined): Promise<void> {
  if (!teamId) return;
  const [t] = await db.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).limit(1);
  if (!t) throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors: [{ path: 'teamId', message: 'no such team' }] });
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } };
  return e.code === '23505' || e.cause?.code === '23505';
}

function imapColumns(box: SecretBox, imap: CreateMailboxBody['imap']): Partial<typeof mailboxes.$inferInsert> {
  if (!imap) return {};
  const out: Partial<typeof mailboxes.$inferInsert> = {};
  if (imap.enabled !== undefined) out.isImapEnabled = imap.enabled;
  if (imap.host !== undefined) out.imapHost = imap.host;
  if (imap.port !== undefined) out.imapPort = imap.port;
  if (imap.user !== undefined) out.imapUser = imap.user;
  if (imap.folder !== undefined) out.imapFolder = imap.folder;
  if (imap.security !== undefined) out.imapSecurity = imap.security;
  if (imap.password !== undefined) out.imapPasswordEnc = imap.password === null ? null : box.seal(imap.password);
  return out;
}

function commonColumns(box: SecretBox, input: Omit<UpdateMailboxBody, 'address' | 'status'>): Partial<typeof mailboxes.$inferInsert> {
  const out: Partial<typeof mailboxes.$inferInsert> = { ...imapColumns(box, input.imap) };
  if (input.name !== undefined) out.name = input.name;
  if (input.fromName !== undefined) out.fromName = input.fromName;
  if (input.signature !== undefined) out.signature = input.signature;
  if (input.teamId !== undefined) out.teamId = input.teamId;
  if (input.isTeamDefault !== undefined) out.isTeamDefault = input.isTeamDefault;
  if (input.smtpEnabled !== undefined) out.isSmtpEnabled = input.smtpEnabled;
  if (input.ackEnabled !== undefined) out.isAckEnabled = input.ackEnabled;
  if (input.ackTemplates !== undefined) out.ackTemplates = input.ackTemplates;
  if (input.allowList !== undefined) out.allowList = [...new Set(input.allowList)];
  if (input.blockList !== undefined) out.blockList = [...new Set(input.blockList)];
  if (input.trustedAuthservId !== undefined) out.trustedAuthservId = input.trustedAuthservId;
  return out;
}

function validateImap(row: Pick<MailboxRow, 'isImapEnabled' | 'imapHost' | 'imapUser' | 'imapPasswordEnc'>): void {
  if (!row.isImapEnabled) return;
  const errors = [];
  if (!row.imapHost) errors.push({ path: 'imap.host', message: 'required when IMAP is enabled' });
  if (!row.imapUser) errors.push({ path: 'imap.user', message: 'required when IMAP is enabled' });
  if (!row.imapPasswordEnc) errors.push({ path: 'imap.password', message: 'required when IMAP is enabled' });
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors });
}

async function clearOtherTeamDefaults(tx: DbOrTx, row: MailboxRow): Promise<void> {
  if (!row.isTeamDefault || !row.teamId) return;
  await tx
    .update(mailboxes)
    .set({ isTeamDefault: false })
    .where(and(eq(mailboxes.teamId, row.teamId), ne(mailboxes.id, row.id), eq(mailboxes.isTeamDefault, true)));
}

const addressTaken = () =>
  new AppError('ALREADY_EXISTS', 'A mailbox with this address already exists', { errors: [{ path: 'address', message: 'already used by another mailbox' }] });

export async function createMailbox(deps: MailboxDeps, opts: { actor: Actor; input: CreateMailboxBody }): Promise<MailboxRow> {
  const { input } = opts;
  if (input.address.includes('+')) {
    throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', {
      errors: [{ path: 'address', message: 'must not contain + (plus-addresses carry reply tokens)' }],
    });
  }
  try {
    return await deps.db.transaction(async (tx) => {
      await assertTeam(tx, input.teamId);
      const values = {
        address: input.address,
        fromName: input.fromName ?? '',
        ...commonColumns(deps.box, input),
        name: input.name,
      };
      validateImap({ isImapEnabled: values.isImapEnabled ?? false, imapHost: values.imapHost ?? null, imapUser: values.imapUser ?? null, imapPasswordEnc: values.imapPasswordEnc ?? null });
      const [row] = await tx.insert(mailboxes).values(values).returning();
      if (!row) throw new Error('mailbox insert returned nothing');
      await clearOtherTeamDefaults(tx, row);
      await recordEvent(tx, { type: 'mailbox.created', actor: opts.actor, payload: { mailboxId: row.id, address: row.address } });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw addressTaken();
    throw err;
  }
}

export async function updateMailbox(deps: MailboxDeps, opts: { actor: Actor; id: string; input: UpdateMailboxBody }): Promise<MailboxRow> {
  const { input } = opts;
  if (input.address?.includes('+')) {
    throw new AppError('VALIDATION_FAILED', 'Some fields are not valid', { errors: [{ path: 'address', message: 'must not contain +' }] });
  }
  try {
    return await deps.db.transaction(async (tx) => {
      const current = await getMailbox(tx, opts.id);
      await assertTeam(tx, input.teamId);
      const set: Partial<typeof mailboxes.$inferInsert> = { ...commonColumns(deps.box, input), updatedAt: new Date() };
      if (input.address !== undefined) set.address = input.address;
      if (input.status !== undefined) {
        set.status = input.status;
        if (input.status === 'active') {
          set.lastError = null;
          set.lastErrorAt = null;
        }
      }
      validateImap({ ...current, ...set } as MailboxRow);
      // another server, account or folder: the stored UIDVALIDITY and last UID mean nothing there
      const next = { ...current, ...set } as MailboxRow;
      if (next.imapHost !== current.imapHost || next.imapPort !== current.imapPort || next.imapUser !== current.imapUser || next.imapFolder !== current.imapFolder) {
        set.imapUidValidity = null;
        set.imapLastUid = 0;
      }
      const [row] = await tx.update(mailboxes).set(set).where(eq(mailboxes.id, opts.id)).returning();
      if (!row) throw notFound('Mailbox');
      await clearOtherTeamDefaults(tx, row);
      const changed = Object.keys(input);
      await recordEvent(tx, { type: 'mailbox.updated', actor: opts.actor, payload: { mailboxId: row.id, fields: changed } });
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw addressTaken();
    throw err;
  }
}

export async function deleteMailbox(deps: MailboxDeps, opts: { actor: Actor; id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const row = await getMailbox(tx, opts.id);
    await tx.delete(mailboxes).where(eq(mailboxes.id, row.id));
    await recordEvent(tx, { type: 'mailbox.deleted', actor: opts.actor, payload: { mailboxId: row.id, address: row.address } });
  });
}

/** A new signing secret for the HTTP inbound hook; returned once, stored encrypted. */
export async function rotateHookSecret(deps: MailboxDeps, opts: { actor: Actor; id: string }): Promise<{ row: MailboxRow; secret: string }> {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  return deps.db.transaction(async (tx) => {
    await getMailbox(tx, opts.id);
    const [row] = await tx
      .update(mailboxes)
      .set({ hookSecretEnc: deps.box.seal(secret), updatedAt: new Date() })
      .where(eq(mailboxes.id, opts.id))
      .returning();
    if (!row) throw notFound('Mailbox');
    await recordEvent(tx, { type: 'mailbox.hook_secret_rotated', actor: opts.actor, payload: { mailboxId: row.id } });
    return { row, secret };
  });
}

/** Marks a mailbox as failing (IMAP login refused, relay down …) so the admin UI shows it. */
export async function recordMailboxError(db: DbOrTx, id: string, message: string | null): Promise<void> {
  if (message === null) {
    await db.update(mailboxes).set({ status: 'active', lastError: null }).where(and(eq(mailboxes.id, id), eq(mailboxes.status, 'error')));
    return;
  }
  await db
    .update(mailboxes)
    .set({ status: 'error', lastError: message.slice(0, 2000), lastErrorAt: new Date() })
    .where(and(eq(mailboxes.id, id), ne(mailboxes.status, 'disabled')));
}
