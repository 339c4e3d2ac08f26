import type { FastifyInstance } from 'fastify';
import { widgetAssetsRoutes } from './widget-assets.routes.ts';
import { locateWidgetDist } from './widget-dist.ts';

export { DEFAULT_WIDGET_DIST } from './widget-dist.ts';

export interface WidgetAssetsOptions {
  /** where the built widget lives (apps/widget/dist unless a test says otherwise) */
  distDir?: string;
}

/** Serves the widget loader (/widget.js), the widget frame and its lazy assets, and the /widget-demo page. */
export async function widgetAssetsModule(app: FastifyInstance, opts: WidgetAssetsOptions = {}): Promise<void> {
  await app.register(widgetAssetsRoutes, { dist: locateWidgetDist(opts.distDir) });
}
