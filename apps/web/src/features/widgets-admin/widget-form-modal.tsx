import type { Widget } from '@seva/contracts';
import { Alert, Button, Checkbox, ColorInput, Divider, Group, Modal, NumberInput, SegmentedControl, Select, SimpleGrid, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { ruleKeys, rulesApi } from '../desk-rules/desk-rules-api.ts';
import { useTeams } from '../ticket/desk-config.ts';
import { PreChatFieldsEditor } from './prechat-fields-editor.tsx';
import { emptyWidgetForm, formToBody, hasErrors, validateWidgetForm, WIDGET_LANGS, type WidgetForm, widgetToForm } from './widget-form.ts';
import { widgetKeys, widgetsApi } from './widgets-api.ts';

const OPTION_KEYS = ['chat', 'message', 'callback', 'kb'] as const;

/** Create or edit a widget. */
export function WidgetFormModal({ widget, onClose, onSaved }: { widget: Widget | null; onClose: () => void; onSaved: (w: Widget) => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useTeams();
  const calendars = useQuery({ queryKey: ruleKeys.calendars, queryFn: rulesApi.calendars });
  const [form, setForm] = useState<WidgetForm>(() => (widget ? widgetToForm(widget) : emptyWidgetForm()));
  const [submitted, setSubmitted] = useState(false);
  const errors = submitted ? validateWidgetForm(form) : {};
  const set = <K extends keyof WidgetForm>(k: K, v: WidgetForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const save = useMutation({
    mutationFn: () => (widget ? widgetsApi.update(widget.id, formToBody(form)) : widgetsApi.create(formToBody(form))),
    onSuccess: (w) => {
      void qc.invalidateQueries({ queryKey: widgetKeys.all });
      notifications.show({ color: 'teal', message: t('widgets-admin:saved', { name: w.name }) });
      onSaved(w);
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!hasErrors(validateWidgetForm(form))) save.mutate();
  };

  return (
    <Modal opened onClose={onClose} size="xl" title={widget ? t('widgets-admin:editTitle', { name: widget.name }) : t('widgets-admin:createTitle')}>
      <form onSubmit={onSubmit} noValidate data-testid="widget-form">
        <Stack gap="sm">
          {save.error && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('widgets-admin:fields.name')} value={form.name} onChange={(e) => set('name', e.currentTarget.value)} required error={errors.name ? t('widgets-admin:errors.name') : fieldError(save.error, 'name')} data-testid="widget-name" />
            <Switch mt={28} label={t('widgets-admin:fields.active')} checked={form.status === 'active'} onChange={(e) => set('status', e.currentTarget.checked ? 'active' : 'disabled')} data-testid="widget-active" />
            <ColorInput label={t('widgets-admin:fields.colour')} value={form.primaryColor} onChange={(v) => set('primaryColor', v)} format="hex" swatches={['#1c7ed6', '#0ca678', '#e8590c', '#7048e8', '#c2255c', '#212529']} error={errors.primaryColor ? t('widgets-admin:errors.colour') : undefined} data-testid="widget-colour" />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('widgets-admin:fields.position')}
              </Text>
              <SegmentedControl
                value={form.position}
                onChange={(v) => set('position', v as 'right' | 'left')}
                data={[
                  { value: 'right', label: t('widgets-admin:position.right') },
                  { value: 'left', label: t('widgets-admin:position.left') },
                ]}
              />
            </Stack>
          </SimpleGrid>
          <Select
            label={t('widgets-admin:fields.defaultLanguage')}
            data={WIDGET_LANGS.map((l) => ({ value: l, label: t(`common:languages.${l}`) }))}
            value={form.defaultLanguage}
            onChange={(v) => v && set('defaultLanguage', v as WidgetForm['defaultLanguage'])}
            allowDeselect={false}
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            {WIDGET_LANGS.map((l) => (
              <Textarea
                key={l}
                label={t('widgets-admin:fields.greeting', { language: t(`common:languages.${l}`) })}
                autosize
                minRows={2}
                value={form.greetings[l]}
                onChange={(e) => set('greetings', { ...form.greetings, [l]: e.currentTarget.value })}
                data-testid={`widget-greeting-${l}`}
              />
            ))}
          </SimpleGrid>
          <Textarea
            label={t('widgets-admin:fields.origins')}
            description={t('widgets-admin:fields.originsHelp')}
            placeholder="https://shop.example"
            autosize
            minRows={2}
            value={form.origins}
            onChange={(e) => set('origins', e.currentTarget.value)}
            error={errors.origins ? t('widgets-admin:errors.origins', { origins: errors.origins.join(', ') }) : fieldError(save.error, 'allowedOrigins')}
            data-testid="widget-origins"
          />
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('widgets-admin:fields.options')}
            </Text>
            <Group gap="md">
              {OPTION_KEYS.map((k) => (
                <Checkbox key={k} label={t(`widgets-admin:options.${k}`)} checked={form.options[k]} onChange={(e) => set('options', { ...form.options, [k]: e.currentTarget.checked })} data-testid={`widget-option-${k}`} />
              ))}
            </Group>
          </Stack>
          <Divider />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('widgets-admin:fields.team')}
              placeholder={t('widgets-admin:fields.anyTeam')}
              data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
              value={form.teamId}
              onChange={(v) => set('teamId', v)}
              clearable
            />
            <Select
              label={t('widgets-admin:fields.hours')}
              placeholder={t('widgets-admin:fields.alwaysOpen')}
              description={t('widgets-admin:fields.hoursHelp')}
              data={(calendars.data ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.timeZone})` }))}
              value={form.calendarId}
              onChange={(v) => set('calendarId', v)}
              clearable
              data-testid="widget-hours"
            />
            <NumberInput
              label={t('widgets-admin:fields.offerTimeout')}
              description={t('widgets-admin:fields.offerTimeoutHelp')}
              min={10}
              max={3600}
              value={form.offerTimeoutSeconds}
              onChange={(v) => set('offerTimeoutSeconds', typeof v === 'number' ? v : Number(v) || 0)}
              error={errors.offerTimeoutSeconds ? t('widgets-admin:errors.offerTimeout') : undefined}
            />
          </SimpleGrid>
          <Switch label={t('widgets-admin:fields.requireIdentity')} description={t('widgets-admin:fields.requireIdentityHelp')} checked={form.requireIdentity} onChange={(e) => set('requireIdentity', e.currentTarget.checked)} />
          <Divider />
          <PreChatFieldsEditor value={form.preChatFields} onChange={(v) => set('preChatFields', v)} errors={errors.preChat} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="widget-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
