import type { FastifyInstance } from 'fastify';
import { categoriesRoutes, customFieldsRoutes, teamsRoutes, viewsRoutes } from './admin.routes.ts';

/** The admin module: teams and members, categories, custom field definitions and saved views. */
export async function adminModule(app: FastifyInstance): Promise<void> {
  await app.register(teamsRoutes);
  await app.register(categoriesRoutes);
  await app.register(customFieldsRoutes);
  await app.register(viewsRoutes);
}

export { validateViewFilters } from './saved-views.service.ts';
