import { z } from 'zod';

/** Message and attachment wire types (see docs/api.md "Tickets and messages" and "Attachments"). */

export const MESSAGE_KINDS = ['public', 'internal', 'system'] as const;
export const MessageKind = z.enum(MESSAGE_KINDS);
export type MessageKind = z.infer<typeof MessageKind>;

export const AUTHOR_TYPES = ['customer', 'staff', 'system'] as const;
export const AuthorType = z.enum(AUTHOR_TYPES);
export type AuthorType = z.infer<typeof AuthorType>;

/** sent | pending_approval | rejected | queued | failed | received */
export const MESSAGE_STATUSES = ['sent', 'pending_approval', 'rejected', 'queued', 'failed', 'received'] as const;
export const MessageStatus = z.enum(MESSAGE_STATUSES);
export type MessageStatus = z.infer<typeof MessageStatus>;

export const MAX_BODY_CHARS = 200_000;
export const MAX_ATTACHMENTS_PER_MESSAGE = 20;

export const Attachment = z.object({
  id: z.uuid(),
  filename: z.string(),
  contentType: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: z.string(),
});
export type Attachment = z.infer<typeof Attachment>;

export const AttachmentIdParams = z.object({ id: z.uuid() });

export const MessageAuthor = z.object({ id: z.uuid(), name: z.string() });
export type MessageAuthor = z.infer<typeof MessageAuthor>;

export const Message = z.object({
  id: z.uuid(),
  ticketId: z.uuid(),
  seq: z.number().int(),
  kind: MessageKind,
  authorType: AuthorType,
  author: MessageAuthor.nullable(),
  channel: z.string(),
  bodyText: z.string(),
  /** sanitised on the server; render it in a sandboxed frame anyway */
  bodyHtml: z.string().nullable(),
  status: MessageStatus,
  attachments: z.array(Attachment),
  meta: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type Message = z.infer<typeof Message>;

export const MessageList = z.object({ items: z.array(Message) });
export type MessageList = z.infer<typeof MessageList>;

/** The body of a message: text, HTML (sanitised on the server) or both; at least one must say something. */
export const MessageBodyFields = {
  body: z.string().max(MAX_BODY_CHARS).optional(),
  html: z.string().max(MAX_BODY_CHARS).optional(),
};

export const CreateMessageBody = z
  .object({
    ...MessageBodyFields,
    internal: z.boolean().optional(),
    attachmentIds: z.array(z.uuid()).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
    /** ticket status after a public reply (default: a 'new' ticket becomes 'open') */
    status: z.enum(['new', 'open', 'pending', 'on_hold', 'solved', 'closed']).optional(),
  })
  .strict()
  .refine((b) => (b.body ?? '').trim() !== '' || (b.html ?? '').trim() !== '', {
    message: 'a message needs a body or html',
    path: ['body'],
  });
export type CreateMessageBody = z.infer<typeof CreateMessageBody>;

export const MessageParams = z.object({ id: z.string().min(1).max(64), messageId: z.uuid() });

export const RejectMessageBody = z
  .object({ reason: z.string().trim().max(2000).optional() })
  .strict()
  .nullish();
export type RejectMessageBody = z.infer<typeof RejectMessageBody>;
