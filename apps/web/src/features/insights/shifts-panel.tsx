import { ActionIcon, Button, Card, Group, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { useStaff } from '../ticket/desk-config.ts';
import { useCreateShift, useDeleteShift, useShifts } from './insights-api.ts';
import { INSIGHTS_CHANNELS } from './insights-channels.ts';

const WEEK = [1, 2, 3, 4, 5, 6, 0];
const hours = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

/** The weekly shifts the staffing plan compares with what is needed; supervisors add and remove them. */
export function ShiftsPanel() {
  const { t } = useTranslation();
  const { can } = useSession();
  const editable = can('teams:manage');
  const shifts = useShifts();
  const staff = useStaff();
  const create = useCreateShift();
  const remove = useDeleteShift();
  const [staffId, setStaffId] = useState<string | null>(null);
  const [weekday, setWeekday] = useState('1');
  const [start, setStart] = useState('9');
  const [end, setEnd] = useState('17');
  const [channel, setChannel] = useState<string | null>(null);
  const name = (id: string) => staff.data?.find((s) => s.id === id)?.name ?? '—';
  const day = (d: number) => t(`insights:days.${d}`);
  const onAdd = (e: FormEvent) => {
    e.preventDefault();
    if (!staffId) return;
    create.mutate(
      { staffId, weekday: Number(weekday), startHour: Number(start), endHour: Number(end), channel },
      {
        onSuccess: () => notifications.show({ color: 'teal', message: t('insights:shifts.added') }),
        onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
      },
    );
  };
  const items = [...(shifts.data?.items ?? [])].sort(
    (a, b) => WEEK.indexOf(a.weekday) - WEEK.indexOf(b.weekday) || a.startHour - b.startHour,
  );
  return (
    <Card withBorder data-testid="shifts">
      <Text fw={600}>{t('insights:shifts.heading')}</Text>
      <Text size="sm" c="dimmed" mb="xs">
        {t('insights:shifts.help')}
      </Text>
      <Stack gap="sm">
        {items.length === 0 ? (
          <Text c="dimmed">{t('insights:shifts.none')}</Text>
        ) : (
          <Table>
            <Table.Tbody>
              {items.map((s) => (
                <Table.Tr key={s.id} data-testid="shift-row">
                  <Table.Td>{name(s.staffId)}</Table.Td>
                  <Table.Td>{day(s.weekday)}</Table.Td>
                  <Table.Td>{t('insights:shifts.hours', { start: s.startHour, end: s.endHour })}</Table.Td>
                  <Table.Td>
                    {s.channel
                      ? t(`insights:channels.${s.channel}`, { defaultValue: s.channel })
                      : t('insights:shifts.any')}
                  </Table.Td>
                  <Table.Td>
                    {editable && (
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('insights:shifts.remove')}
                        onClick={() => remove.mutate(s.id)}
                        data-testid="shift-remove"
                      >
                        ×
                      </ActionIcon>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
        {editable && (
          <form onSubmit={onAdd}>
            <Group align="flex-end" gap="xs" wrap="wrap">
              <Select
                size="xs"
                w={180}
                label={t('insights:shifts.person')}
                data={(staff.data ?? [])
                  .filter((s) => s.status === 'active')
                  .map((s) => ({ value: s.id, label: s.name }))}
                value={staffId}
                onChange={setStaffId}
                searchable
                data-testid="shift-person"
              />
              <Select
                size="xs"
                w={120}
                label={t('insights:shifts.day')}
                data={WEEK.map((d) => ({ value: String(d), label: day(d) }))}
                value={weekday}
                onChange={(v) => setWeekday(v ?? '1')}
                allowDeselect={false}
                data-testid="shift-day"
              />
              <Select
                size="xs"
                w={80}
                label={t('insights:shifts.from')}
                data={hours(0, 23)}
                value={start}
                onChange={(v) => setStart(v ?? '9')}
                allowDeselect={false}
                data-testid="shift-start"
              />
              <Select
                size="xs"
                w={80}
                label={t('insights:shifts.to')}
                data={hours(Number(start) + 1, 24)}
                value={Number(end) > Number(start) ? end : null}
                onChange={(v) => setEnd(v ?? '17')}
                allowDeselect={false}
                data-testid="shift-end"
              />
              <Select
                size="xs"
                w={150}
                label={t('insights:shifts.channel')}
                placeholder={t('insights:shifts.any')}
                data={INSIGHTS_CHANNELS.map((c) => ({ value: c, label: t(`insights:channels.${c}`) }))}
                value={channel}
                onChange={setChannel}
                clearable
              />
              <Button
                size="xs"
                type="submit"
                disabled={!staffId || Number(end) <= Number(start)}
                loading={create.isPending}
                data-testid="shift-add"
              >
                {t('insights:shifts.add')}
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Card>
  );
}
