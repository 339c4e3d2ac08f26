import { ActionIcon, Button, Group, Paper, Stack, Text, TextInput } from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { emptyDraft, type OptionDraft } from './config-form.ts';

/** The choices of a dropdown field: stored value, label, and Bengali and Hindi labels; reorder, add, remove. */
export function OptionsEditor({
  value,
  onChange,
  errors,
}: {
  value: OptionDraft[];
  onChange: (next: OptionDraft[]) => void;
  errors: Record<number, string>;
}) {
  const { t } = useTranslation();
  const set = (i: number, patch: Partial<OptionDraft>) =>
    onChange(value.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    if (j < 0 || j >= value.length) return;
    const next = [...value];
    [next[i], next[j]] = [next[j] as OptionDraft, next[i] as OptionDraft];
    onChange(next);
  };
  return (
    <Stack gap="xs" data-testid="options-editor">
      <Text size="sm" fw={500}>
        {t('admin:fields.options')}
      </Text>
      {value.map((o, i) => (
        <Paper key={o.rowId} withBorder p="xs">
          <Group gap="xs" align="flex-start" wrap="wrap">
            <TextInput
              size="xs"
              label={t('admin:fields.optionValue')}
              value={o.value}
              onChange={(e) => set(i, { value: e.currentTarget.value })}
              error={errors[i]}
              style={{ flex: '1 1 120px' }}
              data-testid={`option-value-${i}`}
            />
            <TextInput
              size="xs"
              label={t('admin:fields.optionLabel')}
              value={o.label}
              onChange={(e) => set(i, { label: e.currentTarget.value })}
              style={{ flex: '1 1 120px' }}
            />
            <TextInput
              size="xs"
              lang="bn"
              label={t('admin:common.nameBengali')}
              value={o.bn}
              onChange={(e) => set(i, { bn: e.currentTarget.value })}
              style={{ flex: '1 1 120px' }}
            />
            <TextInput
              size="xs"
              lang="hi"
              label={t('admin:common.nameHindi')}
              value={o.hi}
              onChange={(e) => set(i, { hi: e.currentTarget.value })}
              style={{ flex: '1 1 120px' }}
            />
            <Group gap={2} mt={22} wrap="nowrap">
              <ActionIcon
                variant="subtle"
                aria-label={t('admin:fields.moveUp')}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                <IconArrowUp size={14} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                aria-label={t('admin:fields.moveDown')}
                disabled={i === value.length - 1}
                onClick={() => move(i, 1)}
              >
                <IconArrowDown size={14} />
              </ActionIcon>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('common:actions.remove')}
                onClick={() => onChange(value.filter((_, j) => j !== i))}
              >
                <IconTrash size={14} />
              </ActionIcon>
            </Group>
          </Group>
        </Paper>
      ))}
      <Group>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...value, emptyDraft()])}
          data-testid="option-add"
        >
          {t('admin:fields.addOption')}
        </Button>
      </Group>
    </Stack>
  );
}
