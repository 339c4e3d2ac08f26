import type { ChatDetail, ChatSummary } from '@seva/contracts';
import { type QueryClient, useQuery } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/** The live-chat calls of the agent app (packages/contracts/src/chat.ts). */
export const chatKeys = {
  all: ['chats'] as const,
  list: (scope: 'queue' | 'mine' | 'all') => ['chats', 'list', scope] as const,
  detail: (ticketId: string) => ['chats', 'detail', ticketId] as const,
};

export const chatApi = {
  list: (scope: 'queue' | 'mine' | 'all') => api.get<{ items: ChatSummary[] }>('/chats', { scope }).then((r) => r.items),
  detail: (ticketId: string) => api.get<ChatDetail>(`/chats/${ticketId}`),
  accept: (ticketId: string) => api.post<ChatDetail | undefined>(`/chats/${ticketId}/accept`),
  decline: (ticketId: string) => api.post<void>(`/chats/${ticketId}/decline`),
  end: (ticketId: string, keepOpen: boolean) => api.post<ChatDetail | undefined>(`/chats/${ticketId}/end`, { keepOpen }),
  transcript: (ticketId: string, email?: string) => api.post<void>(`/chats/${ticketId}/transcript`, email ? { email } : {}),
  read: (ticketId: string, seq: number) => api.post<{ agentReadSeq: number }>(`/chats/${ticketId}/read`, { seq }),
};

export function useChatList(scope: 'queue' | 'mine', enabled = true) {
  return useQuery({ queryKey: chatKeys.list(scope), queryFn: () => chatApi.list(scope), enabled, refetchInterval: 30_000 });
}

export function useChatDetail(ticketId: string | undefined) {
  return useQuery({ queryKey: chatKeys.detail(ticketId ?? ''), queryFn: () => chatApi.detail(ticketId ?? ''), enabled: !!ticketId });
}

/** Every chat list and panel may have changed. */
export function invalidateChats(qc: QueryClient): Promise<void> {
  return qc.invalidateQueries({ queryKey: chatKeys.all });
}
