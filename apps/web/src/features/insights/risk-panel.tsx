import { Alert, Anchor, Badge, Button, Card, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { useCustomersAtRisk, useRefreshCustomersAtRisk } from './insights-api.ts';

/**
 * Customers at risk (lowest health first, with the reasons) and the ones who went quiet, over the last 30 or 90 days:
 * from the server's background snapshot, with when it was computed and a button to compute it now.
 */
export function RiskPanel(props: { n: (x: number) => string }) {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState('30');
  const r = useCustomersAtRisk(Number(days));
  const refresh = useRefreshCustomersAtRisk(Number(days));
  const customerLink = (id: string, name: string) => (
    <Anchor renderRoot={(p) => <Link {...p} to="/customers/$customerId" params={{ customerId: id }} />}>
      {name || t('insights:risk.unnamed')}
    </Anchor>
  );
  return (
    <Stack gap="md">
      <Group justify="space-between">
        <SegmentedControl
          w="fit-content"
          value={days}
          onChange={setDays}
          data={['30', '90'].map((d) => ({ value: d, label: t('insights:range.lastDays', { n: Number(d) }) }))}
        />
        <Group gap="xs">
          {r.data && (
            <Text size="sm" c="dimmed" data-testid="risk-as-of">
              {t('insights:risk.asOf', { when: formatDateTime(r.data.asOf, i18n.language) })}
            </Text>
          )}
          <Button
            size="xs"
            variant="light"
            loading={refresh.isPending}
            onClick={() => refresh.mutate()}
            data-testid="risk-refresh"
          >
            {t('insights:risk.refresh')}
          </Button>
        </Group>
      </Group>
      {(r.error || refresh.error) && <Alert color="red">{t('insights:states.error')}</Alert>}
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('insights:risk.atRisk')}
        </Text>
        <Table data-testid="customers-at-risk">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('insights:risk.customer')}</Table.Th>
              <Table.Th>{t('insights:risk.health')}</Table.Th>
              <Table.Th>{t('insights:risk.reasons')}</Table.Th>
              <Table.Th>{t('insights:risk.lastContact')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {r.data?.atRisk.map((c) => (
              <Table.Tr key={c.customerId}>
                <Table.Td>{customerLink(c.customerId, c.name)}</Table.Td>
                <Table.Td>
                  <Badge color={c.health < 40 ? 'red' : 'orange'}>{props.n(c.health)}</Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {c.reasons.map((x) => (
                      <Badge key={x.reason} variant="light" color="gray">
                        {t(`insights:risk.reason.${x.reason}`, { n: x.count })}
                      </Badge>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{c.lastContactAt ? formatDateTime(c.lastContactAt, i18n.language) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {r.data?.atRisk.length === 0 && <Text c="dimmed">{t('insights:risk.none')}</Text>}
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('insights:risk.lowEngagement')}
        </Text>
        {r.data?.lowEngagement.map((c) => (
          <Text size="sm" key={c.customerId}>
            {customerLink(c.customerId, c.name)} —{' '}
            {t('insights:risk.previously', {
              n: props.n(c.previousContacts),
              when: formatDateTime(c.lastContactAt, i18n.language),
            })}
          </Text>
        ))}
        {r.data?.lowEngagement.length === 0 && <Text c="dimmed">{t('insights:risk.none')}</Text>}
      </Card>
    </Stack>
  );
}
