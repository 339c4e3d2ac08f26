import { Group, Progress, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { passwordStrength } from './validate-password.ts';

const COLORS = ['red', 'red', 'orange', 'yellow', 'teal'] as const;
const LABELS = ['tooShort', 'weak', 'fair', 'good', 'strong'] as const;

/** How strong a new password is, shown under the field while typing. */
export function PasswordMeter({ password }: { password: string }) {
  const { t } = useTranslation();
  if (!password) return null;
  const score = passwordStrength(password);
  return (
    <Group gap="xs" wrap="nowrap" aria-live="polite" data-testid="password-strength">
      <Progress value={score === 0 ? 10 : score * 25} color={COLORS[score]} size="sm" style={{ flex: 1 }} aria-hidden />
      <Text size="xs" c="dimmed" miw={70} ta="right">
        {t(`auth:strength.${LABELS[score]}`)}
      </Text>
    </Group>
  );
}
