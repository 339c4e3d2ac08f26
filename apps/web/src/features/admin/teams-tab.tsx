import {
  ActionIcon,
  Alert,
  Avatar,
  Button,
  Card,
  Center,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { StaffUser, Team } from '@seva/contracts';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { adminApi, adminKeys, useAdminStaff } from './admin-api.ts';
import { ConfirmModal, type ConfirmRequest } from './confirm-modal.tsx';
import { usePhone } from './use-phone.ts';

/** Teams: groups of staff that tickets can be routed to, each with an optional lead. */
export function TeamsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const staff = useAdminStaff();
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const byId = new Map((staff.data ?? []).map((s) => [s.id, s]));

  const remove = useMutation({
    mutationFn: adminApi.deleteTeam,
    onSuccess: () => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['teams'] });
      void qc.invalidateQueries({ queryKey: ['staff'] });
      notifications.show({ color: 'teal', message: t('admin:teams.deleted') });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
    },
  });

  return (
    <Stack>
      <Group justify="space-between">
        <Text c="dimmed" size="sm">
          {t('admin:teams.help')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="team-create">
          {t('admin:teams.create')}
        </Button>
      </Group>
      {teams.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {teams.error && <Alert color="red">{errorMessage(t, teams.error)}</Alert>}
      {teams.data?.length === 0 && <Text c="dimmed">{t('admin:teams.empty')}</Text>}
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {(teams.data ?? []).map((team) => {
          const lead = team.leadId ? byId.get(team.leadId) : undefined;
          return (
            <Card key={team.id} withBorder padding="md" data-testid={`team-${team.name}`}>
              <Group justify="space-between" wrap="nowrap" align="flex-start">
                <div style={{ minWidth: 0 }}>
                  <Text fw={600} truncate>
                    {team.name}
                  </Text>
                  {team.description && (
                    <Text size="sm" c="dimmed" lineClamp={2}>
                      {team.description}
                    </Text>
                  )}
                </div>
                <Group gap={4} wrap="nowrap">
                  <Tooltip label={t('common:actions.edit')}>
                    <ActionIcon variant="subtle" aria-label={t('common:actions.edit')} onClick={() => setEditing(team)}>
                      <IconPencil size={16} />
                    </ActionIcon>
                  </Tooltip>
                  <Tooltip label={t('common:actions.delete')}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('common:actions.delete')}
                      onClick={() =>
                        setConfirm({
                          title: t('admin:teams.deleteTitle'),
                          message: t('admin:teams.deleteConfirm', { name: team.name }),
                          confirmLabel: t('common:actions.delete'),
                          danger: true,
                          onConfirm: () => remove.mutate(team.id),
                        })
                      }
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Group>
              </Group>
              <Text size="sm" mt="sm">
                {t('admin:teams.lead')}: {lead ? lead.name : t('admin:teams.noLead')}
              </Text>
              <Group gap={4} mt="xs">
                <Avatar.Group>
                  {team.memberIds.slice(0, 6).map((id) => (
                    <Tooltip key={id} label={byId.get(id)?.name ?? ''}>
                      <Avatar size="sm" radius="xl" name={byId.get(id)?.name ?? '?'} color="initials" />
                    </Tooltip>
                  ))}
                </Avatar.Group>
                <Text size="xs" c="dimmed">
                  {t('admin:teams.memberCount', { count: team.memberIds.length })}
                </Text>
              </Group>
            </Card>
          );
        })}
      </SimpleGrid>
      {editing && (
        <TeamModal
          team={editing === 'new' ? null : editing}
          staff={staff.data ?? []}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function TeamModal({ team, staff, onClose }: { team: Team | null; staff: StaffUser[]; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const [name, setName] = useState(team?.name ?? '');
  const [description, setDescription] = useState(team?.description ?? '');
  const [leadId, setLeadId] = useState<string | null>(team?.leadId ?? null);
  const [memberIds, setMemberIds] = useState<string[]>(team?.memberIds ?? []);
  const [nameError, setNameError] = useState<string | undefined>();

  const save = useMutation({
    mutationFn: async () => {
      const members = leadId && !memberIds.includes(leadId) ? [...memberIds, leadId] : memberIds;
      if (!team)
        return adminApi.createTeam({ name: name.trim(), description: description.trim(), leadId, memberIds: members });
      await adminApi.updateTeam(team.id, { name: name.trim(), description: description.trim(), leadId });
      return adminApi.setTeamMembers(team.id, members);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['teams'] });
      void qc.invalidateQueries({ queryKey: ['staff'] });
      notifications.show({ color: 'teal', message: t('admin:teams.saved', { name: name.trim() }) });
      onClose();
    },
    onError: (err) => setNameError(fieldError(err, 'name')),
  });

  const people = staff.filter((s) => s.status !== 'disabled' || memberIds.includes(s.id));
  const options = people.map((s) => ({ value: s.id, label: `${s.name} <${s.email}>` }));

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim()) {
      setNameError(t('admin:validation.required'));
      return;
    }
    setNameError(undefined);
    save.mutate();
  };

  return (
    <Modal
      opened
      fullScreen={phone}
      onClose={onClose}
      title={team ? t('admin:teams.editTitle') : t('admin:teams.create')}
      centered
      size="lg"
    >
      <form onSubmit={onSubmit} noValidate data-testid="team-form">
        <Stack gap="sm">
          {save.error && !nameError && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput
            label={t('admin:teams.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            data-testid="team-name"
          />
          <Textarea
            label={t('admin:teams.description')}
            autosize
            minRows={2}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <MultiSelect
            label={t('admin:teams.members')}
            data={options}
            value={memberIds}
            onChange={setMemberIds}
            searchable
            clearable
            nothingFoundMessage={t('common:states.empty')}
            data-testid="team-members"
          />
          <Select
            label={t('admin:teams.lead')}
            description={t('admin:teams.leadHelp')}
            data={options}
            value={leadId}
            onChange={setLeadId}
            searchable
            clearable
            placeholder={t('admin:teams.noLead')}
            data-testid="team-lead"
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="team-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
