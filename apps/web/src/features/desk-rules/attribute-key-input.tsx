import { TextInput } from '@mantine/core';
import { ATTRIBUTE_KEY, type Condition } from '@seva/contracts';
import { useTranslation } from 'react-i18next';

/** The key of a customer attribute condition (e.g. plan), shared by the trigger and the routing rule editors. */
export function AttributeKeyInput({
  c,
  onChange,
  testId,
}: {
  c: Condition;
  onChange(c: Condition): void;
  testId: string;
}) {
  const { t } = useTranslation();
  const key = c.key ?? '';
  return (
    <TextInput
      aria-label={t('desk-rules:rules.attributeKey')}
      placeholder={t('desk-rules:rules.attributeKeyPlaceholder')}
      value={key}
      onChange={(e) => onChange({ ...c, key: e.currentTarget.value })}
      error={key && !ATTRIBUTE_KEY.test(key) ? t('desk-rules:rules.attributeKeyFormat') : undefined}
      w={170}
      data-testid={testId}
    />
  );
}
