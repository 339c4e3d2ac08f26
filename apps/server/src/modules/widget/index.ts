import type { FastifyInstance } from 'fastify';

/**
 * The visitor side of the help widget: /widget/v1 HTTP routes and the /widget/v1/socket WebSocket (see
 * packages/contracts/src/widget.ts and docs/widget.md). Registered at the root with prefix /widget/v1.
 */
export async function widgetModule(_app: FastifyInstance): Promise<void> {}
