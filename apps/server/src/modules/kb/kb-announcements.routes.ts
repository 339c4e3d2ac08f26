import {
  CreateKbAnnouncementBody,
  KbAnnouncement,
  KbAnnouncementReceipts,
  UpdateKbAnnouncementBody,
} from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import {
  acknowledgeAnnouncement,
  announcementReceipts,
  createAnnouncement,
  getAnnouncement,
  listAnnouncements,
  updateAnnouncement,
} from './kb-announcements.service.ts';
import { sendAnnouncementReminder } from './kb-reminders.service.ts';

const IdParams = z.object({ id: z.uuid() });

/** Internal announcements with read receipts, under /api/v1/kb/announcements. */
export async function kbAnnouncementRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const { deps } = app;
  const tags = ['knowledge base'];

  r.get(
    '/kb/announcements',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags,
        summary:
          'Announcements: editors see all; others see published ones for their role (unread=1: only unacknowledged)',
        querystring: z.object({ unread: z.enum(['0', '1']).default('0') }),
        response: { 200: z.object({ items: z.array(KbAnnouncement) }) },
      },
    },
    async (req) => ({
      items: await listAnnouncements(deps.db, { actor: requireActor(req), unreadOnly: req.query.unread === '1' }),
    }),
  );

  r.post(
    '/kb/announcements',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Write an announcement',
        body: CreateKbAnnouncementBody,
        response: { 201: KbAnnouncement },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      reply.status(201);
      return deps.db.transaction((tx) => createAnnouncement(tx, { actor, body: req.body, now: deps.clock.now() }));
    },
  );

  r.get(
    '/kb/announcements/:id',
    {
      config: { policy: 'authenticated' },
      schema: { tags, summary: 'One announcement', params: IdParams, response: { 200: KbAnnouncement } },
    },
    async (req) => getAnnouncement(deps.db, { actor: requireActor(req), id: req.params.id }),
  );

  r.patch(
    '/kb/announcements/:id',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary:
          'Change or publish an announcement (changing the text of a published one asks everyone to read it again)',
        params: IdParams,
        body: UpdateKbAnnouncementBody,
        response: { 200: KbAnnouncement },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) =>
        updateAnnouncement(tx, { actor, id: req.params.id, changes: req.body, now: deps.clock.now() }),
      );
    },
  );

  r.post(
    '/kb/announcements/:id/acknowledge',
    {
      config: { policy: 'authenticated' },
      schema: {
        tags,
        summary: 'Acknowledge (read receipt); repeating it changes nothing',
        params: IdParams,
        response: { 200: KbAnnouncement },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return deps.db.transaction((tx) =>
        acknowledgeAnnouncement(tx, { actor, id: req.params.id, now: deps.clock.now() }),
      );
    },
  );

  r.get(
    '/kb/announcements/:id/receipts',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Who acknowledged and who has not yet',
        params: IdParams,
        response: { 200: KbAnnouncementReceipts },
      },
    },
    async (req) => announcementReceipts(deps.db, { actor: requireActor(req), id: req.params.id }),
  );

  r.post(
    '/kb/announcements/:id/remind',
    {
      config: { policy: 'categories:manage' },
      schema: {
        tags,
        summary: 'Remind everyone who has not acknowledged yet (live notification and email)',
        params: IdParams,
        response: { 200: z.object({ reminded: z.number().int() }) },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return sendAnnouncementReminder(deps, { actor, id: req.params.id });
    },
  );
}
