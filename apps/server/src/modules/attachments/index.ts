import type { FastifyInstance } from 'fastify';
import { attachmentsRoutes } from './attachments.routes.ts';

/** The attachments module: uploads (content-addressed, streamed) and safe downloads. */
export async function attachmentsModule(app: FastifyInstance): Promise<void> {
  await app.register(attachmentsRoutes);
}

export { attachmentPath, storeAttachmentStream } from './attachment-storage.ts';
export { deleteOrphanAttachments } from './delete-orphan-attachments.ts';
export { contentDisposition, normaliseContentType, sanitiseFilename, servedContentType } from './safe-filename.ts';
