import type { Callback, CallbackPatch, CallLog, CallLogBody } from '@seva/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** Callback requests and call logs (packages/contracts/src/chat.ts). */
export const callbackKeys = {
  all: ['callbacks'] as const,
  list: (status: 'open' | 'done') => ['callbacks', 'list', status] as const,
  calls: (ticketId: string) => ['callbacks', 'calls', ticketId] as const,
};

export const callbacksApi = {
  list: (status: 'open' | 'done') => api.get<{ items: Callback[] }>('/callbacks', { status }).then((r) => r.items),
  update: (id: string, body: CallbackPatch) => api.patch<Callback>(`/callbacks/${id}`, body),
  calls: (ticketId: string) => api.get<{ items: CallLog[] }>(`/tickets/${ticketId}/calls`).then((r) => r.items),
  logCall: (ticketId: string, body: CallLogBody) => api.post<CallLog>(`/tickets/${ticketId}/calls`, body),
};

export function useCallbacks(status: 'open' | 'done') {
  return useQuery({ queryKey: callbackKeys.list(status), queryFn: () => callbacksApi.list(status), refetchInterval: 30_000 });
}

export function useCallLogs(ticketId: string) {
  return useQuery({ queryKey: callbackKeys.calls(ticketId), queryFn: () => callbacksApi.calls(ticketId) });
}
