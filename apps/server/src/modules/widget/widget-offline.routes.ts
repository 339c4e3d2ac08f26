import { createReadStream } from 'node:fs';
import { CallbackRequestBody, LeaveMessageBody, WidgetAttachment, WidgetTicketCreated } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../platform/errors.ts';
import { contentDisposition, servedContentType } from '../attachments/index.ts';
import { scopeOf } from './conversations.repository.ts';
import { leaveMessage, requestCallback } from './offline.service.ts';
import { findVisitorAttachment, uploadVisitorFile, visitorUploadLimit } from './uploads.service.ts';
import { requireVisitor } from './visitor-auth.ts';

const PUBLIC = { policy: 'public' as const };
const tags = ['widget'];

/** Leave a message, call me back, uploads and attachment downloads for visitors (help-centre search: widget-kb.routes.ts). */
export async function widgetOfflineRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;

  r.post(
    '/messages',
    { config: PUBLIC, schema: { tags, body: LeaveMessageBody, response: { 201: WidgetTicketCreated } } },
    async (req, reply) => {
      const { visitor, widget } = await requireVisitor(app, req);
      return reply.status(201).send(await leaveMessage(deps, { visitor, widget, body: req.body, ip: req.ip }));
    },
  );

  r.post(
    '/callbacks',
    { config: PUBLIC, schema: { tags, body: CallbackRequestBody, response: { 201: WidgetTicketCreated } } },
    async (req, reply) => {
      const { visitor, widget } = await requireVisitor(app, req);
      return reply.status(201).send(await requestCallback(deps, { visitor, widget, body: req.body, ip: req.ip }));
    },
  );

  r.post(
    '/uploads',
    { config: PUBLIC, schema: { tags, consumes: ['multipart/form-data'], response: { 201: WidgetAttachment } } },
    async (req, reply) => {
      const { visitor } = await requireVisitor(app, req);
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send the file as multipart/form-data');
      const part = await req.file({ limits: { fileSize: visitorUploadLimit(deps), files: 1 } });
      if (!part || part.fieldname !== 'file') {
        part?.file.resume();
        throw new AppError('VALIDATION_FAILED', 'No file was sent', {
          errors: [{ path: 'file', message: 'send the file in the field "file"' }],
        });
      }
      const dto = await uploadVisitorFile(deps, {
        visitorId: visitor.id,
        filename: part.filename,
        stream: part.file,
        isTruncated: () => part.file.truncated,
      });
      return reply.status(201).send(dto);
    },
  );

  r.get(
    '/attachments/:id',
    { config: PUBLIC, schema: { tags, params: z.object({ id: z.uuid() }) } },
    async (req, reply) => {
      const { visitor } = await requireVisitor(app, req);
      const file = await findVisitorAttachment(deps, { scope: scopeOf(visitor), id: req.params.id });
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
