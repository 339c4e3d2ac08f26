import type { Ticket } from '@seva/contracts';
import { Anchor, Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconBuilding, IconMail, IconPhone } from '@tabler/icons-react';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatRelative } from '../../i18n/index.ts';
import { CustomerChannelContacts } from '../channels/customer-channel-contacts.tsx';
import { useCustomer } from '../customers/customers-api.ts';
import { useCustomerTickets } from './ticket-api.ts';
import { StatusBadge } from './ticket-badges.tsx';

/** Who is asking: name, addresses, organisation and their other tickets. */
export function CustomerPanel({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const customer = useCustomer(ticket.customer.id);
  const tickets = useCustomerTickets(ticket.customer.id);
  const others = (tickets.data?.items ?? []).filter((tk) => tk.id !== ticket.id);
  const emails = customer.data?.identities.filter((i) => i.kind === 'email') ?? [];
  const phones = customer.data?.identities.filter((i) => i.kind === 'phone') ?? [];

  return (
    <Paper withBorder p="sm" radius="md" data-testid="customer-panel">
      <Title order={3} size="h5" mb="xs">
        {t('ticket:customer.title')}
      </Title>
      <Anchor fw={600} renderRoot={(props) => <Link {...props} to="/customers/$customerId" params={{ customerId: ticket.customer.id }} />} data-testid="customer-link">
        {ticket.customer.name || ticket.customer.email || t('ticket:customer.unnamed')}
      </Anchor>
      <Stack gap={4} mt={6}>
        {customer.isLoading && <Skeleton h={40} />}
        {(emails.length ? emails.map((e) => e.value) : ticket.customer.email ? [ticket.customer.email] : []).map((email) => (
          <Group key={email} gap={6} wrap="nowrap">
            <IconMail size={14} />
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {email}
            </Text>
          </Group>
        ))}
        {phones.map((p) => (
          <Group key={p.id} gap={6} wrap="nowrap">
            <IconPhone size={14} />
            <Text size="sm">{p.value}</Text>
          </Group>
        ))}
        {customer.data?.organisation && (
          <Group gap={6} wrap="nowrap">
            <IconBuilding size={14} />
            <Text size="sm">{customer.data.organisation.name}</Text>
          </Group>
        )}
        {customer.data && (
          <Text size="xs" c="dimmed">
            {t('ticket:customer.ticketCounts', { open: customer.data.openTicketCount, total: customer.data.ticketCount })}
          </Text>
        )}
      </Stack>
      <CustomerChannelContacts customerId={ticket.customer.id} compact />
      <Text size="xs" fw={600} mt="sm" mb={4}>
        {t('ticket:customer.otherTickets')}
      </Text>
      {tickets.isLoading ? (
        <Skeleton h={60} />
      ) : others.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('ticket:customer.noOtherTickets')}
        </Text>
      ) : (
        <Stack gap={6} data-testid="customer-other-tickets">
          {others.slice(0, 8).map((tk) => (
            <Group key={tk.id} justify="space-between" wrap="nowrap" gap={6}>
              <Anchor size="sm" lineClamp={1} renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(tk.number) }} />}>
                #{tk.number} {tk.subject}
              </Anchor>
              <Group gap={4} wrap="nowrap">
                <StatusBadge status={tk.status} />
                <Text size="xs" c="dimmed">
                  {formatRelative(tk.updatedAt, i18n.language)}
                </Text>
              </Group>
            </Group>
          ))}
          {others.length > 8 && (
            <Badge variant="transparent" size="sm">
              {t('ticket:customer.more', { count: others.length - 8 })}
            </Badge>
          )}
        </Stack>
      )}
    </Paper>
  );
}
