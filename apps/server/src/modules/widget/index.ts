import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { registerContinueByEmailHook } from './continue-by-email.ts';
import { registerOriginGuard } from './visitor-auth.ts';
import { widgetRoutes } from './widget.routes.ts';
import { WidgetHub } from './widget-hub.ts';
import { widgetKbRoutes } from './widget-kb.routes.ts';
import { widgetOfflineRoutes } from './widget-offline.routes.ts';
import { registerWidgetSocket } from './widget-socket.routes.ts';

const hubs = new WeakMap<Deps, WidgetHub>();

registerContinueByEmailHook();

/**
 * The visitor side of the help widget: /widget/v1 HTTP routes and the /widget/v1/socket WebSocket (see
 * packages/contracts/src/widget.ts and docs/widget.md). Registered at the root with prefix /widget/v1. Processes
 * with the `realtime` role run the widget hub (LISTEN on the event log and chat signals) and accept sockets.
 */
export async function widgetModule(app: FastifyInstance): Promise<void> {
  registerOriginGuard(app);
  await app.register(widgetRoutes);
  await app.register(widgetOfflineRoutes);
  await app.register(widgetKbRoutes);
  const { deps } = app;
  if (!deps.config.roles.includes('realtime')) return;
  const hub = new WidgetHub({ deps, log: app.log });
  await hub.start();
  hubs.set(deps, hub);
  app.addHook('preClose', async () => {
    hubs.delete(deps);
    await hub.stop();
  });
  registerWidgetSocket(app, hub);
}

/** The widget hub of this app (tests wait on it), or undefined without the realtime role. */
export function findWidgetHub(deps: Deps): WidgetHub | undefined {
  return hubs.get(deps);
}

export { continueChatByEmail } from './continue-by-email.ts';
export { signIdentity, verifyIdentitySignature } from './identity-verification.ts';
export { type SendChatTranscriptInput, sendChatTranscript } from './send-chat-transcript.ts';
export { loadWidgetMessages } from './widget-messages.repository.ts';
