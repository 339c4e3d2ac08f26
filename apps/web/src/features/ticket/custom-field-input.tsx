import { Checkbox, NumberInput, Select, TextInput } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type CustomField, type CustomFieldOption, localized } from './desk-config.ts';

function optionData(options: CustomFieldOption[] | null | undefined, lang: string) {
  return (options ?? []).map((o) => ({ value: o.value, label: localized({ label: o.label, translations: o.translations }, lang) || o.value }));
}

interface CustomFieldInputProps {
  field: CustomField;
  value: unknown;
  disabled?: boolean;
  onSave(value: unknown): void;
}

/** One custom field rendered by its type; text-like fields save on blur, choices save on change. */
export function CustomFieldInput({ field, value, disabled, onSave }: CustomFieldInputProps) {
  const { i18n } = useTranslation();
  const label = localized(field, i18n.language);
  const [draft, setDraft] = useState<string>(value === null || value === undefined ? '' : String(value));
  useEffect(() => setDraft(value === null || value === undefined ? '' : String(value)), [value]);
  const common = { label, required: field.isRequired, disabled, size: 'xs' as const, 'data-testid': `custom-field-${field.key}` };
  const saveText = () => {
    const next = draft.trim() === '' ? null : draft;
    if (next !== (value ?? null)) onSave(next);
  };

  switch (field.fieldType) {
    case 'checkbox':
      return <Checkbox {...common} checked={value === true} onChange={(e) => onSave(e.currentTarget.checked)} />;
    case 'dropdown':
      return (
        <Select
          {...common}
          data={optionData(field.options, i18n.language)}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onSave(v)}
          clearable={!field.isRequired}
          searchable
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          value={draft === '' ? '' : Number(draft)}
          onChange={(v) => setDraft(v === '' ? '' : String(v))}
          onBlur={() => {
            const next = draft === '' ? null : Number(draft);
            if (next !== (value ?? null)) onSave(next);
          }}
        />
      );
    case 'date':
      return <TextInput {...common} type="date" value={draft} onChange={(e) => setDraft(e.currentTarget.value)} onBlur={saveText} />;
    default:
      return <TextInput {...common} value={draft} onChange={(e) => setDraft(e.currentTarget.value)} onBlur={saveText} />;
  }
}
