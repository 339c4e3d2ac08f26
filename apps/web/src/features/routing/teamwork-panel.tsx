import type { Ticket } from '@seva/contracts';
import { Alert, Badge, Button, Group, Modal, Paper, SegmentedControl, Select, Stack, Switch, Text, Textarea, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { IconArrowForwardUp, IconUserUp } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { useStaff, useTeams } from '../ticket/desk-config.ts';
import { invalidateTicket } from '../ticket/ticket-api.ts';
import { routingApi, routingKeys } from './routing-api.ts';

/** Hand the ticket on (you stay its follow-up owner) or escalate it to the team lead. */
export function TeamworkPanel({ ticket }: { ticket: Ticket }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState<'transfer' | 'escalate' | null>(null);
  if (ticket.status === 'closed') return null;
  return (
    <Paper withBorder p="sm" radius="md" data-testid="teamwork">
      <Title order={3} size="h5" mb="xs">
        {t('routing:panel.title')}
      </Title>
      <Group gap="xs">
        <Button size="xs" variant="light" leftSection={<IconArrowForwardUp size={14} />} onClick={() => setOpen('transfer')} data-testid="transfer-open">
          {t('routing:transfer.button')}
        </Button>
        <Button size="xs" variant="subtle" leftSection={<IconUserUp size={14} />} onClick={() => setOpen('escalate')} disabled={!ticket.teamId} data-testid="escalate-open">
          {t('routing:escalate.button')}
        </Button>
      </Group>
      {open === 'transfer' && <TransferModal ticket={ticket} onClose={() => setOpen(null)} />}
      {open === 'escalate' && <EscalateModal ticket={ticket} onClose={() => setOpen(null)} />}
    </Paper>
  );
}

export function TransferModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const staff = useStaff();
  const teams = useTeams();
  const [to, setTo] = useState<'person' | 'team'>('person');
  const [userId, setUserId] = useState<string | null>(null);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [tell, setTell] = useState(true);
  const [message, setMessage] = useState('');
  const [due, setDue] = useState('');
  const [q, setQ] = useState('');
  const [debounced] = useDebouncedValue(q, 200);
  const lng = ticket.language?.split('-')[0] ?? 'en';
  const experts = useQuery({ queryKey: routingKeys.experts(debounced, lng), queryFn: () => routingApi.experts(debounced, lng), enabled: debounced.trim().length > 1 });
  const people = (staff.data ?? []).filter((s) => s.status === 'active' && s.id !== ticket.assigneeId);
  const chosenName = to === 'person' ? people.find((p) => p.id === userId)?.name : (teams.data ?? []).find((x) => x.id === teamId)?.name;
  // the customer hears it in their own language, whatever the agent's screen language is
  const template = chosenName ? t('routing:transfer.customerTemplate', { lng, name: chosenName }) : '';
  const save = useMutation({
    mutationFn: () =>
      routingApi.transfer(ticket.id, {
        ...(to === 'person' && userId ? { toUserId: userId } : {}),
        ...(to === 'team' && teamId ? { toTeamId: teamId } : {}),
        note: note.trim(),
        ...(tell && (message.trim() || template) ? { customerMessage: (message.trim() || template).trim() } : {}),
        ...(due ? { followUpDueAt: new Date(due).toISOString() } : {}),
      }),
    onSuccess: () => {
      void invalidateTicket(qc, ticket);
      void qc.invalidateQueries({ queryKey: ['routing', 'followups'] });
      notifications.show({ color: 'teal', message: t('routing:transfer.done', { name: chosenName ?? '' }) });
      onClose();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (note.trim() && (userId || teamId)) save.mutate();
  };
  return (
    <Modal opened onClose={onClose} size="lg" centered title={t('routing:transfer.title', { number: ticket.number })}>
      <form onSubmit={onSubmit} noValidate data-testid="transfer-form">
        <Stack gap="sm">
          {save.error && <Alert color="red">{save.error instanceof ApiError ? save.error.message : t('common:states.error')}</Alert>}
          <SegmentedControl
            value={to}
            onChange={(v) => setTo(v as 'person' | 'team')}
            data={[
              { value: 'person', label: t('routing:transfer.toPerson') },
              { value: 'team', label: t('routing:transfer.toTeam') },
            ]}
          />
          {to === 'person' ? (
            <>
              <Select label={t('routing:transfer.person')} data={people.map((p) => ({ value: p.id, label: p.name }))} value={userId} onChange={setUserId} searchable data-testid="transfer-person" />
              <TextInput label={t('routing:experts.find')} placeholder={t('routing:experts.placeholder')} value={q} onChange={(e) => setQ(e.currentTarget.value)} data-testid="expert-search" />
              {(experts.data ?? []).slice(0, 5).map((x) => (
                <UnstyledButton key={x.userId} onClick={() => setUserId(x.userId)} data-testid="expert-option">
                  <Group gap={6}>
                    <Text size="sm" fw={userId === x.userId ? 700 : 400}>
                      {x.name}
                    </Text>
                    <Badge size="xs" color={x.status === 'online' ? 'teal' : 'gray'} variant="light">
                      {t(`routing:availability.${x.status}`)}
                    </Badge>
                    {x.skills.slice(0, 3).map((s) => (
                      <Badge key={s.skill} size="xs" variant="outline">
                        {s.skill} {s.level}
                      </Badge>
                    ))}
                    {x.solvedMatching > 0 && (
                      <Text size="xs" c="dimmed">
                        {t('routing:experts.solved', { count: x.solvedMatching })}
                      </Text>
                    )}
                  </Group>
                </UnstyledButton>
              ))}
            </>
          ) : (
            <Select label={t('routing:transfer.team')} data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} value={teamId} onChange={setTeamId} data-testid="transfer-team" />
          )}
          <Textarea label={t('routing:transfer.note')} description={t('routing:transfer.noteHelp')} required autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="transfer-note" />
          <Switch label={t('routing:transfer.tell')} checked={tell} onChange={(e) => setTell(e.currentTarget.checked)} />
          {tell && (
            <Textarea
              label={t('routing:transfer.message')}
              autosize
              minRows={2}
              placeholder={template}
              value={message}
              onChange={(e) => setMessage(e.currentTarget.value)}
              data-testid="transfer-message"
            />
          )}
          <TextInput type="datetime-local" step={1} label={t('routing:transfer.due')} description={t('routing:transfer.dueHelp')} value={due} onChange={(e) => setDue(e.currentTarget.value)} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!note.trim() || !(userId || teamId)} data-testid="transfer-save">
              {t('routing:transfer.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function EscalateModal({ ticket, onClose }: { ticket: Ticket; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [note, setNote] = useState('');
  const save = useMutation({
    mutationFn: () => routingApi.escalate(ticket.id, note.trim()),
    onSuccess: () => {
      void invalidateTicket(qc, ticket);
      notifications.show({ color: 'teal', message: t('routing:escalate.done') });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} centered title={t('routing:escalate.title')}>
      <Stack gap="sm">
        {save.error && <Alert color="red">{save.error instanceof ApiError ? save.error.message : t('common:states.error')}</Alert>}
        <Textarea label={t('routing:transfer.note')} required autosize minRows={2} value={note} onChange={(e) => setNote(e.currentTarget.value)} data-testid="escalate-note" />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} disabled={!note.trim()} loading={save.isPending} data-testid="escalate-save">
            {t('routing:escalate.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
