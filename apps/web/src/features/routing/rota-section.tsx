import {
  ActionIcon,
  Alert,
  Button,
  Card,
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
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { routingApi, routingKeys } from './routing-api.ts';
import { localInputToIso, periodProblem } from './routing-rule-form.ts';

type Option = { value: string; label: string };

/** Admin → Routing: time off (no work is routed to them) and duty shifts (people outside support take work then). */
export function RotaSection({ people, teams }: { people: Option[]; teams: Option[] }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const timeOff = useQuery({ queryKey: routingKeys.timeOff, queryFn: routingApi.timeOff });
  const shifts = useQuery({ queryKey: routingKeys.shifts, queryFn: routingApi.shifts });
  const [adding, setAdding] = useState<'timeOff' | 'shift' | null>(null);
  const onError = (err: unknown) =>
    notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: routingKeys.timeOff });
    void qc.invalidateQueries({ queryKey: routingKeys.shifts });
    void qc.invalidateQueries({ queryKey: routingKeys.staff });
  };
  const removeTimeOff = useMutation({ mutationFn: routingApi.deleteTimeOff, onSuccess: refresh, onError });
  const removeShift = useMutation({ mutationFn: routingApi.deleteShift, onSuccess: refresh, onError });
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
            onClick={() => setAdding('timeOff')}
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
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('routing:rota.cancelTimeOff', { name: x.name })}
                        onClick={() => removeTimeOff.mutate(x.id)}
                        data-testid="time-off-delete"
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
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
          <Button
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setAdding('shift')}
            data-testid="shift-add"
          >
            {t('routing:rota.addShift')}
          </Button>
        </Group>
        {(shifts.data ?? []).length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('routing:rota.noShifts')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={420}>
            <Table>
              <Table.Tbody>
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
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('routing:rota.cancelShift', { name: x.name })}
                        onClick={() => removeShift.mutate(x.id)}
                        data-testid="shift-delete"
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      {adding && (
        <PeriodModal
          kind={adding}
          people={people}
          teams={teams}
          onClose={() => setAdding(null)}
          onSaved={() => {
            refresh();
            setAdding(null);
          }}
        />
      )}
    </SimpleGrid>
  );
}

function PeriodModal({
  kind,
  people,
  teams,
  onClose,
  onSaved,
}: {
  kind: 'timeOff' | 'shift';
  people: Option[];
  teams: Option[];
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation();
  const [userId, setUserId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (b: { userId: string; startsAt: string; endsAt: string }) =>
      kind === 'timeOff'
        ? routingApi.addTimeOff(b.userId, {
            startsAt: b.startsAt,
            endsAt: b.endsAt,
            ...(note.trim() ? { note: note.trim() } : {}),
          })
        : routingApi.addShift({ ...b, teamId, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: onSaved,
  });
  const submit = () => {
    if (!userId) return setProblem(t('routing:rota.problem.person'));
    const p = periodProblem(startsAt, endsAt);
    if (p) return setProblem(t(`routing:rota.problem.${p}`));
    save.mutate({ userId, startsAt: localInputToIso(startsAt) as string, endsAt: localInputToIso(endsAt) as string });
  };
  return (
    <Modal
      opened
      onClose={onClose}
      centered
      title={kind === 'timeOff' ? t('routing:rota.addTimeOff') : t('routing:rota.addShift')}
    >
      <Stack gap="sm" data-testid="period-form">
        {(problem || save.error) && (
          <Alert color="red" data-testid="period-problem">
            {problem ?? errorMessage(t, save.error)}
          </Alert>
        )}
        <Select
          label={t('routing:admin.person')}
          data={people}
          value={userId}
          onChange={setUserId}
          searchable
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
