import fs from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { WidgetAttachment } from '@seva/contracts';
import { eq } from 'drizzle-orm';
import { attachments, messages } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { attachmentPath, sanitiseFilename, storeAttachmentStream } from '../attachments/index.ts';
import { FileTooLargeError, type StoredFile } from '../attachments/attachment-storage.ts';
import { findVisibleConversation, type VisitorScope } from './conversations.repository.ts';
import { createRateLimiter, WIDGET_LIMITS } from './rate-limiter.ts';
import { sniffUploadType } from './sniff-upload.ts';
import { tooMany } from './widget.errors.ts';

const uploadsPerVisitor = createRateLimiter(WIDGET_LIMITS.uploadsPerVisitor);

export function visitorUploadLimit(deps: Pick<Deps, 'config'>): number {
  return Math.min(deps.config.maxAttachmentBytes, WIDGET_LIMITS.uploadMaxBytes);
}

/**
 * Stores a visitor's upload (streamed, bounded) and keeps it only when its bytes are an allowed type: PNG, JPEG,
 * GIF, WebP, PDF or plain text (never SVG or HTML). Recorded as the visitor's, not yet on any message.
 */
export async function uploadVisitorFile(
  deps: Deps,
  input: { visitorId: string; filename: string | undefined; stream: Readable; isTruncated: () => boolean },
): Promise<WidgetAttachment> {
  if (!uploadsPerVisitor.take(input.visitorId)) {
    input.stream.resume();
    throw tooMany('uploads');
  }
  const max = visitorUploadLimit(deps);
  let stored: StoredFile;
  try {
    stored = await storeAttachmentStream(deps.config.dataDir, input.stream, {
      maxBytes: max,
      isTruncated: input.isTruncated,
    });
  } catch (err) {
    if (err instanceof FileTooLargeError)
      throw new AppError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${max} bytes`, {
        details: { maxBytes: max },
      });
    throw err;
  }
  const content = await fs.readFile(attachmentPath(deps.config.dataDir, stored.sha256));
  const type = sniffUploadType(content);
  if (!type) {
    throw new AppError(
      'UNSUPPORTED_MEDIA_TYPE',
      'Only images (PNG, JPEG, GIF, WebP), PDF and plain text files can be sent',
      {
        errors: [{ path: 'file', message: 'not an allowed file type' }],
      },
    );
  }
  const [row] = await deps.db
    .insert(attachments)
    .values({
      sha256: stored.sha256,
      sizeBytes: stored.sizeBytes,
      contentType: type,
      filename: sanitiseFilename(input.filename),
      uploadedByVisitorId: input.visitorId,
      createdAt: deps.clock.now(),
    })
    .returning();
  if (!row) throw new Error('attachment insert returned nothing');
  return {
    id: row.id,
    filename: row.filename,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    url: `/widget/v1/attachments/${row.id}`,
  };
}

/** An attachment the visitor may download: on a message of a conversation it may read, or its own fresh upload. */
export async function findVisitorAttachment(
  deps: Deps,
  input: { scope: VisitorScope; id: string },
): Promise<{ path: string; filename: string; contentType: string; sizeBytes: number }> {
  const [a] = await deps.db
    .select({
      att: attachments,
      ticketId: messages.ticketId,
      kind: messages.kind,
      status: messages.status,
      authorType: messages.authorType,
    })
    .from(attachments)
    .leftJoin(messages, eq(messages.id, attachments.messageId))
    .where(eq(attachments.id, input.id));
  if (!a) throw notFound('Attachment');
  if (a.ticketId) {
    const visible =
      a.kind === 'public' &&
      (a.authorType === 'customer' || a.authorType === 'staff') &&
      ['sent', 'received', 'queued', 'failed'].includes(a.status ?? '');
    if (!visible || !(await findVisibleConversation(deps.db, input.scope, a.ticketId))) throw notFound('Attachment');
  } else if (a.att.uploadedByVisitorId !== input.scope.id) {
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
