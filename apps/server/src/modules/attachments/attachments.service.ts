import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { Attachment } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import { hasPermission, type StaffActor } from '../../platform/auth/permissions.ts';
import { attachments, messages } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, forbidden, notFound } from '../../platform/errors.ts';
import { findVisibleTicket, toAttachmentDto } from '../tickets/tickets.repository.ts';
import { attachmentPath, FileTooLargeError, type StoredFile, storeAttachmentStream } from './attachment-storage.ts';
import { normaliseContentType, sanitiseFilename } from './safe-filename.ts';

export interface UploadAttachmentInput {
  actor: StaffActor;
  filename: string | undefined;
  mimetype: string | undefined;
  stream: Readable;
  isTruncated?: () => boolean;
}

/** Stores an upload (streamed, hashed, bounded) and records it as the actor's, not yet on any message. */
export async function uploadAttachment(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  input: UploadAttachmentInput,
): Promise<Attachment> {
  if (!hasPermission(input.actor, 'tickets:reply') && !hasPermission(input.actor, 'tickets:note')) {
    input.stream.resume();
    throw forbidden('You are not allowed to attach files');
  }
  const max = deps.config.maxAttachmentBytes;
  let stored: StoredFile;
  try {
    stored = await storeAttachmentStream(deps.config.dataDir, input.stream, {
      maxBytes: max,
      isTruncated: input.isTruncated,
    });
  } catch (err) {
    if (err instanceof FileTooLargeError) {
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${max} bytes`, {
        details: { maxBytes: max },
      });
    }
    throw err;
  }
  const [row] = await deps.db
    .insert(attachments)
    .values({
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      contentType: normaliseContentType(input.mimetype),
      filename: sanitiseFilename(input.filename),
      uploadedById: input.actor.userId,
      createdAt: deps.clock.now(),
    })
    .returning();
  if (!row) throw new Error('attachment insert returned nothing');
  return toAttachmentDto(row);
}

export interface AttachmentDownload {
  path: string;
  filename: string;
  contentType: string;
  sizeBytes: number;
}

/**
 * An attachment the actor may download: one on a message of a ticket they can see, or their own upload that is
 * not on a message yet. Anything else answers 404.
 */
export async function findAttachmentDownload(
  deps: Pick<Deps, 'db' | 'config'>,
  input: { actor: StaffActor; id: string },
): Promise<AttachmentDownload> {
  const [a] = await deps.db
    .select({ att: attachments, ticketId: messages.ticketId })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(eq(attachments.id, input.id));
  if (!a) throw notFound('Attachment');
  if (a.ticketId) {
    const t = await findVisibleTicket(deps.db, input.actor, a.ticketId);
    if (!t) throw notFound('Attachment');
  } else if (a.att.uploadedById !== input.actor.userId) {
    throw notFound('Attachment');
  }
  const file = attachmentPath(deps.config.dataDir, a.att.sha256);
  try {
    await fs.access(file);
  } catch {
    throw notFound('Attachment file');
  }
  return { path: file, filename: a.att.filename, contentType: a.att.contentType, sizeBytes: a.att.sizeBytes };
}
