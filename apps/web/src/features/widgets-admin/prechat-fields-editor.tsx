import type { PreChatField } from '@seva/contracts';
import { ActionIcon, Button, Card, Checkbox, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { WIDGET_LANGS, type WidgetFormErrors } from './widget-form.ts';

const KINDS: PreChatField['kind'][] = ['text', 'email', 'phone', 'select', 'textarea'];

/** The optional questions asked before a chat: key, kind, label per language, required, and choices for a select. */
export function PreChatFieldsEditor({ value, onChange, errors }: { value: PreChatField[]; onChange: (next: PreChatField[]) => void; errors?: WidgetFormErrors['preChat'] }) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<PreChatField>) => onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <Stack gap="xs" data-testid="prechat-editor">
      <Text size="sm" fw={500}>
        {t('widgets-admin:prechat.title')}
      </Text>
      <Text size="xs" c="dimmed">
        {t('widgets-admin:prechat.help')}
      </Text>
      {value.map((f, i) => {
        const err = errors?.[i];
        return (
          <Card key={i} withBorder padding="xs" data-testid="prechat-field">
            <Stack gap={6}>
              <Group gap="xs" align="flex-end" wrap="wrap">
                <TextInput
                  label={t('widgets-admin:prechat.key')}
                  value={f.key}
                  onChange={(e) => set(i, { key: e.currentTarget.value.toLowerCase() })}
                  error={err === 'key' ? t('widgets-admin:errors.key') : err === 'duplicate' ? t('widgets-admin:errors.duplicateKey') : undefined}
                  w={150}
                  data-testid="prechat-key"
                />
                <Select
                  label={t('widgets-admin:prechat.kind')}
                  data={KINDS.map((k) => ({ value: k, label: t(`widgets-admin:kinds.${k}`) }))}
                  value={f.kind}
                  onChange={(v) => v && set(i, { kind: v as PreChatField['kind'], ...(v === 'select' && !f.options ? { options: [{ value: '', label: {} }] } : {}) })}
                  allowDeselect={false}
                  w={140}
                />
                <Checkbox label={t('widgets-admin:prechat.required')} checked={f.required} onChange={(e) => set(i, { required: e.currentTarget.checked })} mb={8} />
                <ActionIcon variant="subtle" color="red" onClick={() => onChange(value.filter((_, j) => j !== i))} aria-label={t('widgets-admin:prechat.remove')} mb={4}>
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
                {WIDGET_LANGS.map((l) => (
                  <TextInput
                    key={l}
                    size="xs"
                    label={t('widgets-admin:prechat.label', { language: t(`common:languages.${l}`) })}
                    value={f.label[l] ?? ''}
                    onChange={(e) => set(i, { label: { ...f.label, [l]: e.currentTarget.value } })}
                    error={err === 'label' && l === 'en' ? t('widgets-admin:errors.label') : undefined}
                    data-testid={`prechat-label-${l}`}
                  />
                ))}
              </SimpleGrid>
              {f.kind === 'select' && (
                <Stack gap={4}>
                  <Text size="xs" fw={500} c={err === 'options' ? 'red' : undefined}>
                    {err === 'options' ? t('widgets-admin:errors.options') : t('widgets-admin:prechat.options')}
                  </Text>
                  {(f.options ?? []).map((o, k) => (
                    <Group key={k} gap={4} wrap="nowrap">
                      <TextInput size="xs" placeholder={t('widgets-admin:prechat.optionValue')} aria-label={t('widgets-admin:prechat.optionValue')} value={o.value} onChange={(e) => set(i, { options: (f.options ?? []).map((x, m) => (m === k ? { ...x, value: e.currentTarget.value } : x)) })} w={120} />
                      {WIDGET_LANGS.map((l) => (
                        <TextInput
                          key={l}
                          size="xs"
                          placeholder={t(`common:languages.${l}`)}
                          aria-label={t('widgets-admin:prechat.optionLabel', { language: t(`common:languages.${l}`) })}
                          value={o.label[l] ?? ''}
                          onChange={(e) => set(i, { options: (f.options ?? []).map((x, m) => (m === k ? { ...x, label: { ...x.label, [l]: e.currentTarget.value } } : x)) })}
                          style={{ flex: 1 }}
                        />
                      ))}
                      <ActionIcon variant="subtle" color="red" onClick={() => set(i, { options: (f.options ?? []).filter((_, m) => m !== k) })} aria-label={t('widgets-admin:prechat.removeOption')}>
                        <IconTrash size={14} />
                      </ActionIcon>
                    </Group>
                  ))}
                  <Button size="compact-xs" variant="subtle" leftSection={<IconPlus size={12} />} onClick={() => set(i, { options: [...(f.options ?? []), { value: '', label: {} }] })} w="fit-content">
                    {t('widgets-admin:prechat.addOption')}
                  </Button>
                </Stack>
              )}
            </Stack>
          </Card>
        );
      })}
      <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => onChange([...value, { key: '', kind: 'text', label: {}, required: false }])} w="fit-content" data-testid="prechat-add" disabled={value.length >= 20}>
        {t('widgets-admin:prechat.add')}
      </Button>
    </Stack>
  );
}
