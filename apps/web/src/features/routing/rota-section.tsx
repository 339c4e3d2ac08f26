import {
  ActionIcon,
  Alert,
  Autocomplete,
  Button,
  Card,
  Chip,
  Group,
  Modal,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { DutyShift, DutyShiftSeries, TimeOffEntry } from '@seva/contracts';
import { IconPencil, IconPlus, IconRepeat, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { browserTimeZone, isoToLocalInput, overlapOf, type SeriesForm, seriesBody, weekdaysText } from './rota-form.ts';
import { routingApi, routingKeys } from './routing-api.ts';
import { localInputToIso, periodProblem } from './routing-rule-form.ts';

type Option = { value: string; label: string };

/** A rota error in words: an overlap names the other period in the reader's language and zone. */
function rotaError(t: TFunction, language: string, err: unknown): string {
  const other = overlapOf(err);
  if (other)
    return t('routing:rota.problem.overlap', {
      from: formatDateTime(other.startsAt, language),
      to: formatDateTime(other.endsAt, language),
    });
  return errorMessage(t, err);
}

/** Short local weekday name from Intl (2026-03-01 was a Sunday), so every language gets it without keys. */
const dayName = (day: number, language: string) =>
  new Intl.DateTimeFormat(language, { weekday: 'short', timeZone: 'UTC' }).format(new Date(Date.UTC(2026, 2, 1 + day)));

/** Change and cancel buttons of one rota row (`<testId>-edit`, `<testId>-delete`). */
function RowActions(p: { testId: string; editLabel: string; cancelLabel: string; onEdit(): void; onCancel(): void }) {
  return (
    <Group gap={2} wrap="nowrap">
      <ActionIcon variant="subtle" aria-label={p.editLabel} onClick={p.onEdit} data-testid={`${p.testId}-edit`}>
        <IconPencil size={16} />
      </ActionIcon>
      <ActionIcon
        variant="subtle"
        color="red"
        aria-label={p.cancelLabel}
        onClick={p.onCancel}
        data-testid={`${p.testId}-delete`}
      >
        <IconTrash size={16} />
      </ActionIcon>
    </Group>
  );
}

/** Admin → Routing: time off (no work is routed to them) and duty shifts (people outside support take work then). */
export function RotaSection({ people, teams }: { people: Option[]; teams: Option[] }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const timeOff = useQuery({ queryKey: routingKeys.timeOff, queryFn: routingApi.timeOff });
  const shifts = useQuery({ queryKey: routingKeys.shifts, queryFn: routingApi.shifts });
  const series = useQuery({ queryKey: routingKeys.series, queryFn: routingApi.series });
  const [editing, setEditing] = useState<
    | { kind: 'timeOff'; entry: TimeOffEntry | null }
    | { kind: 'shift'; entry: DutyShift | null }
    | { kind: 'series'; entry: DutyShiftSeries | null }
    | null
  >(null);
  const onError = (err: unknown) =>
    notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: routingKeys.timeOff });
    void qc.invalidateQueries({ queryKey: routingKeys.shifts });
    void qc.invalidateQueries({ queryKey: routingKeys.series });
    void qc.invalidateQueries({ queryKey: routingKeys.staff });
  };
  const removeTimeOff = useMutation({ mutationFn: routingApi.deleteTimeOff, onSuccess: refresh, onError });
  const removeShift = useMutation({ mutationFn: routingApi.deleteShift, onSuccess: refresh, onError });
  const removeSeries = useMutation({ mutationFn: routingApi.deleteSeries, onSuccess: refresh, onError });
  const when = (iso: string) => formatDateTime(iso, i18n.language);

  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} data-testid="routing-rota">
      <Card withBorder data-testid="time-off">
        <Group justify="space-between" mb="xs">
          <div>
            <Title order={3} size="h5">
              {t('routing:rota.timeOff')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('routing:rota.timeOffHelp')}
            </Text>
          </div>
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setEditing({ kind: 'timeOff', entry: null })}
            data-testid="time-off-add"
          >
            {t('routing:rota.addTimeOff')}
          </Button>
        </Group>
        {(timeOff.data ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('routing:rota.noTimeOff')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={420}>
            <Table>
              <Table.Tbody>
                {(timeOff.data ?? []).map((x) => (
                  <Table.Tr key={x.id} data-testid="time-off-row" data-person={x.name}>
                    <Table.Td>
                      <Text size="sm">{x.name}</Text>
                      {x.note && (
                        <Text size="xs" c="dimmed">
                          {x.note}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{t('routing:rota.period', { from: when(x.startsAt), to: when(x.endsAt) })}</Text>
                    </Table.Td>
                    <Table.Td>
                      <RowActions
                        testId="time-off"
                        editLabel={t('routing:rota.editTimeOff', { name: x.name })}
                        cancelLabel={t('routing:rota.cancelTimeOff', { name: x.name })}
                        onEdit={() => setEditing({ kind: 'timeOff', entry: x })}
                        onCancel={() => removeTimeOff.mutate(x.id)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Card withBorder data-testid="duty-shifts">
        <Group justify="space-between" mb="xs">
          <div>
            <Title order={3} size="h5">
              {t('routing:rota.shifts')}
            </Title>
            <Text size="xs" c="dimmed">
              {t('routing:rota.shiftsHelp')}
            </Text>
          </div>
          <Group gap="xs">
            <Button
              size="xs"
              leftSection={<IconPlus size={14} />}
              onClick={() => setEditing({ kind: 'shift', entry: null })}
              data-testid="shift-add"
            >
              {t('routing:rota.addShift')}
            </Button>
            <Button
              size="xs"
              variant="light"
              leftSection={<IconRepeat size={14} />}
              onClick={() => setEditing({ kind: 'series', entry: null })}
              data-testid="series-add"
            >
              {t('routing:rota.addSeries')}
            </Button>
          </Group>
        </Group>
        {(shifts.data ?? []).length === 0 && (series.data ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('routing:rota.noShifts')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={420}>
            <Table>
              <Table.Tbody>
                {(series.data ?? []).map((x) => (
                  <Table.Tr key={x.id} data-testid="series-row" data-person={x.name}>
                    <Table.Td>
                      <Text size="sm">{x.name}</Text>
                      <Text size="xs" c="dimmed">
                        {x.teamName ?? t('routing:rota.anyTeam')}
                        {x.note ? ` · ${x.note}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs" data-testid="series-summary">
                        {t('routing:rota.seriesSummary', {
                          days: weekdaysText(x.weekdays, (d) => dayName(d, i18n.language)),
                          from: x.startTime,
                          to: x.endTime,
                          zone: x.timeZone,
                          until: x.until,
                        })}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {x.nextStartsAt
                          ? t('routing:rota.next', { when: when(x.nextStartsAt) })
                          : t('routing:rota.noneLeft')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <RowActions
                        testId="series"
                        editLabel={t('routing:rota.editSeries', { name: x.name })}
                        cancelLabel={t('routing:rota.cancelSeries', { name: x.name })}
                        onEdit={() => setEditing({ kind: 'series', entry: x })}
                        onCancel={() => removeSeries.mutate(x.id)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
                {(shifts.data ?? []).map((x) => (
                  <Table.Tr key={x.id} data-testid="shift-row" data-person={x.name}>
                    <Table.Td>
                      <Text size="sm">{x.name}</Text>
                      <Text size="xs" c="dimmed">
                        {x.teamName ?? t('routing:rota.anyTeam')}
                        {x.note ? ` · ${x.note}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="xs">{t('routing:rota.period', { from: when(x.startsAt), to: when(x.endsAt) })}</Text>
                    </Table.Td>
                    <Table.Td>
                      <RowActions
                        testId="shift"
                        editLabel={t('routing:rota.editShift', { name: x.name })}
                        cancelLabel={t('routing:rota.cancelShift', { name: x.name })}
                        onEdit={() => setEditing({ kind: 'shift', entry: x })}
                        onCancel={() => removeShift.mutate(x.id)}
                      />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {editing?.kind === 'series' && (
        <SeriesModal
          entry={editing.entry}
          people={people}
          teams={teams}
          onClose={() => setEditing(null)}
          onSaved={() => {
            refresh();
            setEditing(null);
          }}
        />
      )}
      {(editing?.kind === 'timeOff' || editing?.kind === 'shift') && (
        <PeriodModal
          kind={editing.kind}
          entry={editing.entry}
          people={people}
          teams={teams}
          onClose={() => setEditing(null)}
          onSaved={() => {
            refresh();
            setEditing(null);
          }}
        />
      )}
    </SimpleGrid>
  );
}

/** Add or change time off or a one-off duty shift (the person of an existing one stays). */
function PeriodModal({
  kind,
  entry,
  people,
  teams,
  onClose,
  onSaved,
}: {
  kind: 'timeOff' | 'shift';
  entry: TimeOffEntry | DutyShift | null;
  people: Option[];
  teams: Option[];
  onClose(): void;
  onSaved(): void;
}) {
  const { t, i18n } = useTranslation();
  const [userId, setUserId] = useState<string | null>(entry?.userId ?? null);
  const [teamId, setTeamId] = useState<string | null>(entry && 'teamId' in entry ? entry.teamId : null);
  const [startsAt, setStartsAt] = useState(entry ? isoToLocalInput(entry.startsAt) : '');
  const [endsAt, setEndsAt] = useState(entry ? isoToLocalInput(entry.endsAt) : '');
  const [note, setNote] = useState(entry?.note ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: async (b: { userId: string; startsAt: string; endsAt: string }) => {
      if (entry && kind === 'timeOff')
        await routingApi.updateTimeOff(entry.id, { startsAt: b.startsAt, endsAt: b.endsAt, note: note.trim() });
      else if (entry)
        await routingApi.updateShift(entry.id, { teamId, startsAt: b.startsAt, endsAt: b.endsAt, note: note.trim() });
      else if (kind === 'timeOff')
        await routingApi.addTimeOff(b.userId, {
          startsAt: b.startsAt,
          endsAt: b.endsAt,
          ...(note.trim() ? { note: note.trim() } : {}),
        });
      else await routingApi.addShift({ ...b, teamId, ...(note.trim() ? { note: note.trim() } : {}) });
    },
    onSuccess: onSaved,
  });
  const submit = () => {
    if (!userId) return setProblem(t('routing:rota.problem.person'));
    const p = periodProblem(startsAt, endsAt);
    if (p) return setProblem(t(`routing:rota.problem.${p}`));
    setProblem(null);
    save.mutate({ userId, startsAt: localInputToIso(startsAt) as string, endsAt: localInputToIso(endsAt) as string });
  };
  const title = entry
    ? t(kind === 'timeOff' ? 'routing:rota.changeTimeOff' : 'routing:rota.changeShift')
    : t(kind === 'timeOff' ? 'routing:rota.addTimeOff' : 'routing:rota.addShift');
  return (
    <Modal opened onClose={onClose} centered title={title}>
      <Stack gap="sm" data-testid="period-form">
        {(problem || save.error) && (
          <Alert color="red" data-testid="period-problem">
            {problem ?? rotaError(t, i18n.language, save.error)}
          </Alert>
        )}
        <Select
          label={t('routing:admin.person')}
          data={people}
          value={userId}
          onChange={setUserId}
          searchable
          disabled={entry !== null}
          data-testid="period-person"
        />
        {kind === 'shift' && (
          <Select
            label={t('routing:rota.team')}
            description={t('routing:rota.teamHelp')}
            data={teams}
            value={teamId}
            onChange={setTeamId}
            clearable
            data-testid="period-team"
          />
        )}
        <Group grow>
          <TextInput
            type="datetime-local"
            label={t('routing:rota.from')}
            value={startsAt}
            onChange={(e) => setStartsAt(e.currentTarget.value)}
            data-testid="period-from"
          />
          <TextInput
            type="datetime-local"
            label={t('routing:rota.to')}
            value={endsAt}
            onChange={(e) => setEndsAt(e.currentTarget.value)}
            data-testid="period-to"
          />
        </Group>
        <TextInput
          label={t('routing:rota.note')}
          value={note}
          onChange={(e) => setNote(e.currentTarget.value)}
          maxLength={500}
          data-testid="period-note"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="period-save">
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

const WEEK = [1, 2, 3, 4, 5, 6, 0];

function zoneList(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  try {
    return intl.supportedValuesOf?.('timeZone') ?? [];
  } catch {
    return [];
  }
}

/** Add or change a repeating duty shift: weekdays, wall times in a zone, first and last day. */
function SeriesModal({
  entry,
  people,
  teams,
  onClose,
  onSaved,
}: {
  entry: DutyShiftSeries | null;
  people: Option[];
  teams: Option[];
  onClose(): void;
  onSaved(): void;
}) {
  const { t, i18n } = useTranslation();
  const zones = useMemo(zoneList, []);
  const [f, setF] = useState<SeriesForm>(() =>
    entry
      ? {
          userId: entry.userId,
          teamId: entry.teamId,
          weekdays: [...entry.weekdays],
          startTime: entry.startTime,
          endTime: entry.endTime,
          timeZone: entry.timeZone,
          startsOn: entry.startsOn,
          until: entry.until,
          note: entry.note,
        }
      : {
          userId: null,
          teamId: null,
          weekdays: [1, 2, 3, 4, 5],
          startTime: '09:00',
          endTime: '17:00',
          timeZone: browserTimeZone(),
          startsOn: '',
          until: '',
          note: '',
        },
  );
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<SeriesForm>) => setF((x) => ({ ...x, ...patch }));
  const save = useMutation({
    mutationFn: async () => {
      const out = seriesBody(f);
      if ('problem' in out) throw new Error(out.problem);
      if (!entry) return routingApi.addSeries(out.body);
      const { userId: _u, ...change } = out.body;
      return routingApi.updateSeries(entry.id, { ...change, note: f.note.trim() });
    },
    onSuccess: onSaved,
  });
  const submit = () => {
    const out = seriesBody(f);
    if ('problem' in out) return setProblem(t(`routing:rota.problem.${out.problem}`));
    setProblem(null);
    save.mutate();
  };
  return (
    <Modal
      opened
      onClose={onClose}
      centered
      size="lg"
      title={entry ? t('routing:rota.changeSeries') : t('routing:rota.addSeries')}
    >
      <Stack gap="sm" data-testid="series-form">
        {(problem || save.error) && (
          <Alert color="red" data-testid="series-problem">
            {problem ?? rotaError(t, i18n.language, save.error)}
          </Alert>
        )}
        {entry && (
          <Text size="xs" c="dimmed">
            {t('routing:rota.seriesChangeHelp')}
          </Text>
        )}
        <Group grow align="flex-start">
          <Select
            label={t('routing:admin.person')}
            data={people}
            value={f.userId}
            onChange={(userId) => set({ userId })}
            searchable
            disabled={entry !== null}
            data-testid="series-person"
          />
          <Select
            label={t('routing:rota.team')}
            description={t('routing:rota.teamHelp')}
            data={teams}
            value={f.teamId}
            onChange={(teamId) => set({ teamId })}
            clearable
            data-testid="series-team"
          />
        </Group>
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('routing:rota.weekdays')}
          </Text>
          <Chip.Group multiple value={f.weekdays.map(String)} onChange={(v) => set({ weekdays: v.map(Number) })}>
            <Group gap={6} data-testid="series-weekdays">
              {WEEK.map((d) => (
                <Chip key={d} value={String(d)} size="xs" data-day={d}>
                  {dayName(d, i18n.language)}
                </Chip>
              ))}
            </Group>
          </Chip.Group>
        </Stack>
        <Group grow align="flex-start">
          <TextInput
            type="time"
            label={t('routing:rota.startTime')}
            value={f.startTime}
            onChange={(e) => set({ startTime: e.currentTarget.value })}
            data-testid="series-start-time"
          />
          <TextInput
            type="time"
            label={t('routing:rota.endTime')}
            description={t('routing:rota.endTimeHelp')}
            value={f.endTime}
            onChange={(e) => set({ endTime: e.currentTarget.value })}
            data-testid="series-end-time"
          />
          <Autocomplete
            label={t('routing:rota.timeZone')}
            data={zones}
            value={f.timeZone}
            onChange={(timeZone) => set({ timeZone })}
            limit={20}
            data-testid="series-zone"
          />
        </Group>
        <Group grow align="flex-start">
          <TextInput
            type="date"
            label={t('routing:rota.startsOn')}
            value={f.startsOn}
            onChange={(e) => set({ startsOn: e.currentTarget.value })}
            data-testid="series-starts-on"
          />
          <TextInput
            type="date"
            label={t('routing:rota.until')}
            description={t('routing:rota.untilHelp')}
            value={f.until}
            onChange={(e) => set({ until: e.currentTarget.value })}
            data-testid="series-until"
          />
        </Group>
        <TextInput
          label={t('routing:rota.note')}
          value={f.note}
          onChange={(e) => set({ note: e.currentTarget.value })}
          maxLength={500}
          data-testid="series-note"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="series-save">
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
