import type { Message, Ticket } from '@seva/contracts';
import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../lib/api.ts';
import { invalidateTicket } from './ticket-api.ts';
import { StatusBadge } from './ticket-badges.tsx';

function problemText(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}

/** Merge this ticket into another one, found by its number: preview the target, then confirm. */
export function MergeModal({ ticket, opened, onClose }: { ticket: Ticket; opened: boolean; onClose(): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [number, setNumber] = useState('');
  const wanted = number.trim().replace(/^#/, '');
  const valid = /^\d+$/.test(wanted) && wanted !== String(ticket.number);
  const target = useQuery({
    queryKey: ['ticket', wanted],
    queryFn: () => api.get<Ticket>(`/tickets/${wanted}`),
    enabled: opened && valid,
    retry: false,
  });
  const merge = useMutation({
    mutationFn: () => api.post<Ticket>(`/tickets/${ticket.id}/merge`, { targetTicketId: target.data?.id ?? wanted }),
    onSuccess: (merged) => {
      void invalidateTicket(qc, ticket);
      void invalidateTicket(qc, merged);
      notifications.show({ color: 'teal', message: t('ticket:merge.done', { number: merged.number }) });
      onClose();
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(merged.number) } });
    },
  });

  return (
    <Modal opened={opened} onClose={onClose} title={t('ticket:merge.title', { number: ticket.number })}>
      <Stack>
        <Text size="sm">{t('ticket:merge.explain')}</Text>
        <TextInput
          label={t('ticket:merge.targetNumber')}
          value={number}
          onChange={(e) => setNumber(e.currentTarget.value)}
          inputMode="numeric"
          data-autofocus
          data-testid="merge-target"
          error={number && !valid ? t('ticket:merge.invalidNumber') : target.isError ? t('ticket:merge.notFound') : undefined}
        />
        {target.data && (
          <Alert color="blue" data-testid="merge-preview">
            <Group gap="xs">
              <Text fw={600}>#{target.data.number}</Text>
              <Text>{target.data.subject}</Text>
              <StatusBadge status={target.data.status} />
            </Group>
            <Text size="xs" c="dimmed">
              {target.data.customer.name} {target.data.customer.email ? `<${target.data.customer.email}>` : ''}
            </Text>
          </Alert>
        )}
        {merge.isError && (
          <Text c="red" size="sm" role="alert">
            {problemText(merge.error, t('common:states.error'))}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button color="red" disabled={!target.data || target.data.status === 'closed'} loading={merge.isPending} onClick={() => merge.mutate()} data-testid="merge-confirm">
            {t('ticket:merge.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Split one message off into a new ticket. */
export function SplitModal({ ticket, message, onClose }: { ticket: Ticket; message: Message | null; onClose(): void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [subject, setSubject] = useState('');
  const split = useMutation({
    mutationFn: () => api.post<Ticket>(`/tickets/${ticket.id}/split`, { messageId: message?.id, subject: subject.trim() || undefined }),
    onSuccess: (created) => {
      void invalidateTicket(qc, ticket);
      notifications.show({ color: 'teal', message: t('ticket:split.done', { number: created.number }) });
      setSubject('');
      onClose();
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(created.number) } });
    },
  });
  return (
    <Modal opened={!!message} onClose={onClose} title={t('ticket:split.title')}>
      <Stack>
        <Text size="sm" lineClamp={4} c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          {message?.bodyText}
        </Text>
        <TextInput
          label={t('ticket:split.subject')}
          placeholder={ticket.subject}
          value={subject}
          onChange={(e) => setSubject(e.currentTarget.value)}
          maxLength={500}
          data-testid="split-subject"
        />
        {split.isError && (
          <Text c="red" size="sm" role="alert">
            {problemText(split.error, t('common:states.error'))}
          </Text>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button loading={split.isPending} onClick={() => split.mutate()} data-testid="split-confirm">
            {t('ticket:split.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
