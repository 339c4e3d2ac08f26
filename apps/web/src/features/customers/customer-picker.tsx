import { Button, Group, Select, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import type { CustomerList } from '@seva/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api.ts';

export type PickedCustomer = CustomerList['items'][number];

/**
 * Finds another customer by name or email (at least two characters) and picks one: used to merge a duplicate and
 * to move a messaging contact. Customers that were merged away and `excludeId` are not offered.
 */
export function CustomerPicker({
  excludeId,
  value,
  onChange,
  findLabel,
  selectLabel,
  testId,
}: {
  excludeId: string;
  value: PickedCustomer | null;
  onChange: (customer: PickedCustomer | null) => void;
  findLabel: string;
  selectLabel: string;
  /** prefix of the inputs' test ids: `<testId>-search`, `<testId>-select` */
  testId: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q.trim(), 250);
  const candidates = useQuery({
    queryKey: ['customers', { q: debounced }],
    queryFn: () => api.get<CustomerList>('/customers', { q: debounced, limit: 10 }),
    enabled: debounced.length >= 2,
  });
  const options = (candidates.data?.items ?? []).filter((c) => c.id !== excludeId && !c.mergedIntoId);
  return (
    <>
      <TextInput
        label={findLabel}
        value={q}
        onChange={(e) => setQ(e.currentTarget.value)}
        data-autofocus
        data-testid={`${testId}-search`}
      />
      <Select
        label={selectLabel}
        data={options.map((c) => ({ value: c.id, label: `${c.name}${c.email ? ` <${c.email}>` : ''}` }))}
        value={value?.id ?? null}
        onChange={(id) => onChange(options.find((o) => o.id === id) ?? null)}
        nothingFoundMessage={t('customers:merge.noCandidates')}
        data-testid={`${testId}-select`}
      />
    </>
  );
}

/** The picker dialog's error line and its cancel / confirm buttons (confirm is `<testId>-confirm`). */
export function PickerActions({
  error,
  pending,
  disabled,
  confirmLabel,
  onCancel,
  onConfirm,
  testId,
}: {
  error: string | null;
  pending: boolean;
  disabled: boolean;
  confirmLabel: string;
  onCancel: () => void;
  onConfirm: () => void;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <>
      {error && (
        <Text c="red" size="sm" role="alert">
          {error}
        </Text>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onCancel}>
          {t('common:actions.cancel')}
        </Button>
        <Button
          color="orange"
          disabled={disabled}
          loading={pending}
          onClick={onConfirm}
          data-testid={`${testId}-confirm`}
        >
          {confirmLabel}
        </Button>
      </Group>
    </>
  );
}
