import type { ChatDetail, Ticket } from '@seva/contracts';
import { Alert, Button, Group, Modal, Radio, Stack, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../auth/auth-errors.ts';
import { invalidateTicket } from '../ticket/ticket-api.ts';
import { chatApi, invalidateChats } from './chat-api.ts';

/** End the chat: solve it, or keep it open as a ticket that continues by email (needs the visitor's email). */
export function EndChatModal({ ticket, chat, onClose }: { ticket: Ticket; chat: ChatDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const canKeep = !!chat.visitor.email;
  const [choice, setChoice] = useState<'solve' | 'keep'>('solve');
  const end = useMutation({
    mutationFn: () => chatApi.end(ticket.id, choice === 'keep'),
    onSuccess: () => {
      void invalidateChats(qc);
      void invalidateTicket(qc, ticket);
      notifications.show({ color: 'teal', message: choice === 'keep' ? t('chat:end.keptOpen') : t('chat:end.solved') });
      onClose();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    end.mutate();
  };
  return (
    <Modal opened onClose={onClose} centered title={t('chat:end.title')}>
      <form onSubmit={onSubmit} data-testid="chat-end-form">
        <Stack gap="sm">
          {end.error && <Alert color="red">{errorMessage(t, end.error)}</Alert>}
          <Radio.Group value={choice} onChange={(v) => setChoice(v as 'solve' | 'keep')} label={t('chat:end.question')}>
            <Stack gap="xs" mt="xs">
              <Radio value="solve" label={t('chat:end.solve')} data-testid="chat-end-solve" />
              <Radio value="keep" label={t('chat:end.keep')} disabled={!canKeep} data-testid="chat-end-keep" />
            </Stack>
          </Radio.Group>
          {!canKeep && (
            <Text size="xs" c="dimmed">
              {t('chat:end.keepNeedsEmail')}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" color="red" loading={end.isPending} data-testid="chat-end-submit">
              {t('chat:end.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Email the transcript to the visitor, or to another address. */
export function TranscriptModal({ ticket, chat, onClose }: { ticket: Ticket; chat: ChatDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const [email, setEmail] = useState(chat.visitor.email ?? '');
  const send = useMutation({
    mutationFn: () => chatApi.transcript(ticket.id, email.trim() && email.trim() !== chat.visitor.email ? email.trim() : undefined),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('chat:transcript.sent', { email: email.trim() || chat.visitor.email || '' }) });
      onClose();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim()) send.mutate();
  };
  return (
    <Modal opened onClose={onClose} centered title={t('chat:transcript.title')}>
      <form onSubmit={onSubmit} noValidate data-testid="chat-transcript-form">
        <Stack gap="sm">
          {send.error && <Alert color="red">{errorMessage(t, send.error)}</Alert>}
          <TextInput type="email" label={t('chat:transcript.email')} value={email} onChange={(e) => setEmail(e.currentTarget.value)} required data-testid="chat-transcript-email" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" disabled={!email.trim()} loading={send.isPending} data-testid="chat-transcript-send">
              {t('chat:transcript.send')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
