import { Alert, Badge, Card, Group, Loader, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type DrillTarget, type InsightsParams, type SlaBy, useSlaAchievement } from './insights-api.ts';

const BY: SlaBy[] = ['policy', 'team', 'assignee', 'channel', 'metric'];

/**
 * SLA achievement from the SLA outcomes (Admin → SLAs uses the same facts), per policy, team, person, channel or
 * metric; a click on a row's breached count lists the tickets behind it.
 */
export function SlaPanel(props: {
  params: InsightsParams;
  onDrill: (d: DrillTarget) => void;
  n: (x: number) => string;
}) {
  const { t } = useTranslation();
  const [by, setBy] = useState<SlaBy>('policy');
  const sla = useSlaAchievement(props.params, by);
  const pct = (r: number | null) => (r === null ? '—' : `${props.n(Math.round(r * 1000) / 10)}%`);
  const label = (key: string, l: string) => {
    if (key === 'none') return t('insights:none');
    if (by === 'channel') return t(`insights:channels.${l}`, { defaultValue: l });
    if (by === 'metric') return t(`insights:sla.metrics.${l}`, { defaultValue: l });
    return l;
  };
  const drill = (title: string, query: Record<string, string>) => props.onDrill({ title, query });
  return (
    <Stack gap="md" data-testid="sla-panel">
      <Group justify="space-between">
        <Text fw={600}>{t('insights:sla.heading')}</Text>
        <SegmentedControl
          size="xs"
          value={by}
          onChange={(v) => setBy(v as SlaBy)}
          data={BY.map((b) => ({ value: b, label: t(`insights:sla.by.${b}`) }))}
          aria-label={t('insights:sla.groupBy')}
        />
      </Group>
      {sla.isLoading && <Loader size="sm" />}
      {sla.error && <Alert color="red">{t('insights:states.error')}</Alert>}
      {sla.data && (
        <Card withBorder>
          <Text size="sm" c="dimmed" mb="xs">
            {t('insights:sla.explain')}
          </Text>
          {sla.data.rows.length === 0 ? (
            <Text c="dimmed">{t('insights:states.empty')}</Text>
          ) : (
            <Table striped>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t(`insights:sla.by.${by}`)}</Table.Th>
                  <Table.Th>{t('insights:sla.rate')}</Table.Th>
                  <Table.Th>{t('insights:sla.achieved')}</Table.Th>
                  <Table.Th>{t('insights:sla.breached')}</Table.Th>
                  <Table.Th>{t('insights:sla.total')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {[{ key: '*', label: t('insights:sla.all'), ...sla.data.total }, ...sla.data.rows].map((r) => {
                  const name = r.key === '*' ? r.label : label(r.key, r.label);
                  const row: Record<string, string> = r.key === '*' ? {} : { slaBy: by, slaKey: r.key };
                  return (
                    <Table.Tr key={r.key} data-testid={`sla-row-${r.key}`}>
                      <Table.Td fw={r.key === '*' ? 600 : undefined}>{name}</Table.Td>
                      <Table.Td>
                        <Badge
                          color={r.rate === null ? 'gray' : r.rate >= 0.9 ? 'green' : r.rate >= 0.75 ? 'yellow' : 'red'}
                          variant="light"
                        >
                          {pct(r.rate)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text
                          component="button"
                          size="sm"
                          td="underline"
                          style={{ background: 'none', border: 0, cursor: 'pointer', padding: 0 }}
                          onClick={() =>
                            drill(`${t('insights:sla.achieved')} · ${name}`, { metric: 'sla_achieved', ...row })
                          }
                        >
                          {props.n(r.achieved)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text
                          component="button"
                          size="sm"
                          td="underline"
                          c={r.breached > 0 ? 'red' : undefined}
                          style={{ background: 'none', border: 0, cursor: 'pointer', padding: 0 }}
                          onClick={() =>
                            drill(`${t('insights:sla.breached')} · ${name}`, { metric: 'sla_breached', ...row })
                          }
                          data-testid={`sla-breached-${r.key}`}
                        >
                          {props.n(r.breached)}
                        </Text>
                      </Table.Td>
                      <Table.Td>{props.n(r.total)}</Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          )}
        </Card>
      )}
    </Stack>
  );
}
