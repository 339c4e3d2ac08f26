import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, type FieldProblem } from './errors.ts';

const PROBLEM = 'application/problem+json';

/** Every error leaves as application/problem+json (RFC 9457). Unknown errors are logged; the client gets a bare 500. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | AppError | Error, req, reply) => {
    if (error instanceof AppError) {
      return reply
        .status(error.status)
        .type(PROBLEM)
        .send({
          type: `https://seva.dev/problems/${error.code.toLowerCase().replaceAll('_', '-')}`,
          title: error.message,
          status: error.status,
          code: error.code,
          ...(error.errors ? { errors: error.errors } : {}),
          ...(error.details ? { details: error.details } : {}),
          instance: req.url,
        });
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors: FieldProblem[] = error.validation.map((v) => ({
        path: [error.validationContext ?? '', ...String(v.instancePath ?? '').split('/').filter(Boolean)]
          .filter(Boolean)
          .join('.'),
        message: v.message ?? 'invalid',
      }));
      return reply.status(400).type(PROBLEM).send({
        type: 'https://seva.dev/problems/validation-failed',
        title: 'Some fields are not valid',
        status: 400,
        code: 'VALIDATION_FAILED',
        errors,
        instance: req.url,
      });
    }
    const fe = error as FastifyError;
    const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 ? fe.statusCode : 500;
    if (status >= 500) {
      req.log.error({ err: error }, 'request failed');
      return reply.status(500).type(PROBLEM).send({
        type: 'about:blank',
        title: 'Internal Server Error',
        status: 500,
        code: 'INTERNAL',
        instance: req.url,
      });
    }
    const code =
      status === 413 ? 'PAYLOAD_TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : status === 429 ? 'RATE_LIMITED' : status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST';
    return reply.status(status).type(PROBLEM).send({
      type: 'about:blank',
      title: fe.message,
      status,
      code,
      instance: req.url,
    });
  });

  app.setNotFoundHandler((req, reply) => {
    reply.status(404).type(PROBLEM).send({
      type: 'about:blank',
      title: 'Not Found',
      status: 404,
      code: 'NOT_FOUND',
      instance: req.url,
    });
  });
}
