import { ActionIcon, Anchor, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import type { Notification, NotificationList } from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber, formatRelative } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { subscribeRealtime } from '../realtime/realtime-channel.ts';

const KEY = ['notifications'] as const;

/** The text of one notification in the reader's language, from its kind and data. */
function useNotificationText() {
  const { t, i18n } = useTranslation();
  return (n: Notification) => {
    const d = n.data;
    const num = (v: unknown) => (typeof v === 'number' ? formatNumber(v, i18n.language) : '—');
    const ticket = d.ticketNumber ? `#${d.ticketNumber} ${d.ticketSubject ?? ''}`.trim() : '';
    switch (n.kind) {
      case 'mention':
        return t('notifications:kind.mention', { by: d.by ?? t('notifications:someone'), ticket });
      case 'rule':
        return t('notifications:kind.rule', { message: d.message ?? '', ticket });
      case 'sla_warning':
        return t('notifications:kind.sla_warning', { ticket });
      case 'sla_breached':
        return t('notifications:kind.sla_breached', { ticket });
      case 'spike':
        return t('notifications:kind.spike', {
          count: num(d.count),
          category: d.categoryName ?? '—',
          ratio: num(d.ratio),
        });
      case 'rating_followup':
        return t('notifications:kind.rating_followup', { rating: num(d.rating), ticket });
      case 'quality_review':
        return t('notifications:kind.quality_review', { score: num(d.score), ticket });
      default:
        return ticket || n.kind;
    }
  };
}

/** The bell in the header: unread count, the latest notifications, one click opens what it is about. */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const text = useNotificationText();
  const list = useQuery({
    queryKey: KEY,
    queryFn: () => api.get<NotificationList>('/notifications', { limit: 30 }),
    refetchInterval: 60_000,
    refetchOnWindowFocus: true,
  });
  const mark = useMutation({
    mutationFn: (id: string) => api.patch<Notification>(`/notifications/${id}`, { read: true }),
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
  const markAll = useMutation({
    mutationFn: () => api.post<{ marked: number }>('/notifications/read-all'),
    onSettled: () => qc.invalidateQueries({ queryKey: KEY }),
  });
  // the server pushes `notification.created` to the people it concerns only: refetch at once
  useEffect(
    () =>
      subscribeRealtime((m) => {
        if (m.type === 'notification.created') void qc.invalidateQueries({ queryKey: KEY });
      }),
    [qc],
  );
  const unread = list.data?.unread ?? 0;
  const open = (n: Notification) => {
    if (!n.readAt) mark.mutate(n.id);
    setOpened(false);
    if (n.kind === 'spike') void navigate({ to: '/insights' });
    else if (n.kind === 'rating_followup') void navigate({ to: '/rating-followups' });
    else if (n.kind === 'quality_review') void navigate({ to: '/quality' });
    else if (n.data.ticketNumber)
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(n.data.ticketNumber) } });
  };
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md">
      <Popover.Target>
        <Indicator
          disabled={unread === 0}
          label={unread > 99 ? '99+' : String(unread)}
          size={16}
          offset={4}
          color="red"
          data-testid="notification-count"
        >
          <ActionIcon
            variant="subtle"
            size="lg"
            onClick={() => setOpened((o) => !o)}
            aria-label={t('notifications:bell', { n: unread })}
            data-testid="notification-bell"
          >
            <svg
              width="20"
              height="20"
              viewBox="0 0 24 24"
              fill="none"
              stroke="currentColor"
              strokeWidth="2"
              aria-hidden="true"
            >
              <path d="M18 8a6 6 0 1 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
              <path d="M13.73 21a2 2 0 0 1-3.46 0" />
            </svg>
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown data-testid="notification-list">
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t('notifications:heading')}</Text>
          {unread > 0 && (
            <Anchor component="button" size="sm" onClick={() => markAll.mutate()} data-testid="notification-read-all">
              {t('notifications:markAll')}
            </Anchor>
          )}
        </Group>
        {list.data?.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('notifications:none')}
          </Text>
        )}
        <ScrollArea.Autosize mah={420}>
          <Stack gap={2}>
            {list.data?.items.map((n) => (
              <UnstyledButton
                key={n.id}
                onClick={() => open(n)}
                p="xs"
                style={{ borderRadius: 4, background: n.readAt ? undefined : 'var(--mantine-color-blue-light)' }}
                data-testid="notification-item"
                data-unread={n.readAt ? undefined : 'true'}
              >
                <Text size="sm" fw={n.readAt ? 400 : 600}>
                  {text(n)}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatRelative(n.createdAt, i18n.language)}
                </Text>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Popover.Dropdown>
    </Popover>
  );
}
