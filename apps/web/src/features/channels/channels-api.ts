import type {
  ChannelDelivery,
  ChannelKind,
  CreateChannelBody,
  CreatedMessagingChannel,
  CustomerChannelContactList,
  MergedChannelContact,
  MessagingChannel,
  TicketChannelInfo,
  UpdateChannelBody,
  WhatsappInteractiveBody,
} from '@seva/contracts';
import { api } from '../../lib/api.ts';

/** The channels screens' calls (docs/api.md "Messaging channels"). */
export const channelKeys = {
  all: ['channels'] as const,
  deliveries: (id: string) => ['channels', id, 'deliveries'] as const,
  ticket: (ticketId: string) => ['channels', 'ticket', ticketId] as const,
  /** under the customer's key, so merging customers (which invalidates it) refreshes their contacts too */
  contacts: (customerId: string) => ['customer', customerId, 'channel-contacts'] as const,
};

export const channelsApi = {
  list: () => api.get<{ items: MessagingChannel[] }>('/channels').then((r) => r.items),
  create: (body: CreateChannelBody) => api.post<CreatedMessagingChannel>('/channels', body),
  update: (id: string, body: UpdateChannelBody) => api.patch<MessagingChannel>(`/channels/${id}`, body),
  remove: (id: string) => api.delete<void>(`/channels/${id}`),
  rotateSecret: (id: string) => api.post<{ secret: string; hookPath: string }>(`/channels/${id}/secret`),
  sendTest: (id: string, body: { to: string; text: string }) => api.post<ChannelDelivery>(`/channels/${id}/test`, body),
  deliveries: (id: string) =>
    api.get<{ items: ChannelDelivery[] }>(`/channels/${id}/deliveries`, { limit: 20 }).then((r) => r.items),
  ticketInfo: (ticketId: string) => api.get<TicketChannelInfo>(`/channels/tickets/${ticketId}`),
  contacts: (customerId: string) =>
    api.get<CustomerChannelContactList>('/channels/contacts', { customerId }).then((r) => r.items),
  /** moves one contact (and its open conversations) to another customer: admins and supervisors */
  mergeContact: (contactId: string, customerId: string) =>
    api.post<MergedChannelContact>(`/channels/contacts/${contactId}/merge`, { customerId }),
  /** WhatsApp reply buttons or a list (only while the 24-hour window is open) */
  sendInteractive: (ticketId: string, body: WhatsappInteractiveBody) =>
    api.post<{ messageId: string }>(`/channels/tickets/${ticketId}/interactive`, body),
  moveToEmail: (ticketId: string, email?: string) =>
    api.post<TicketChannelInfo>(`/channels/tickets/${ticketId}/move-to-email`, email ? { email } : {}),
};

export type { ChannelKind };
