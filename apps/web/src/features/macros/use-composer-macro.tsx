import type { Macro, MacroPreview, Ticket } from '@seva/contracts';
import { Badge, CloseButton, Group, Paper, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { invalidateTicket, ticketKeys } from '../ticket/ticket-api.ts';
import { macrosApi } from './macros-api.ts';
import { actionSummary, textToHtml } from './macro-text.ts';

export interface ActiveMacro extends MacroPreview {
  id: string;
  name: string;
}

/**
 * The composer's macro state: the picker, the macro in use (its text goes into the editor, its field changes wait
 * for Send), and sending through the macro so its actions apply and its use is counted.
 */
export function useComposerMacro(ticket: Ticket, fill: (html: string, internal: boolean) => void) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [picker, setPicker] = useState<{ opened: boolean; query: string }>({ opened: false, query: '' });
  const [active, setActive] = useState<ActiveMacro | null>(null);

  const pick = async (m: Macro) => {
    setPicker({ opened: false, query: '' });
    try {
      const p = await macrosApi.preview(ticket.id, m.id);
      setActive({ ...p, id: m.id, name: m.name });
      fill(textToHtml(p.body), p.internal);
      if (p.missing.length > 0) notifications.show({ color: 'orange', message: t('macros:composer.missing', { list: p.missing.join(', ') }) });
    } catch (err) {
      notifications.show({ color: 'red', message: err instanceof ApiError ? err.message : t('common:states.error') });
    }
  };

  /**
   * Sends `text` through the macro (or, when the message already went out with attachments, only its actions);
   * `handleSeconds` is the composer's timer, recorded on the reply.
   */
  const apply = async (text: string, handleSeconds?: number) => {
    if (!active) return;
    const m = active;
    const timed = handleSeconds !== undefined ? { handleSeconds } : {};
    await macrosApi.apply(ticket.id, m.id, { body: text, language: m.language, ...timed });
    setActive(null);
    void qc.invalidateQueries({ queryKey: ticketKeys.messages(ticket.id) });
    void qc.invalidateQueries({ queryKey: ['macros'] });
    await invalidateTicket(qc, ticket);
    notifications.show({ color: 'teal', message: t('macros:composer.applied', { name: m.name }) });
  };

  return {
    active,
    clear: () => setActive(null),
    apply,
    pick,
    openPicker: (query = '') => setPicker({ opened: true, query }),
    pickerProps: { opened: picker.opened, initialQuery: picker.query, onPick: (m: Macro) => void pick(m), onClose: () => setPicker({ opened: false, query: '' }) },
  };
}

/** What the macro in use will do on Send: its language and field changes. */
export function ActiveMacroBar({ macro, onClear }: { macro: ActiveMacro; onClear(): void }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p={6} mt="xs" data-testid="active-macro">
      <Group justify="space-between" wrap="nowrap">
        <Group gap={6}>
          <Text size="xs" fw={600}>
            {t('macros:composer.using', { name: macro.name })}
          </Text>
          <Badge size="xs" variant="light">
            {t(`common:languages.${macro.language}`, { defaultValue: macro.language })}
          </Badge>
          {macro.fellBack && (
            <Text size="xs" c="orange">
              {t('macros:composer.fellBack')}
            </Text>
          )}
          {actionSummary(macro.actions).map((a) => (
            <Badge key={a.key} size="xs" variant="outline">
              {t(`macros:action.${a.key}`)}
              {a.key === 'status' || a.key === 'priority' ? `: ${t(`ticket:${a.key}.${a.value}`)}` : a.key.endsWith('Tags') ? `: ${a.value}` : ''}
            </Badge>
          ))}
        </Group>
        <CloseButton size="sm" aria-label={t('macros:composer.stop')} onClick={onClear} />
      </Group>
    </Paper>
  );
}
