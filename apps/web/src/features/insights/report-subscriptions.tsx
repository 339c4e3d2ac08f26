import { Alert, Button, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import type { InsightsReportSubscription } from '@seva/contracts';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import {
  useCreateReportSubscription,
  useDeleteReportSubscription,
  useReportSubscriptions,
  useSendReportNow,
} from './insights-api.ts';

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 0];

/**
 * My scheduled email reports: a daily or weekly dashboard digest (key figures, hot buttons, SLA, CSAT) at a local
 * hour, optionally for the channel chosen on the page; stop one, or have the latest one sent now.
 */
export function ReportSubscriptionsPanel(props: { channel?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const list = useReportSubscriptions();
  const create = useCreateReportSubscription();
  const remove = useDeleteReportSubscription();
  const sendNow = useSendReportNow();
  const [frequency, setFrequency] = useState<'daily' | 'weekly'>('weekly');
  const [weekday, setWeekday] = useState('1');
  const [hour, setHour] = useState('7');
  const [sent, setSent] = useState<string | null>(null);
  const dayName = (d: number) => t(`insights:reports.weekdays.${d}`);
  const when = (s: InsightsReportSubscription) =>
    s.frequency === 'daily'
      ? t('insights:reports.whenDaily', { hour: String(s.hour).padStart(2, '0'), tz: s.timeZone })
      : t('insights:reports.whenWeekly', {
          day: dayName(s.weekday),
          hour: String(s.hour).padStart(2, '0'),
          tz: s.timeZone,
        });
  const filters = (s: InsightsReportSubscription) =>
    s.filters.channel
      ? t('insights:reports.channelOnly', {
          channel: t(`insights:channels.${s.filters.channel}`, { defaultValue: s.filters.channel }),
        })
      : t('insights:reports.everything');

  return (
    <Stack gap="md" maw={760} data-testid="report-subscriptions">
      <Text size="sm" c="dimmed">
        {t('insights:reports.explain')}
      </Text>
      <Card withBorder>
        <Group align="flex-end" gap="sm" wrap="wrap">
          <Select
            label={t('insights:reports.frequency')}
            data={[
              { value: 'daily', label: t('insights:reports.daily') },
              { value: 'weekly', label: t('insights:reports.weekly') },
            ]}
            value={frequency}
            onChange={(v) => setFrequency(v === 'daily' ? 'daily' : 'weekly')}
            allowDeselect={false}
            w={140}
            data-testid="report-frequency"
          />
          {frequency === 'weekly' && (
            <Select
              label={t('insights:reports.weekday')}
              data={WEEKDAYS.map((d) => ({ value: String(d), label: dayName(d) }))}
              value={weekday}
              onChange={(v) => setWeekday(v ?? '1')}
              allowDeselect={false}
              w={150}
            />
          )}
          <Select
            label={t('insights:reports.hour')}
            data={Array.from({ length: 24 }, (_, h) => ({
              value: String(h),
              label: `${String(h).padStart(2, '0')}:00`,
            }))}
            value={hour}
            onChange={(v) => setHour(v ?? '7')}
            allowDeselect={false}
            w={110}
          />
          <Button
            loading={create.isPending}
            data-testid="report-subscribe"
            onClick={() =>
              create.mutate({
                frequency,
                weekday: Number(weekday),
                hour: Number(hour),
                timeZone: tz,
                filters: props.channel ? { channel: props.channel } : {},
              })
            }
          >
            {t('insights:reports.subscribe')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt="xs">
          {props.channel
            ? t('insights:reports.willUseChannel', {
                channel: t(`insights:channels.${props.channel}`, { defaultValue: props.channel }),
                tz,
              })
            : t('insights:reports.willUseAll', { tz })}
        </Text>
        {create.error && (
          <Alert color="red" mt="sm">
            {t('insights:reports.failed')}
          </Alert>
        )}
      </Card>
      {sent && <Alert color="green">{t('insights:reports.sentNow')}</Alert>}
      {list.data && list.data.items.length === 0 && <Text c="dimmed">{t('insights:reports.none')}</Text>}
      {list.data && list.data.items.length > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('insights:reports.when')}</Table.Th>
              <Table.Th>{t('insights:reports.what')}</Table.Th>
              <Table.Th>{t('insights:reports.lastSent')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((s) => (
              <Table.Tr key={s.id} data-testid="report-row">
                <Table.Td>{when(s)}</Table.Td>
                <Table.Td>{filters(s)}</Table.Td>
                <Table.Td>
                  {s.lastSentAt ? formatDateTime(s.lastSentAt, i18n.language) : t('insights:reports.never')}
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" justify="flex-end">
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => sendNow.mutate(s.id, { onSuccess: () => setSent(s.id) })}
                    >
                      {t('insights:reports.sendNow')}
                    </Button>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => remove.mutate(s.id)}
                      data-testid="report-stop"
                    >
                      {t('insights:reports.stop')}
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
