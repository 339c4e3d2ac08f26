import type { FastifyInstance } from 'fastify';

/** Serves the widget loader (/widget.js), the widget frame and its lazy assets, and the /widget-demo page. */
export async function widgetAssetsModule(_app: FastifyInstance): Promise<void> {}
