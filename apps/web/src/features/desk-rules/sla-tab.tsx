import { ActionIcon, Alert, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Switch, Table, Text, Title, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { BusinessCalendar, SlaPolicy } from '@seva/contracts';
import { IconCalendarOff, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { useDuration } from '../sla/sla-countdown.tsx';
import { CalendarModal, weekdayName } from './calendar-modal.tsx';
import { rulesApi, ruleKeys } from './desk-rules-api.ts';
import { HolidaysModal } from './holidays-modal.tsx';
import { minutesAsParts } from './policy-form.ts';
import { PolicyModal } from './policy-modal.tsx';
import { DAYS, weekFromApi, weeklyHours } from './weekly-hours.ts';

/** SLAs in the admin: business-hours calendars, policies in the order they are tried, and achievement. */
export function SlaTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const duration = useDuration();
  const calendars = useQuery({ queryKey: ruleKeys.calendars, queryFn: rulesApi.calendars });
  const policies = useQuery({ queryKey: ruleKeys.policies, queryFn: rulesApi.policies });
  const [calendar, setCalendar] = useState<BusinessCalendar | 'new' | null>(null);
  const [holidaysOf, setHolidaysOf] = useState<string | null>(null);
  const [policy, setPolicy] = useState<SlaPolicy | 'new' | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const onError = (err: unknown) => {
    setConfirm(null);
    notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  };
  const removeCalendar = useMutation({
    mutationFn: rulesApi.deleteCalendar,
    onSuccess: () => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['sla'] });
    },
    onError,
  });
  const removePolicy = useMutation({
    mutationFn: rulesApi.deletePolicy,
    onSuccess: () => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['sla'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
    },
    onError,
  });
  const toggle = useMutation({
    mutationFn: (p: SlaPolicy) => rulesApi.updatePolicy(p.id, { active: !p.active }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ruleKeys.policies }),
    onError,
  });
  const holidayCalendar = calendars.data?.find((c) => c.id === holidaysOf);

  return (
    <Stack gap="lg" data-testid="sla-admin">
      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4">
              {t('desk-rules:sla.calendars')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('desk-rules:sla.calendarsHelp')}
            </Text>
          </div>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setCalendar('new')} data-testid="calendar-create">
            {t('desk-rules:sla.calendar.create')}
          </Button>
        </Group>
        {calendars.error && <Alert color="red">{errorMessage(t, calendars.error)}</Alert>}
        {calendars.data?.length === 0 && <Text c="dimmed">{t('desk-rules:sla.calendar.none')}</Text>}
        <SimpleGrid cols={{ base: 1, md: 2 }}>
          {(calendars.data ?? []).map((c) => {
            const week = weekFromApi(c.weekly);
            return (
              <Card key={c.id} withBorder data-testid={`calendar-${c.name}`}>
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <div>
                    <Group gap={6}>
                      <Text fw={600}>{c.name}</Text>
                      {c.isDefault && <Badge size="sm">{t('desk-rules:sla.calendar.defaultBadge')}</Badge>}
                    </Group>
                    <Text size="sm" c="dimmed">
                      {c.timeZone} · {t('desk-rules:sla.calendar.perWeek', { hours: weeklyHours(week) })}
                    </Text>
                  </div>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('desk-rules:sla.holidays.button')}>
                      <ActionIcon variant="subtle" aria-label={t('desk-rules:sla.holidays.button')} onClick={() => setHolidaysOf(c.id)} data-testid="calendar-holidays">
                        <IconCalendarOff size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <ActionIcon variant="subtle" aria-label={t('common:actions.edit')} onClick={() => setCalendar(c)}>
                      <IconPencil size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('common:actions.delete')}
                      onClick={() =>
                        setConfirm({
                          title: t('desk-rules:sla.calendar.deleteTitle'),
                          message: t('desk-rules:sla.calendar.deleteConfirm', { name: c.name }),
                          confirmLabel: t('common:actions.delete'),
                          danger: true,
                          onConfirm: () => removeCalendar.mutate(c.id),
                        })
                      }
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Group>
                <Stack gap={0} mt="xs">
                  {DAYS.filter((d) => week[d].length > 0).map((d) => (
                    <Text key={d} size="xs">
                      {weekdayName(d, i18n.language)}: {week[d].map((s) => `${s.start}–${s.end}`).join(', ')}
                    </Text>
                  ))}
                </Stack>
                <Text size="xs" c="dimmed" mt="xs">
                  {t('desk-rules:sla.holidays.count', { count: c.holidays.length, n: formatNumber(c.holidays.length, i18n.language) })}
                </Text>
              </Card>
            );
          })}
        </SimpleGrid>
      </Stack>

      <Stack gap="sm">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4">
              {t('desk-rules:sla.policies')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('desk-rules:sla.policiesHelp')}
            </Text>
          </div>
          <Button leftSection={<IconPlus size={16} />} onClick={() => setPolicy('new')} data-testid="policy-create">
            {t('desk-rules:sla.policy.create')}
          </Button>
        </Group>
        {policies.data?.length === 0 && <Text c="dimmed">{t('desk-rules:sla.policy.none')}</Text>}
        {(policies.data?.length ?? 0) > 0 && (
          <Table.ScrollContainer minWidth={700}>
            <Table data-testid="policy-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('desk-rules:sla.policy.name')}</Table.Th>
                  <Table.Th>{t('desk-rules:sla.policy.targets')}</Table.Th>
                  <Table.Th>{t('desk-rules:sla.policy.time')}</Table.Th>
                  <Table.Th>{t('desk-rules:common.active')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {(policies.data ?? []).map((p) => (
                  <Table.Tr key={p.id} data-testid={`policy-${p.name}`}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {p.name}
                      </Text>
                      {p.description && (
                        <Text size="xs" c="dimmed">
                          {p.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      {(['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const)
                        .filter((k) => p.targets[k])
                        .map((k) => {
                          const parts = minutesAsParts(p.targets[k] ?? 0);
                          return (
                            <Text key={k} size="xs">
                              {t(`desk-rules:sla.target.${k}`)}: {duration({ days: parts.d, hours: parts.h, minutes: parts.m })}
                            </Text>
                          );
                        })}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{p.businessHours ? t('desk-rules:sla.policy.businessHoursShort') : t('desk-rules:sla.policy.calendarTimeShort')}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Switch checked={p.active} onChange={() => toggle.mutate(p)} aria-label={t('desk-rules:common.active')} />
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4} wrap="nowrap" justify="flex-end">
                        <ActionIcon variant="subtle" aria-label={t('common:actions.edit')} onClick={() => setPolicy(p)}>
                          <IconPencil size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('common:actions.delete')}
                          onClick={() =>
                            setConfirm({
                              title: t('desk-rules:sla.policy.deleteTitle'),
                              message: t('desk-rules:sla.policy.deleteConfirm', { name: p.name }),
                              confirmLabel: t('common:actions.delete'),
                              danger: true,
                              onConfirm: () => removePolicy.mutate(p.id),
                            })
                          }
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>

      <SlaReportCard />

      {calendar && <CalendarModal calendar={calendar === 'new' ? null : calendar} onClose={() => setCalendar(null)} />}
      {holidayCalendar && <HolidaysModal calendar={holidayCalendar} onClose={() => setHolidaysOf(null)} />}
      {policy && <PolicyModal policy={policy === 'new' ? null : policy} onClose={() => setPolicy(null)} />}
      <ConfirmModal request={confirm} loading={removeCalendar.isPending || removePolicy.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

const BY = ['policy', 'team', 'assignee', 'channel', 'metric'] as const;

/** Achievement this month: finished clock cycles met in time, by policy, team, person, channel or metric. */
function SlaReportCard() {
  const { t, i18n } = useTranslation();
  const [by, setBy] = useState<(typeof BY)[number]>('policy');
  const now = new Date();
  const from = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-01`;
  const to = now.toISOString().slice(0, 10);
  const q = { from, to, by };
  const report = useQuery({ queryKey: ruleKeys.report(q), queryFn: () => rulesApi.report(q) });
  const label = (key: string | null, fallback: string) => {
    if (by === 'metric' && key) return t(`sla:metric.${key}`);
    if (by === 'channel' && key) return t(`ticket:channel.${key}`, { defaultValue: key });
    return fallback || t('desk-rules:sla.report.none');
  };
  return (
    <Card withBorder data-testid="sla-report">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h4">
          {t('desk-rules:sla.report.title')}
        </Title>
        <Select data={BY.map((b) => ({ value: b, label: t(`desk-rules:sla.report.by.${b}`) }))} value={by} onChange={(v) => v && setBy(v as (typeof BY)[number])} allowDeselect={false} w={180} />
      </Group>
      {report.data?.rows.length === 0 && <Text c="dimmed">{t('desk-rules:sla.report.empty')}</Text>}
      {(report.data?.rows.length ?? 0) > 0 && (
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th />
              <Table.Th>{t('desk-rules:sla.report.total')}</Table.Th>
              <Table.Th>{t('desk-rules:sla.report.achieved')}</Table.Th>
              <Table.Th>{t('desk-rules:sla.report.breached')}</Table.Th>
              <Table.Th>{t('desk-rules:sla.report.rate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {report.data?.rows.map((r) => (
              <Table.Tr key={r.key ?? 'none'}>
                <Table.Td>{label(r.key, r.label)}</Table.Td>
                <Table.Td>{formatNumber(r.total, i18n.language)}</Table.Td>
                <Table.Td>{formatNumber(r.achieved, i18n.language)}</Table.Td>
                <Table.Td>{formatNumber(r.breached, i18n.language)}</Table.Td>
                <Table.Td>{r.rate === null ? '—' : new Intl.NumberFormat(i18n.language, { style: 'percent' }).format(r.rate)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
