import { createReadStream } from 'node:fs';
import { Attachment, AttachmentIdParams } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { AppError } from '../../platform/errors.ts';
import { findAttachmentDownload, uploadAttachment } from './attachments.service.ts';
import { contentDisposition, servedContentType } from './safe-filename.ts';

const tags = ['attachments'];

export async function attachmentsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  // tickets:reply or tickets:note is checked by the service (either one allows uploading).
  r.post(
    '/attachments',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Upload a file (multipart/form-data, field "file"); link it with attachmentIds when posting a message',
        consumes: ['multipart/form-data'],
        response: { 201: Attachment },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      const part = await req.file({ limits: { fileSize: deps.config.maxAttachmentBytes, files: 1 } });
      if (!part) {
        throw new AppError('VALIDATION_FAILED', 'No file was sent', {
          errors: [{ path: 'file', message: 'send the file in the field "file"' }],
        });
      }
      if (part.fieldname !== 'file') {
        part.file.resume();
        throw new AppError('VALIDATION_FAILED', 'No file was sent', {
          errors: [{ path: 'file', message: 'send the file in the field "file"' }],
        });
      }
      const dto = await uploadAttachment(deps, {
        actor,
        filename: part.filename,
        mimetype: part.mimetype,
        stream: part.file,
        isTruncated: () => part.file.truncated,
      });
      return reply.status(201).send(dto);
    },
  );

  r.get(
    '/attachments/:id/download',
    {
      config: { policy: 'tickets:read' },
      schema: {
        tags,
        summary: 'Download an attachment (always as a download, never rendered)',
        params: AttachmentIdParams,
      },
    },
    async (req, reply) => {
      const file = await findAttachmentDownload(deps, { actor: requireActor(req), id: req.params.id });
      return reply
        .header('content-type', servedContentType(file.contentType))
        .header('content-length', String(file.sizeBytes))
        .header('content-disposition', contentDisposition(file.filename))
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'; sandbox")
        .header('cross-origin-resource-policy', 'same-origin')
        .header('cache-control', 'private, no-cache')
        .send(createReadStream(file.path));
    },
  );
}
