import { ActionIcon, Alert, Badge, Button, Checkbox, Divider, Group, Modal, NumberInput, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type BusinessCalendar, HOLIDAY_COUNTRIES } from '@seva/contracts';
import { IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import { usePhone } from '../admin/use-phone.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { rulesApi, ruleKeys } from './desk-rules-api.ts';

/** A calendar's closed days: imported public holidays, typed holidays and one-off closures. */
export function HolidaysModal({ calendar, onClose }: { calendar: BusinessCalendar; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const refresh = () => qc.invalidateQueries({ queryKey: ruleKeys.calendars });
  const [country, setCountry] = useState<string>(calendar.timeZone === 'Asia/Kolkata' ? 'IN' : 'BD');
  const [region, setRegion] = useState('');
  const [year, setYear] = useState<number>(new Date().getFullYear());
  const [optional, setOptional] = useState(false);
  const [day, setDay] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState<'holiday' | 'closure'>('closure');
  const region2 = (code: string) => new Intl.DisplayNames([i18n.language], { type: 'region' }).of(code) ?? code;

  const imported = useMutation({
    mutationFn: () => rulesApi.importHolidays(calendar.id, { country: country as (typeof HOLIDAY_COUNTRIES)[number], year, includeOptional: optional, ...(region.trim() ? { region: region.trim() } : {}) }),
    onSuccess: (r) => {
      void refresh();
      notifications.show({ color: 'teal', message: t('desk-rules:sla.holidays.imported', { added: r.added, skipped: r.skipped }) });
    },
  });
  const add = useMutation({
    mutationFn: () => rulesApi.addHoliday(calendar.id, { day, name: name.trim(), kind }),
    onSuccess: () => {
      setDay('');
      setName('');
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: string) => rulesApi.deleteHoliday(calendar.id, id),
    onSuccess: () => void refresh(),
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });

  return (
    <Modal opened onClose={onClose} fullScreen={phone} size="xl" centered title={t('desk-rules:sla.holidays.title', { name: calendar.name })}>
      <Stack gap="sm">
        <Text fw={600}>{t('desk-rules:sla.holidays.import')}</Text>
        {imported.error && <Alert color="red">{errorMessage(t, imported.error)}</Alert>}
        <Group align="flex-end" wrap="wrap">
          <Select
            label={t('desk-rules:sla.holidays.country')}
            data={HOLIDAY_COUNTRIES.map((c) => ({ value: c, label: region2(c) }))}
            value={country}
            onChange={(v) => v && setCountry(v)}
            allowDeselect={false}
            w={200}
            data-testid="holiday-country"
          />
          <TextInput label={t('desk-rules:sla.holidays.region')} placeholder="MH" value={region} onChange={(e) => setRegion(e.currentTarget.value)} w={110} />
          <NumberInput label={t('desk-rules:sla.holidays.year')} value={year} onChange={(v) => setYear(Number(v) || year)} min={2000} max={2100} w={110} />
          <Checkbox label={t('desk-rules:sla.holidays.optional')} checked={optional} onChange={(e) => setOptional(e.currentTarget.checked)} mb={8} />
          <Button onClick={() => imported.mutate()} loading={imported.isPending} data-testid="holiday-import">
            {t('desk-rules:sla.holidays.importButton')}
          </Button>
        </Group>
        <Divider />
        <Text fw={600}>{t('desk-rules:sla.holidays.add')}</Text>
        {add.error && <Alert color="red">{errorMessage(t, add.error)}</Alert>}
        <Group align="flex-end" wrap="wrap">
          <TextInput type="date" label={t('desk-rules:sla.holidays.day')} value={day} onChange={(e) => setDay(e.currentTarget.value)} />
          <TextInput label={t('desk-rules:sla.holidays.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            label={t('desk-rules:sla.holidays.kind')}
            data={[
              { value: 'closure', label: t('desk-rules:sla.holidays.closure') },
              { value: 'holiday', label: t('desk-rules:sla.holidays.holiday') },
            ]}
            value={kind}
            onChange={(v) => v && setKind(v as 'holiday' | 'closure')}
            allowDeselect={false}
            w={150}
          />
          <Button variant="light" onClick={() => add.mutate()} disabled={!day || !name.trim()} loading={add.isPending}>
            {t('common:actions.add')}
          </Button>
        </Group>
        <Divider />
        <Text size="sm" c="dimmed">
          {t('desk-rules:sla.holidays.count', { count: calendar.holidays.length, n: formatNumber(calendar.holidays.length, i18n.language) })}
        </Text>
        <Table.ScrollContainer minWidth={500}>
          <Table data-testid="holiday-table">
            <Table.Tbody>
              {calendar.holidays.map((h) => (
                <Table.Tr key={h.id}>
                  <Table.Td>{new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${h.day}T00:00:00Z`))}</Table.Td>
                  <Table.Td>{h.name}</Table.Td>
                  <Table.Td>
                    <Badge variant="light" color={h.kind === 'closure' ? 'orange' : 'blue'}>
                      {t(`desk-rules:sla.holidays.${h.kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {h.source === 'manual' ? t('desk-rules:sla.holidays.manual') : h.source.replace('import:', '')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" color="red" aria-label={t('common:actions.delete')} onClick={() => remove.mutate(h.id)}>
                      <IconTrash size={14} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>
    </Modal>
  );
}
