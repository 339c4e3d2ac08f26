import type { FastifyInstance } from 'fastify';
import { helpRoutes } from './help.routes.ts';
import { kbRoutes } from './kb.routes.ts';
import { kbAnnouncementRoutes } from './kb-announcements.routes.ts';
import { startKbEmailWorker } from './kb-email.ts';
import { kbPortalSessionRoutes } from './kb-portal-sessions.routes.ts';

/** The knowledge-base staff API (registered under /api/v1). */
export async function kbModule(app: FastifyInstance): Promise<void> {
  await app.register(kbRoutes);
  await app.register(kbAnnouncementRoutes);
  await app.register(kbPortalSessionRoutes);
  startKbEmailWorker(app);
}

/** The public help centre at /help (registered at the root, outside /api/v1). */
export async function helpCentreModule(app: FastifyInstance): Promise<void> {
  await app.register(helpRoutes);
}

export { announcementTextsForMacro } from './kb-announcements.service.ts';
export { createArticle, getArticle, saveTranslation } from './kb-articles.service.ts';
export { type KbAudience, searchKb } from './kb-search.service.ts';
export {
  openArticleForWidget,
  rateArticleFromWidget,
  recordWidgetDeflection,
  searchKbForWidget,
} from './kb-widget.service.ts';
