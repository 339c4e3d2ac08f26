import type {
  Attachment,
  CreateMessageBody,
  CreateTicketBody,
  Message,
  MessageList,
  Ticket,
  TicketEventList,
  TicketList,
  UpdateTicketBody,
} from '@seva/contracts';
import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../lib/api.ts';

/**
 * Query keys shared by the whole agent workspace (the realtime bridge invalidates exactly these):
 * ['tickets', filters] lists, ['ticket', idOrNumber], ['messages', ticketUuid], ['events', ticketUuid].
 */
export const ticketKeys = {
  lists: () => ['tickets'] as const,
  list: (filters: Record<string, unknown>) => ['tickets', filters] as const,
  ticket: (idOrNumber: string) => ['ticket', idOrNumber] as const,
  messages: (ticketId: string) => ['messages', ticketId] as const,
  events: (ticketId: string) => ['events', ticketId] as const,
  customerTickets: (customerId: string) => ['customer-tickets', customerId] as const,
};

/** Refetch everything that shows this ticket: its page (whether addressed by UUID or number), thread, log and lists. */
export function invalidateTicket(qc: QueryClient, ticket: { id: string; number?: number }): Promise<void> {
  const ids = new Set<unknown>([ticket.id]);
  if (ticket.number !== undefined) ids.add(String(ticket.number));
  return Promise.all([
    qc.invalidateQueries({
      predicate: (q) => {
        const [head, key] = q.queryKey;
        if (head !== 'ticket') return false;
        if (ids.has(key)) return true;
        return (q.state.data as Ticket | undefined)?.id === ticket.id;
      },
    }),
    qc.invalidateQueries({ queryKey: ticketKeys.messages(ticket.id) }),
    qc.invalidateQueries({ queryKey: ticketKeys.events(ticket.id) }),
    qc.invalidateQueries({ queryKey: ticketKeys.lists() }),
    qc.invalidateQueries({ queryKey: ['customer-tickets'] }),
  ]).then(() => undefined);
}

export function useTicket(idOrNumber: string) {
  return useQuery({
    queryKey: ticketKeys.ticket(idOrNumber),
    queryFn: () => api.get<Ticket>(`/tickets/${encodeURIComponent(idOrNumber)}`),
  });
}

export function useMessages(ticketId: string | undefined) {
  return useQuery({
    queryKey: ticketKeys.messages(ticketId ?? ''),
    queryFn: () => api.get<MessageList>(`/tickets/${ticketId}/messages`).then((r) => r.items),
    enabled: !!ticketId,
  });
}

export function useTicketEvents(ticketId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ticketKeys.events(ticketId ?? ''),
    queryFn: () => api.get<TicketEventList>(`/tickets/${ticketId}/events`).then((r) => r.items),
    enabled: !!ticketId && enabled,
  });
}

export function useCustomerTickets(customerId: string | undefined) {
  return useQuery({
    queryKey: ticketKeys.customerTickets(customerId ?? ''),
    queryFn: () => api.get<TicketList>(`/customers/${customerId}/tickets`, { limit: 20 }),
    enabled: !!customerId,
  });
}

/** PATCH /tickets/:id; the answer replaces the cached ticket at once, the rest refetches. */
export function useUpdateTicket(ticket: Ticket | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: UpdateTicketBody) => api.patch<Ticket>(`/tickets/${ticket?.id}`, patch),
    onSuccess: (updated) => {
      qc.setQueriesData<Ticket>({ predicate: (q) => q.queryKey[0] === 'ticket' && (q.state.data as Ticket | undefined)?.id === updated.id }, updated);
      void invalidateTicket(qc, updated);
    },
  });
}

export function useSendMessage(ticket: Ticket | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateMessageBody) => api.post<Message>(`/tickets/${ticket?.id}/messages`, body),
    onSuccess: (msg) => {
      qc.setQueryData<Message[]>(ticketKeys.messages(msg.ticketId), (old) =>
        old && !old.some((m) => m.id === msg.id) ? [...old, msg] : old,
      );
      if (ticket) void invalidateTicket(qc, ticket);
    },
  });
}

export function useMessageDecision(ticket: Ticket | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ messageId, decision, reason }: { messageId: string; decision: 'approve' | 'reject'; reason?: string }) =>
      api.post<Message | undefined>(`/tickets/${ticket?.id}/messages/${messageId}/${decision}`, decision === 'reject' && reason ? { reason } : {}),
    onSuccess: () => {
      if (ticket) void invalidateTicket(qc, ticket);
    },
  });
}

export function uploadAttachment(file: File): Promise<Attachment> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.upload<Attachment>('/attachments', form);
}

/** Tickets this tab created itself (the realtime bridge does not announce them back to their author). */
export const ticketsCreatedHere = new Set<string>();

export async function createTicket(body: CreateTicketBody): Promise<Ticket> {
  const ticket = await api.post<Ticket>('/tickets', body);
  ticketsCreatedHere.add(ticket.id);
  return ticket;
}

export function attachmentUrl(id: string): string {
  return `/api/v1/attachments/${encodeURIComponent(id)}/download`;
}
