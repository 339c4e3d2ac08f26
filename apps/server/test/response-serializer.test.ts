import { Message, Ticket, TicketList } from '@seva/contracts';
import Fastify from 'fastify';
import { type ZodTypeProvider, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createResponseSerializer, hasOneWayParts } from '../src/platform/response-serializer.ts';

describe('response serializer', () => {
  it('tells schemas that parse and encode alike from those that do not, however deep', () => {
    for (const hot of [TicketList, Ticket, z.object({ items: z.array(Message) })])
      expect(hasOneWayParts(hot)).toBe(false);
    const plain = z.object({
      a: z.string().nullable(),
      b: z.array(z.number()).optional(),
      c: z.record(z.string(), z.unknown()),
    });
    expect(hasOneWayParts(plain)).toBe(false);
    const deep = (s: z.ZodType) => z.object({ list: z.array(z.object({ x: z.union([z.null(), s]).optional() })) });
    expect(hasOneWayParts(deep(z.string().transform((v) => v.length)))).toBe(true);
    expect(hasOneWayParts(deep(z.string().default('x')))).toBe(true);
    expect(hasOneWayParts(deep(z.string().catch('x')))).toBe(true);
    expect(
      hasOneWayParts(
        deep(z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() })),
      ),
    ).toBe(true);
    const Tree: z.ZodType = z.lazy(() => z.object({ name: z.string(), children: z.array(Tree) }));
    expect(hasOneWayParts(Tree)).toBe(false);
    const TreeWithDefault: z.ZodType = z.lazy(() =>
      z.object({ name: z.string().default('n'), children: z.array(TreeWithDefault) }),
    );
    expect(hasOneWayParts(TreeWithDefault)).toBe(true);
  });

  it('drops fields the schema does not name, refuses a wrong shape, and runs codecs backwards', async () => {
    const app = Fastify().withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(createResponseSerializer({ verify: true }));
    const User = z.object({ id: z.number(), name: z.string().nullable() });
    app.get(
      '/user',
      { schema: { response: { 200: User } } },
      async () => ({ id: 1, name: 'Asha', passwordHash: 'x' }) as never,
    );
    app.get('/broken', { schema: { response: { 200: User } } }, async () => ({ id: 'one', name: null }) as never);
    const When = z.object({
      at: z.codec(z.iso.datetime(), z.date(), { decode: (s) => new Date(s), encode: (d) => d.toISOString() }),
    });
    app.get('/when', { schema: { response: { 200: When } } }, async () => ({ at: new Date('2026-12-07T10:00:00Z') }));
    try {
      const user = await app.inject({ method: 'GET', url: '/user' });
      expect(user.statusCode).toBe(200);
      expect(user.json()).toEqual({ id: 1, name: 'Asha' });
      expect((await app.inject({ method: 'GET', url: '/broken' })).statusCode).toBe(500);
      const when = await app.inject({ method: 'GET', url: '/when' });
      expect(when.json()).toEqual({ at: '2026-12-07T10:00:00.000Z' });
    } finally {
      await app.close();
    }
  });
});
