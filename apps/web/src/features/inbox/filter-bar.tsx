import { CHANNELS, type TicketPriority, type TicketStatus } from '@seva/contracts';
import { Button, Group, MultiSelect, Select, TextInput } from '@mantine/core';
import { IconFilterOff, IconTag } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxSearch } from '../../app/router.tsx';
import { localized, useCategories } from '../ticket/desk-config.ts';
import { PRIORITY_ORDER, STATUS_ORDER } from '../ticket/ticket-status.ts';
import { activeFilterCount, DEFAULT_SORT, SORTS, splitList } from './inbox-filters.ts';

export const LANGUAGES = ['en', 'bn', 'hi'] as const;

interface FilterBarProps {
  search: InboxSearch;
  onChange(patch: Partial<InboxSearch>): void;
}

/** Status, priority, channel, language, category, tag and sort: every change goes into the URL. */
export function FilterBar({ search, onChange }: FilterBarProps) {
  const { t, i18n } = useTranslation();
  const categories = useCategories();
  const [tag, setTag] = useState(search.tag ?? '');
  useEffect(() => setTag(search.tag ?? ''), [search.tag]);
  const list = (values: string[]) => (values.length ? values.join(',') : undefined);

  return (
    <Group gap="xs" align="flex-end" wrap="wrap" data-testid="filter-bar">
      <MultiSelect
        label={t('inbox:filters.status')}
        placeholder={splitList(search.status).length ? undefined : t('inbox:filters.any')}
        data={STATUS_ORDER.map((s: TicketStatus) => ({ value: s, label: t(`ticket:status.${s}`) }))}
        value={splitList(search.status)}
        onChange={(v) => onChange({ status: list(v) })}
        clearable
        size="xs"
        w={220}
        data-testid="filter-status"
      />
      <MultiSelect
        label={t('inbox:filters.priority')}
        placeholder={splitList(search.priority).length ? undefined : t('inbox:filters.any')}
        data={PRIORITY_ORDER.map((p: TicketPriority) => ({ value: p, label: t(`ticket:priority.${p}`) }))}
        value={splitList(search.priority)}
        onChange={(v) => onChange({ priority: list(v) })}
        clearable
        size="xs"
        w={180}
        data-testid="filter-priority"
      />
      <Select
        label={t('inbox:filters.channel')}
        placeholder={t('inbox:filters.any')}
        data={CHANNELS.map((c) => ({ value: c, label: t(`ticket:channel.${c}`) }))}
        value={search.channel ?? null}
        onChange={(v) => onChange({ channel: v ?? undefined })}
        clearable
        size="xs"
        w={140}
        data-testid="filter-channel"
      />
      <Select
        label={t('inbox:filters.language')}
        placeholder={t('inbox:filters.any')}
        data={LANGUAGES.map((l) => ({ value: l, label: t(`common:languages.${l}`) }))}
        value={search.language ?? null}
        onChange={(v) => onChange({ language: v ?? undefined })}
        clearable
        size="xs"
        w={130}
        data-testid="filter-language"
      />
      <Select
        label={t('inbox:filters.category')}
        placeholder={t('inbox:filters.any')}
        data={(categories.data ?? []).filter((c) => c.isActive !== false || c.id === search.categoryId).map((c) => ({ value: c.id, label: localized(c, i18n.language) }))}
        value={search.categoryId ?? null}
        onChange={(v) => onChange({ categoryId: v ?? undefined })}
        clearable
        searchable
        size="xs"
        w={170}
        data-testid="filter-category"
      />
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onChange({ tag: tag.trim() || undefined });
        }}
      >
        <TextInput
          label={t('inbox:filters.tag')}
          placeholder={t('inbox:filters.tagPlaceholder')}
          leftSection={<IconTag size={14} />}
          value={tag}
          onChange={(e) => setTag(e.currentTarget.value)}
          onBlur={() => tag.trim() !== (search.tag ?? '') && onChange({ tag: tag.trim() || undefined })}
          size="xs"
          w={150}
          data-testid="filter-tag"
        />
      </form>
      <Select
        label={t('inbox:filters.sort')}
        data={SORTS.map((s) => ({ value: s, label: t(`inbox:sort.${s}`) }))}
        value={search.sort ?? DEFAULT_SORT}
        onChange={(v) => onChange({ sort: v && v !== DEFAULT_SORT ? v : undefined })}
        allowDeselect={false}
        size="xs"
        w={190}
        data-testid="sort-select"
      />
      {activeFilterCount(search) > 0 && (
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconFilterOff size={14} />}
          onClick={() => onChange({ status: undefined, priority: undefined, channel: undefined, language: undefined, categoryId: undefined, tag: undefined })}
          data-testid="clear-filters"
        >
          {t('inbox:filters.clear')}
        </Button>
      )}
    </Group>
  );
}
