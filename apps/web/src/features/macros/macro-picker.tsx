import type { Macro } from '@seva/contracts';
import { Badge, Group, Loader, Modal, ScrollArea, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import { macroKeys, macrosApi } from './macros-api.ts';

/** Find a macro by name or shortcut (most used first); arrows and Enter pick without the mouse. */
export function MacroPicker({ opened, initialQuery, onPick, onClose }: { opened: boolean; initialQuery: string; onPick(m: Macro): void; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState(initialQuery);
  const [active, setActive] = useState(0);
  const [debounced] = useDebouncedValue(q, 150);
  useEffect(() => {
    if (opened) {
      setQ(initialQuery);
      setActive(0);
    }
  }, [opened, initialQuery]);
  const list = useQuery({ queryKey: macroKeys.list(debounced), queryFn: () => macrosApi.list(debounced), enabled: opened });
  const items = list.data ?? [];
  return (
    <Modal opened={opened} onClose={onClose} title={t('macros:picker.title')} size="lg" data-testid="macro-picker">
      <Stack gap="xs">
        <TextInput
          data-autofocus
          placeholder={t('macros:picker.search')}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setActive(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, items.length - 1));
            else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
            else if (e.key === 'Enter' && items[active]) {
              e.preventDefault();
              onPick(items[active]);
            } else return;
            e.preventDefault();
          }}
          rightSection={list.isFetching ? <Loader size="xs" /> : null}
          data-testid="macro-search"
        />
        {items.length === 0 && !list.isFetching && (
          <Text c="dimmed" size="sm">
            {t('macros:picker.none')}
          </Text>
        )}
        <ScrollArea.Autosize mah={360}>
          <Stack gap={2}>
            {items.map((m, i) => (
              <UnstyledButton
                key={m.id}
                onClick={() => onPick(m)}
                onMouseEnter={() => setActive(i)}
                p="xs"
                style={{ borderRadius: 6, background: i === active ? 'var(--mantine-primary-color-light)' : undefined }}
                data-testid="macro-option"
              >
                <Group justify="space-between" wrap="nowrap">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate>
                      {m.name}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {Object.values(m.bodies)[0] ?? ''}
                    </Text>
                  </div>
                  <Group gap={4} wrap="nowrap">
                    {m.shortcut && <Badge variant="outline" size="sm">/{m.shortcut}</Badge>}
                    <Badge variant="light" size="sm" color={m.shared ? 'blue' : 'gray'}>
                      {m.shared ? t('macros:shared') : t('macros:personal')}
                    </Badge>
                    <Text size="xs" c="dimmed">
                      {t('macros:picker.used', { n: formatNumber(m.usageCount, i18n.language) })}
                    </Text>
                  </Group>
                </Group>
              </UnstyledButton>
            ))}
          </Stack>
        </ScrollArea.Autosize>
      </Stack>
    </Modal>
  );
}
