import type { FastifyInstance } from 'fastify';
import { attachmentsRoutes } from './attachments.routes.ts';
import { sweepOrphanAttachments } from './delete-orphan-attachments.ts';

const SWEEP_EVERY_MS = 60 * 60 * 1000;

/**
 * The attachments module: uploads (content-addressed, streamed) and safe downloads. Processes with the `worker`
 * role sweep uploads that never reached a message, hourly (one process per round, by advisory lock).
 */
export async function attachmentsModule(app: FastifyInstance): Promise<void> {
  await app.register(attachmentsRoutes);
  if (!app.deps.config.roles.includes('worker')) return;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  const sweep = () => {
    if (running) return;
    running = sweepOrphanAttachments(app.deps)
      .then((r) => r && (r.rows > 0 || r.files > 0) && app.log.info(r, 'attachments: removed uploads never put on a message'))
      .catch((err: unknown) => app.log.error({ err }, 'attachments: orphan sweep failed'))
      .finally(() => {
        running = null;
      });
  };
  app.addHook('onReady', async () => {
    timer = setInterval(sweep, SWEEP_EVERY_MS);
    timer.unref();
    sweep();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
    await running;
  });
}

export { attachmentPath, storeAttachmentStream } from './attachment-storage.ts';
export { deleteOrphanAttachments, sweepOrphanAttachments } from './delete-orphan-attachments.ts';
export { contentDisposition, normaliseContentType, sanitiseFilename, servedContentType } from './safe-filename.ts';
