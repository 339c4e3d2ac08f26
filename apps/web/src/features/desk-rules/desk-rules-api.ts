import type {
  AddHolidayBody,
  AutomationRule,
  AutomationRun,
  BusinessCalendar,
  CalendarHoliday,
  CreateAutomationBody,
  CreateCalendarBody,
  CreateSlaPolicyBody,
  CreateWebhookBody,
  ImportHolidaysBody,
  SlaPolicy,
  SlaReport,
  UpdateAutomationBody,
  UpdateCalendarBody,
  UpdateSlaPolicyBody,
  UpdateWebhookBody,
  Webhook,
  WebhookDelivery,
} from '@seva/contracts';
import { api } from '../../lib/api.ts';

/** The admin calls for SLAs (docs/sla.md), rules (docs/automations.md) and webhooks (docs/webhooks.md). */
interface Items<T> {
  items: T[];
}

export const ruleKeys = {
  calendars: ['sla', 'calendars'] as const,
  policies: ['sla', 'policies'] as const,
  report: (q: Record<string, string>) => ['sla', 'report', q] as const,
  rules: (kind: string) => ['automations', kind] as const,
  runs: (id: string) => ['automations', 'runs', id] as const,
  webhooks: ['webhooks'] as const,
  deliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
};

export const rulesApi = {
  calendars: () => api.get<Items<BusinessCalendar>>('/sla/calendars').then((r) => r.items),
  createCalendar: (b: CreateCalendarBody) => api.post<BusinessCalendar>('/sla/calendars', b),
  updateCalendar: (id: string, b: UpdateCalendarBody) => api.patch<BusinessCalendar>(`/sla/calendars/${id}`, b),
  deleteCalendar: (id: string) => api.delete<void>(`/sla/calendars/${id}`),
  addHoliday: (id: string, b: AddHolidayBody) => api.post<CalendarHoliday>(`/sla/calendars/${id}/holidays`, b),
  deleteHoliday: (id: string, holidayId: string) => api.delete<void>(`/sla/calendars/${id}/holidays/${holidayId}`),
  importHolidays: (id: string, b: ImportHolidaysBody) =>
    api.post<{ added: number; skipped: number; holidays: CalendarHoliday[] }>(`/sla/calendars/${id}/holidays/import`, b),

  policies: () => api.get<Items<SlaPolicy>>('/sla/policies').then((r) => r.items),
  createPolicy: (b: CreateSlaPolicyBody) => api.post<SlaPolicy>('/sla/policies', b),
  updatePolicy: (id: string, b: UpdateSlaPolicyBody) => api.patch<SlaPolicy>(`/sla/policies/${id}`, b),
  deletePolicy: (id: string) => api.delete<void>(`/sla/policies/${id}`),
  report: (q: Record<string, string>) => api.get<SlaReport>('/sla/report', q),

  rules: (kind: string) => api.get<Items<AutomationRule>>('/automations', { kind }).then((r) => r.items),
  createRule: (b: CreateAutomationBody) => api.post<AutomationRule>('/automations', b),
  updateRule: (id: string, b: UpdateAutomationBody) => api.patch<AutomationRule>(`/automations/${id}`, b),
  deleteRule: (id: string) => api.delete<void>(`/automations/${id}`),
  runs: (id: string) => api.get<Items<AutomationRun>>(`/automations/${id}/runs`).then((r) => r.items),

  webhooks: () => api.get<Items<Webhook>>('/webhooks').then((r) => r.items),
  createWebhook: (b: CreateWebhookBody) => api.post<Webhook & { secret: string }>('/webhooks', b),
  updateWebhook: (id: string, b: UpdateWebhookBody) => api.patch<Webhook>(`/webhooks/${id}`, b),
  rotateSecret: (id: string) => api.post<Webhook & { secret: string }>(`/webhooks/${id}/rotate-secret`, {}),
  deleteWebhook: (id: string) => api.delete<void>(`/webhooks/${id}`),
  ping: (id: string) => api.post<WebhookDelivery>(`/webhooks/${id}/ping`, {}),
  deliveries: (id: string) => api.get<Items<WebhookDelivery>>(`/webhooks/${id}/deliveries`).then((r) => r.items),
  redeliver: (id: string, deliveryId: string) => api.post<WebhookDelivery>(`/webhooks/${id}/deliveries/${deliveryId}/redeliver`, {}),
};
