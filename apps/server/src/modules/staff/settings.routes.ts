import { DeskSettings, UpdateSettingsBody } from '@seva/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { requireActor } from '../../platform/auth/authenticate.ts';
import { getSettings, updateSettings } from './settings.service.ts';

export async function settingsRoutes(app: FastifyInstance): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/settings',
    {
      config: { policy: 'authenticated' },
      schema: { tags: ['settings'], summary: 'Desk settings', response: { 200: DeskSettings } },
    },
    async () => getSettings(app.deps.db),
  );

  r.patch(
    '/settings',
    {
      config: { policy: 'settings:manage' },
      schema: {
        tags: ['settings'],
        summary: 'Change desk settings',
        body: UpdateSettingsBody,
        response: { 200: DeskSettings },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      return app.deps.db.transaction((tx) =>
        updateSettings(tx, { actor, changes: req.body, now: app.deps.clock.now() }),
      );
    },
  );
}
