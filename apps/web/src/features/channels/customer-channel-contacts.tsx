import { Badge, Group, Paper, Skeleton, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { formatRelative } from '../../i18n/index.ts';
import { useSession } from '../../lib/session.tsx';
import { channelKeys, channelsApi } from './channels-api.ts';
import { MoveChannelContact } from './move-channel-contact.tsx';

/**
 * The customer's contacts on messaging channels (a WhatsApp number, a Telegram chat …), including those of customers
 * merged into this one: one customer, one history across channels. `compact` (the ticket's customer panel) shows
 * nothing when there are none.
 */
export function CustomerChannelContacts({
  customerId,
  customerName = '',
  compact = false,
}: {
  customerId: string;
  /** shown when moving a contact away (the customer page) */
  customerName?: string;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  // moving a single contact to another customer: admins and supervisors, on the customer page
  const mayMove = !compact && (session?.user.role === 'admin' || session?.user.role === 'supervisor');
  const contacts = useQuery({
    queryKey: channelKeys.contacts(customerId),
    queryFn: () => channelsApi.contacts(customerId),
    enabled: can('customers:read'),
  });
  const items = contacts.data ?? [];
  if (compact && items.length === 0) return null;
  const list = (
    <Stack gap={6} data-testid="channel-contacts">
      {contacts.isLoading && <Skeleton h={30} />}
      {contacts.isSuccess && items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('channels:contacts.none')}
        </Text>
      )}
      {items.map((c) => (
        <Group key={c.id} gap={6} wrap="nowrap" data-testid="channel-contact" data-kind={c.channelKind}>
          <Badge size="xs" variant="light">
            {t(`channels:kinds.${c.channelKind}`)}
          </Badge>
          <Stack gap={0} style={{ minWidth: 0, flex: 1 }}>
            <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
              {c.displayName ? `${c.displayName} · ${c.externalId}` : c.externalId}
            </Text>
            <Text size="xs" c="dimmed">
              {c.channelName}
              {c.lastInboundAt
                ? ` · ${t('channels:contacts.lastMessage', { when: formatRelative(c.lastInboundAt, i18n.language) })}`
                : ''}
            </Text>
          </Stack>
          {mayMove && <MoveChannelContact contact={c} fromName={customerName} />}
        </Group>
      ))}
    </Stack>
  );
  if (compact) {
    return (
      <Stack gap={4} mt="sm">
        <Text size="xs" fw={600}>
          {t('channels:contacts.title')}
        </Text>
        {list}
      </Stack>
    );
  }
  return (
    <Paper withBorder p="md" radius="md" data-testid="customer-channel-contacts">
      <Title order={3} size="h5" mb={4}>
        {t('channels:contacts.title')}
      </Title>
      <Text size="xs" c="dimmed" mb="xs">
        {t('channels:contacts.help')}
      </Text>
      {list}
    </Paper>
  );
}
