import { z } from 'zod';

/** Email channel wire types (see docs/api.md "Email" and docs/email.md). */

export const MAILBOX_STATUSES = ['active', 'disabled', 'error'] as const;
export const MailboxStatus = z.enum(MAILBOX_STATUSES);
export type MailboxStatus = z.infer<typeof MailboxStatus>;

export const AckTemplate = z.object({
  subject: z.string().trim().min(1).max(300),
  body: z.string().trim().min(1).max(20_000),
});
/** per language: `{ en: {subject, body}, bn: {...}, hi: {...} }`; placeholders {{ticket.number}}, {{ticket.subject}}, {{customer.name}} */
export const AckTemplates = z.record(z.string().regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$/), AckTemplate);
export type AckTemplates = z.infer<typeof AckTemplates>;

/** an address (`someone@example.com`) or a whole domain (`@example.com`) */
export const AddressRule = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^([^\s@]+@[^\s@]+\.[^\s@]+|@[^\s@]+\.[^\s@]+)$/, 'an address or @domain');

const AddressRules = z.array(AddressRule).max(500);

export const IMAP_SECURITY_MODES = ['tls', 'starttls', 'plain'] as const;
export const ImapSecurity = z.enum(IMAP_SECURITY_MODES);
export type ImapSecurity = z.infer<typeof ImapSecurity>;

export const MailboxImap = z.object({
  enabled: z.boolean(),
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  user: z.string().nullable(),
  folder: z.string(),
  /** the password is never sent back */
  hasPassword: z.boolean(),
  /** tls: implicit TLS (993); starttls: STARTTLS required (143); plain: no TLS — both verify certificates */
  security: z.enum(IMAP_SECURITY_MODES),
  /** when the IMAP fetcher last finished a pass over the folder */
  lastSyncAt: z.string().nullable(),
});

export const Mailbox = z.object({
  id: z.uuid(),
  address: z.string(),
  name: z.string(),
  fromName: z.string(),
  signature: z.string(),
  teamId: z.uuid().nullable(),
  isTeamDefault: z.boolean(),
  status: MailboxStatus,
  lastError: z.string().nullable(),
  lastErrorAt: z.string().nullable(),
  lastReceivedAt: z.string().nullable(),
  smtpEnabled: z.boolean(),
  imap: MailboxImap,
  ackEnabled: z.boolean(),
  ackTemplates: AckTemplates,
  allowList: z.array(z.string()),
  blockList: z.array(z.string()),
  trustedAuthservId: z.string().nullable(),
  hasHookSecret: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Mailbox = z.infer<typeof Mailbox>;

export const MailboxList = z.object({ items: z.array(Mailbox) });

const ImapSettings = z
  .object({
    enabled: z.boolean().optional(),
    host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.-]+$/, 'a host name').nullable().optional(),
    port: z.number().int().min(1).max(65535).nullable().optional(),
    user: z.string().trim().min(1).max(320).nullable().optional(),
    /** write-only; null removes it */
    password: z.string().min(1).max(1000).nullable().optional(),
    folder: z.string().trim().min(1).max(200).optional(),
    /** plain or starttls only when chosen explicitly; the default is implicit TLS */
    security: ImapSecurity.optional(),
  })
  .strict();

const MailboxFields = {
  name: z.string().trim().min(1).max(200),
  fromName: z.string().trim().max(200).optional(),
  signature: z.string().max(10_000).optional(),
  teamId: z.uuid().nullable().optional(),
  isTeamDefault: z.boolean().optional(),
  smtpEnabled: z.boolean().optional(),
  imap: ImapSettings.optional(),
  ackEnabled: z.boolean().optional(),
  ackTemplates: AckTemplates.optional(),
  allowList: AddressRules.optional(),
  blockList: AddressRules.optional(),
  trustedAuthservId: z.string().trim().min(1).max(253).nullable().optional(),
};

export const CreateMailboxBody = z
  .object({ address: z.email().max(254).transform((a) => a.trim().toLowerCase()), ...MailboxFields })
  .strict();
export type CreateMailboxBody = z.infer<typeof CreateMailboxBody>;

export const UpdateMailboxBody = z
  .object({
    ...MailboxFields,
    name: MailboxFields.name.optional(),
    address: z.email().max(254).transform((a) => a.trim().toLowerCase()).optional(),
    status: z.enum(['active', 'disabled']).optional(),
  })
  .strict();
export type UpdateMailboxBody = z.infer<typeof UpdateMailboxBody>;

export const MailboxIdParams = z.object({ id: z.uuid() });

/** shown once; sign hook requests with it (HMAC-SHA256 of `<timestamp>.<raw body>`) */
export const MailboxHookSecret = z.object({ secret: z.string(), hookUrl: z.string() });

export const INBOUND_EMAIL_STATUSES = ['received', 'processed', 'quarantined', 'failed'] as const;
export const InboundEmailStatus = z.enum(INBOUND_EMAIL_STATUSES);

export const InboundEmail = z.object({
  id: z.uuid(),
  mailboxId: z.uuid(),
  source: z.string(),
  envelopeFrom: z.string(),
  messageIdHeader: z.string(),
  sizeBytes: z.number().int(),
  status: InboundEmailStatus,
  outcome: z.string().nullable(),
  ticketId: z.uuid().nullable(),
  attempts: z.number().int(),
  error: z.string().nullable(),
  receivedAt: z.string(),
  processedAt: z.string().nullable(),
});
export type InboundEmail = z.infer<typeof InboundEmail>;

export const InboundEmailList = z.object({ items: z.array(InboundEmail) });
export const InboundEmailQuery = z.object({
  status: InboundEmailStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** what `meta.threading` on an email message says about how it found its ticket */
export const THREADING_REASONS = [
  'new_ticket',
  'in_reply_to',
  'references',
  'reply_token',
  'subject_reference',
  'follow_up_of_closed',
] as const;

/** `meta.email.delivery.status` on an outgoing email message */
export const EMAIL_DELIVERY_STATUSES = ['queued', 'sent', 'failed', 'bounced'] as const;
