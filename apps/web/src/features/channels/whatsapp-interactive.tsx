import { Button, Modal, SegmentedControl, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../auth/auth-errors.ts';
import { PickerActions } from '../customers/customer-picker.tsx';
import { channelKeys, channelsApi } from './channels-api.ts';
import { type InteractiveForm, interactiveFromForm } from './interactive-form.ts';

const EMPTY: InteractiveForm = { type: 'buttons', body: '', options: '', button: '' };

/**
 * Reply buttons or a list sent to the customer on WhatsApp while the 24-hour window is open; the customer's tap
 * comes back as a message on the ticket.
 */
export function WhatsappInteractive({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [form, setForm] = useState<InteractiveForm>(EMPTY);
  const [touched, setTouched] = useState(false);
  const built = interactiveFromForm(form);
  const send = useMutation({
    mutationFn: () => {
      if (!built.ok) throw new Error(built.problem);
      return channelsApi.sendInteractive(ticketId, built.body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['messages'] });
      void qc.invalidateQueries({ queryKey: ['ticket'] });
      void qc.invalidateQueries({ queryKey: channelKeys.ticket(ticketId) });
      notifications.show({ color: 'teal', message: t('channels:interactive.sent') });
      setOpened(false);
      setForm(EMPTY);
      setTouched(false);
    },
  });
  const set = (patch: Partial<InteractiveForm>) => {
    setTouched(true);
    setForm((f) => ({ ...f, ...patch }));
  };
  return (
    <>
      <Button size="xs" variant="light" onClick={() => setOpened(true)} data-testid="interactive-open">
        {t('channels:interactive.action')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('channels:interactive.title')}>
        <Stack>
          <SegmentedControl
            value={form.type}
            onChange={(v) => set({ type: v as InteractiveForm['type'] })}
            data={[
              { value: 'buttons', label: t('channels:interactive.buttons') },
              { value: 'list', label: t('channels:interactive.list') },
            ]}
            data-testid="interactive-type"
          />
          <Textarea
            label={t('channels:interactive.body')}
            value={form.body}
            onChange={(e) => set({ body: e.currentTarget.value })}
            autosize
            minRows={2}
            data-autofocus
            data-testid="interactive-body"
          />
          <Textarea
            label={t('channels:interactive.options')}
            description={
              form.type === 'buttons' ? t('channels:interactive.optionsButtons') : t('channels:interactive.optionsList')
            }
            value={form.options}
            onChange={(e) => set({ options: e.currentTarget.value })}
            autosize
            minRows={3}
            data-testid="interactive-options"
          />
          {form.type === 'list' && (
            <TextInput
              label={t('channels:interactive.listButton')}
              value={form.button}
              onChange={(e) => set({ button: e.currentTarget.value })}
              maxLength={20}
              data-testid="interactive-button"
            />
          )}
          {touched && !built.ok && (
            <Text size="sm" c="orange" data-testid="interactive-problem">
              {t(`channels:interactive.problems.${built.problem}`)}
            </Text>
          )}
          <PickerActions
            error={send.isError ? errorMessage(t, send.error) : null}
            pending={send.isPending}
            disabled={!built.ok}
            confirmLabel={t('channels:interactive.send')}
            onCancel={() => setOpened(false)}
            onConfirm={() => send.mutate()}
            testId="interactive"
          />
        </Stack>
      </Modal>
    </>
  );
}
