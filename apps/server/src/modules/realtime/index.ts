import type { FastifyInstance } from 'fastify';
import { RealtimeHub, registerRealtimeHub, unregisterRealtimeHub } from '../../platform/realtime/index.ts';
import { createStaffChatActions } from '../chat/staff-chat-actions.ts';
import { registerRealtimeRoutes } from './realtime.routes.ts';

/**
 * The realtime module: one hub per process listening on PostgreSQL, and GET /realtime for staff sockets.
 * A process started without the `realtime` role (SEVA_ROLES) neither listens nor accepts sockets.
 */
export async function realtimeModule(app: FastifyInstance): Promise<void> {
  const { deps } = app;
  if (!deps.config.roles.includes('realtime')) return;
  const hub = new RealtimeHub({
    databaseUrl: deps.database.url,
    pool: deps.database.pool,
    clock: deps.clock,
    log: app.log,
    chat: createStaffChatActions(deps),
  });
  await hub.start();
  registerRealtimeHub(deps, hub);
  // a session ended, a token revoked or a role changed anywhere: sockets find out now, not at the next heartbeat
  const recheck = () => {
    hub.revalidate().catch((err) => app.log.warn({ err }, 'realtime: credential re-check failed'));
  };
  app.credentialCache.on('invalidated', recheck);
  app.addHook('preClose', async () => {
    app.credentialCache.off('invalidated', recheck);
    unregisterRealtimeHub(deps);
    await hub.stop();
  });
  registerRealtimeRoutes(app, hub);
}
