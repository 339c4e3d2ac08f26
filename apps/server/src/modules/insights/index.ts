import type { FastifyInstance } from 'fastify';
import { registerInsightsHook } from './insights.hook.ts';
import { insightsRoutes } from './insights.routes.ts';

registerInsightsHook();

/**
 * Insights: dashboards, drill-down and CSV export, hot buttons and spike alerts, busy hours, the staffing plan and
 * cost per channel. Reports read the hourly rollups and per-ticket facts the ticket hook (order 400) keeps up to
 * date. See docs/insights.md.
 */
export async function insightsModule(app: FastifyInstance): Promise<void> {
  await app.register(insightsRoutes);
}

export { rebuildInsights, syncTicketFacts } from './maintain-ticket-facts.ts';
export { getInsightsSettings } from './insights-settings.ts';
