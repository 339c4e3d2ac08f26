import type { ApplyMacroBody, CreateMacroBody, Macro, MacroPreview, Ticket, UpdateMacroBody } from '@seva/contracts';
import { api } from '../../lib/api.ts';

export const macroKeys = { list: (q: string) => ['macros', q] as const, all: ['macros'] as const };

export const macrosApi = {
  list: (q: string, includeInactive = false) =>
    api.get<{ items: Macro[] }>('/macros', { ...(q ? { q } : {}), ...(includeInactive ? { includeInactive: '1' } : {}) }).then((r) => r.items),
  create: (b: CreateMacroBody) => api.post<Macro>('/macros', b),
  update: (id: string, b: UpdateMacroBody) => api.patch<Macro>(`/macros/${id}`, b),
  remove: (id: string) => api.delete<void>(`/macros/${id}`),
  preview: (ticketId: string, macroId: string, b: ApplyMacroBody = {}) => api.post<MacroPreview>(`/tickets/${ticketId}/macros/${macroId}/preview`, b),
  apply: (ticketId: string, macroId: string, b: ApplyMacroBody) => api.post<Ticket>(`/tickets/${ticketId}/macros/${macroId}/apply`, b),
};
