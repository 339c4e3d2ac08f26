import { Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useKbDeflection } from './kb-api.ts';

const DAYS = 30;

/**
 * Self-service over the last 30 days, per language and channel: how many people were shown articles (in the help
 * widget, the help centre …), opened one, said it solved their problem, or contacted us anyway.
 */
export function KbDeflectionReport() {
  const { t, i18n } = useTranslation();
  const report = useKbDeflection(DAYS);
  const rows = report.data?.items ?? [];
  if (rows.length === 0) return null;
  const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 0 });
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <Paper withBorder p="md" data-testid="kb-deflection">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('kb:deflection.title', { days: DAYS })}
        </Title>
        <Text size="sm" c="dimmed">
          {t('kb:deflection.intro')}
        </Text>
        <Table striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('kb:deflection.channel')}</Table.Th>
              <Table.Th>{t('kb:deflection.language')}</Table.Th>
              <Table.Th>{t('kb:deflection.sessions')}</Table.Th>
              <Table.Th>{t('kb:deflection.opened')}</Table.Th>
              <Table.Th>{t('kb:deflection.solved')}</Table.Th>
              <Table.Th>{t('kb:deflection.submitted')}</Table.Th>
              <Table.Th>{t('kb:deflection.rate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={`${r.channel}:${r.locale ?? ''}`}>
                <Table.Td>{t(`kb:deflection.channels.${r.channel}`, { defaultValue: r.channel })}</Table.Td>
                <Table.Td>
                  {r.locale ? t(`kb:deflection.languages.${r.locale}`, { defaultValue: r.locale }) : '—'}
                </Table.Td>
                <Table.Td>{number.format(r.sessions)}</Table.Td>
                <Table.Td>{number.format(r.articleOpened)}</Table.Td>
                <Table.Td>{number.format(r.articleSolved)}</Table.Td>
                <Table.Td>{number.format(r.contactSubmitted)}</Table.Td>
                <Table.Td>{percent.format(r.deflectionRate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}
