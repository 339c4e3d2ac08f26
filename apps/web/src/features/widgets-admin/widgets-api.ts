import type { Widget, WidgetBody, WidgetPatch } from '@seva/contracts';
import { api } from '../../lib/api.ts';

/** Admin → Widgets (packages/contracts/src/chat.ts). */
export const widgetKeys = { all: ['widgets'] as const };

export const widgetsApi = {
  list: () => api.get<{ items: Widget[] }>('/widgets').then((r) => r.items),
  create: (body: WidgetBody) => api.post<Widget>('/widgets', body),
  update: (id: string, body: WidgetPatch) => api.patch<Widget>(`/widgets/${id}`, body),
  remove: (id: string) => api.delete<void>(`/widgets/${id}`),
  identitySecret: (id: string) => api.post<{ secret: string }>(`/widgets/${id}/identity-secret`),
};
