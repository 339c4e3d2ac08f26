import { MarkNotificationBody, Notification, NotificationList, NotificationListQuery } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { listNotifications, markAllNotificationsRead, markNotification } from './notifications.service.ts';

/** The notification centre: everyone reads and marks only their own notifications. */
export async function notificationsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const deps = app.deps;
  const tags = ['notifications'];

  r.get(
    '/notifications',
    {
      config: { policy: 'authenticated' },
      schema: { tags, querystring: NotificationListQuery, response: { 200: NotificationList } },
    },
    async (req) => listNotifications(deps, { actor: requireActor(req), ...req.query }),
  );

  r.patch(
    '/notifications/:id',
    {
      config: { policy: 'authenticated' },
      schema: { tags, params: z.object({ id: z.uuid() }), body: MarkNotificationBody, response: { 200: Notification } },
    },
    async (req) => markNotification(deps, { actor: requireActor(req), id: req.params.id, read: req.body.read }),
  );

  r.post(
    '/notifications/read-all',
    { config: { policy: 'authenticated' }, schema: { tags, response: { 200: z.object({ marked: z.number() }) } } },
    async (req) => markAllNotificationsRead(deps, { actor: requireActor(req) }),
  );
}
