import type { CallOutcome } from '@seva/contracts';
import { Alert, Button, Group, Modal, SegmentedControl, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../auth/auth-errors.ts';
import { invalidateTicket } from '../ticket/ticket-api.ts';
import { callbackKeys, callbacksApi } from './callbacks-api.ts';
import { localInputToIso, parseDuration } from './call-time.ts';

const OUTCOMES: CallOutcome[] = ['answered', 'no_answer', 'busy', 'voicemail', 'wrong_number'];

export interface LogCallTarget {
  ticketId: string;
  ticketNumber?: number;
  phone?: string | null;
  callbackId?: string;
}

/** Log a call on a ticket: direction, outcome, duration (mm:ss), when, notes. A callback's status follows the outcome. */
export function LogCallModal({ target, onClose }: { target: LogCallTarget; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [direction, setDirection] = useState<'inbound' | 'outbound'>(target.callbackId ? 'outbound' : 'inbound');
  const [outcome, setOutcome] = useState<CallOutcome | null>('answered');
  const [duration, setDuration] = useState('');
  const [startedAt, setStartedAt] = useState('');
  const [phone, setPhone] = useState(target.phone ?? '');
  const [notes, setNotes] = useState('');
  const [touched, setTouched] = useState(false);
  const seconds = parseDuration(duration);
  const durationError = touched && seconds === null ? t('callbacks:log.durationInvalid') : undefined;
  const save = useMutation({
    mutationFn: () =>
      callbacksApi.logCall(target.ticketId, {
        direction,
        outcome: outcome ?? 'answered',
        durationSeconds: seconds ?? 0,
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        ...(phone.trim() ? { phone: phone.trim() } : {}),
        ...(localInputToIso(startedAt) ? { startedAt: localInputToIso(startedAt) as string } : {}),
        ...(target.callbackId ? { callbackId: target.callbackId } : {}),
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: callbackKeys.all });
      void invalidateTicket(qc, { id: target.ticketId, number: target.ticketNumber });
      notifications.show({ color: 'teal', message: t('callbacks:log.saved') });
      onClose();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (seconds === null || !outcome) return;
    save.mutate();
  };
  return (
    <Modal opened onClose={onClose} centered title={target.ticketNumber ? t('callbacks:log.titleFor', { number: target.ticketNumber }) : t('callbacks:log.title')}>
      <form onSubmit={onSubmit} noValidate data-testid="log-call-form">
        <Stack gap="sm">
          {save.error && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <SegmentedControl
            value={direction}
            onChange={(v) => setDirection(v as 'inbound' | 'outbound')}
            aria-label={t('callbacks:log.direction')}
            data={[
              { value: 'outbound', label: t('callbacks:direction.outbound') },
              { value: 'inbound', label: t('callbacks:direction.inbound') },
            ]}
          />
          <Select
            label={t('callbacks:log.outcome')}
            data={OUTCOMES.map((o) => ({ value: o, label: t(`callbacks:outcome.${o}`) }))}
            value={outcome}
            onChange={(v) => setOutcome(v as CallOutcome | null)}
            allowDeselect={false}
            required
            data-testid="log-call-outcome"
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('callbacks:log.duration')}
              description={t('callbacks:log.durationHelp')}
              placeholder="4:05"
              value={duration}
              onChange={(e) => setDuration(e.currentTarget.value)}
              onBlur={() => setTouched(true)}
              error={durationError}
              inputMode="numeric"
              required
              data-testid="log-call-duration"
            />
            <TextInput type="datetime-local" label={t('callbacks:log.startedAt')} description={t('callbacks:log.startedAtHelp')} value={startedAt} onChange={(e) => setStartedAt(e.currentTarget.value)} />
          </Group>
          <TextInput type="tel" label={t('callbacks:log.phone')} value={phone} onChange={(e) => setPhone(e.currentTarget.value)} data-testid="log-call-phone" />
          <Textarea label={t('callbacks:log.notes')} autosize minRows={3} value={notes} onChange={(e) => setNotes(e.currentTarget.value)} data-testid="log-call-notes" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="log-call-save">
              {t('callbacks:log.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
