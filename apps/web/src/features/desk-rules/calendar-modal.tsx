import { ActionIcon, Alert, Autocomplete, Button, Group, Modal, MultiSelect, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { BusinessCalendar, Mailbox } from '@seva/contracts';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi, adminKeys } from '../admin/admin-api.ts';
import { usePhone } from '../admin/use-phone.ts';
import { api } from '../../lib/api.ts';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { rulesApi, ruleKeys } from './desk-rules-api.ts';
import { DAYS, type DayKey, standardWeek, type WeekForm, weekFromApi, weeklyHours, weekProblems, weekToApi } from './weekly-hours.ts';

export const TIME_ZONES = ['Asia/Dhaka', 'Asia/Kolkata', 'Asia/Kathmandu', 'Asia/Colombo', 'Asia/Karachi', 'Asia/Dubai', 'Asia/Singapore', 'Europe/London', 'America/New_York', 'UTC'];

/** Local weekday names from Intl (2026-03-01 was a Sunday), so every language gets them without keys. */
export function weekdayName(day: DayKey, locale: string): string {
  return new Intl.DateTimeFormat(locale, { weekday: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 2, 1 + Number(day))));
}

/** Create or edit a business-hours calendar: zone, default, teams, and the weekly shifts (split shifts allowed). */
export function CalendarModal({ calendar, onClose }: { calendar: BusinessCalendar | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const [name, setName] = useState(calendar?.name ?? '');
  const [timeZone, setTimeZone] = useState(calendar?.timeZone ?? 'Asia/Dhaka');
  const [isDefault, setIsDefault] = useState(calendar?.isDefault ?? false);
  const mailboxes = useQuery({ queryKey: ['mailboxes', 'calendar'], queryFn: () => api.get<{ items: Mailbox[] }>('/mailboxes').then((r) => r.items) });
  const [teamIds, setTeamIds] = useState<string[]>(calendar?.assignments.filter((a) => a.kind === 'team').map((a) => a.id) ?? []);
  const [mailboxIds, setMailboxIds] = useState<string[]>(calendar?.assignments.filter((a) => a.kind === 'mailbox').map((a) => a.id) ?? []);
  const [week, setWeek] = useState<WeekForm>(calendar ? weekFromApi(calendar.weekly) : standardWeek(['0', '1', '2', '3', '4']));
  const problems = weekProblems(week);

  const save = useMutation({
    mutationFn: () => {
      const others = calendar?.assignments.filter((a) => a.kind === 'widget') ?? [];
      const assignments = [...others, ...teamIds.map((id) => ({ kind: 'team' as const, id })), ...mailboxIds.map((id) => ({ kind: 'mailbox' as const, id }))];
      const body = { name: name.trim(), timeZone: timeZone.trim(), isDefault, weekly: weekToApi(week), assignments };
      return calendar ? rulesApi.updateCalendar(calendar.id, body) : rulesApi.createCalendar(body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ruleKeys.calendars });
      notifications.show({ color: 'teal', message: t('desk-rules:sla.calendar.saved', { name: name.trim() }) });
      onClose();
    },
  });

  const setShift = (day: DayKey, i: number, part: 'start' | 'end', value: string) =>
    setWeek((w) => ({ ...w, [day]: w[day].map((s, j) => (j === i ? { ...s, [part]: value } : s)) }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || Object.keys(problems).length > 0) return;
    save.mutate();
  };

  return (
    <Modal opened onClose={onClose} fullScreen={phone} size="xl" centered title={calendar ? t('desk-rules:sla.calendar.edit') : t('desk-rules:sla.calendar.create')}>
      <form onSubmit={onSubmit} noValidate data-testid="calendar-form">
        <Stack gap="sm">
          {save.error && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput
            label={t('desk-rules:sla.calendar.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={!name.trim() && save.isError ? t('admin:validation.required') : fieldError(save.error, 'name')}
            data-testid="calendar-name"
          />
          <Autocomplete
            label={t('desk-rules:sla.calendar.timeZone')}
            description={t('desk-rules:sla.calendar.timeZoneHelp')}
            data={TIME_ZONES}
            value={timeZone}
            onChange={setTimeZone}
            error={fieldError(save.error, 'timeZone')}
            data-testid="calendar-zone"
          />
          <Switch label={t('desk-rules:sla.calendar.default')} checked={isDefault} onChange={(e) => setIsDefault(e.currentTarget.checked)} />
          <MultiSelect
            label={t('desk-rules:sla.calendar.teams')}
            data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            value={teamIds}
            onChange={setTeamIds}
            searchable
            clearable
          />
          <MultiSelect
            label={t('desk-rules:sla.calendar.mailboxes')}
            data={(mailboxes.data ?? []).map((m) => ({ value: m.id, label: `${m.name} <${m.address}>` }))}
            value={mailboxIds}
            onChange={setMailboxIds}
            searchable
            clearable
          />
          <Group justify="space-between">
            <Text fw={600}>{t('desk-rules:sla.calendar.hours')}</Text>
            <Text size="sm" c="dimmed">
              {t('desk-rules:sla.calendar.perWeek', { hours: weeklyHours(week) })}
            </Text>
          </Group>
          {DAYS.map((day) => (
            <Group key={day} align="flex-start" wrap="nowrap" data-testid={`calendar-day-${day}`}>
              <Text w={110} pt={6} size="sm">
                {weekdayName(day, i18n.language)}
              </Text>
              <Stack gap={4} style={{ flex: 1 }}>
                {week[day].length === 0 && (
                  <Text size="sm" c="dimmed" pt={6}>
                    {t('desk-rules:sla.calendar.closed')}
                  </Text>
                )}
                {week[day].map((s, i) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: shifts have no identity beyond their place
                  <Group key={i} gap={6} wrap="nowrap">
                    <TextInput type="time" size="xs" value={s.start} onChange={(e) => setShift(day, i, 'start', e.currentTarget.value)} aria-label={t('desk-rules:sla.calendar.start')} />
                    <Text size="sm">–</Text>
                    <TextInput type="time" size="xs" value={s.end} onChange={(e) => setShift(day, i, 'end', e.currentTarget.value)} aria-label={t('desk-rules:sla.calendar.end')} />
                    <ActionIcon variant="subtle" color="gray" aria-label={t('desk-rules:sla.calendar.removeShift')} onClick={() => setWeek((w) => ({ ...w, [day]: w[day].filter((_, j) => j !== i) }))}>
                      <IconX size={14} />
                    </ActionIcon>
                  </Group>
                ))}
                {problems[day] && (
                  <Text size="xs" c="red">
                    {t(`desk-rules:sla.week.${problems[day]}`)}
                  </Text>
                )}
              </Stack>
              <Button
                size="xs"
                variant="subtle"
                leftSection={<IconPlus size={14} />}
                onClick={() => setWeek((w) => ({ ...w, [day]: [...w[day], w[day].length === 0 ? { start: '09:00', end: '17:00' } : { start: '14:00', end: '17:00' }] }))}
              >
                {t('desk-rules:sla.calendar.addShift')}
              </Button>
            </Group>
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim() || Object.keys(problems).length > 0} data-testid="calendar-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
