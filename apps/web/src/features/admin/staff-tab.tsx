import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Menu,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { InviteStaffResult, StaffRole, StaffStatus, StaffUser, UpdateStaffBody } from '@seva/contracts';
import { IconDots, IconSearch, IconUserPlus } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { adminApi, useAdminStaff } from './admin-api.ts';
import { ConfirmModal, type ConfirmRequest } from './confirm-modal.tsx';
import { InviteStaffModal } from './invite-staff-modal.tsx';
import { RenameStaffModal } from './rename-staff-modal.tsx';
import { isLastActiveAdmin, matchesStaff, ROLE_COLOR, ROLES, STATUS_COLOR } from './staff-labels.ts';

/** Staff: who works the desk, in which role; invite, change role, disable and enable. */
export function StaffTab() {
  const { t, i18n } = useTranslation();
  const { session } = useSession();
  const qc = useQueryClient();
  const staff = useAdminStaff();
  const [query, setQuery] = useState('');
  const [statusFilter, setStatusFilter] = useState<'all' | StaffStatus>('all');
  const [inviting, setInviting] = useState(false);
  const [resent, setResent] = useState<InviteStaffResult | null>(null);
  const [renaming, setRenaming] = useState<StaffUser | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);

  const update = useMutation({
    mutationFn: ({ id, body }: { id: string; body: UpdateStaffBody }) => adminApi.updateStaff(id, body),
    onSuccess: (user) => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['staff'] });
      notifications.show({ color: 'teal', message: t('admin:staff.updated', { name: user.name }) });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
    },
  });

  // Inviting an address that is still only invited makes a new link (the old one stops working).
  const resend = useMutation({
    mutationFn: (user: StaffUser) => adminApi.invite({ email: user.email, name: user.name, role: user.role }),
    onSuccess: (r) => {
      setResent(r);
      setInviting(true);
    },
    onError: (err) =>
      notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) }),
  });

  const all = staff.data ?? [];
  const rows = all.filter((u) => matchesStaff(u, query) && (statusFilter === 'all' || u.status === statusFilter));
  const countOf = (status: StaffStatus) => all.filter((u) => u.status === status).length;

  const askRole = (user: StaffUser, role: StaffRole) => {
    if (role === user.role) return;
    if (user.role === 'admin' && isLastActiveAdmin(all, user.id)) {
      notifications.show({ color: 'red', message: t('admin:staff.lastAdmin') });
      return;
    }
    setConfirm({
      title: t('admin:staff.changeRoleTitle'),
      message: t('admin:staff.changeRoleConfirm', { name: user.name, role: t(`admin:roles.${role}`) }),
      confirmLabel: t('admin:staff.changeRole'),
      onConfirm: () => update.mutate({ id: user.id, body: { role } }),
    });
  };

  const askStatus = (user: StaffUser, status: 'active' | 'disabled') => {
    if (status === 'disabled' && user.role === 'admin' && isLastActiveAdmin(all, user.id)) {
      notifications.show({ color: 'red', message: t('admin:staff.lastAdmin') });
      return;
    }
    setConfirm(
      status === 'disabled'
        ? {
            title: t('admin:staff.disableTitle'),
            message: t('admin:staff.disableConfirm', { name: user.name }),
            confirmLabel: t('admin:staff.disable'),
            danger: true,
            onConfirm: () => update.mutate({ id: user.id, body: { status } }),
          }
        : {
            title: t('admin:staff.enableTitle'),
            message: t('admin:staff.enableConfirm', { name: user.name }),
            confirmLabel: t('admin:staff.enable'),
            onConfirm: () => update.mutate({ id: user.id, body: { status } }),
          },
    );
  };

  return (
    <Stack>
      <Group justify="space-between" wrap="wrap">
        <TextInput
          leftSection={<IconSearch size={16} />}
          placeholder={t('admin:staff.search')}
          aria-label={t('admin:staff.search')}
          value={query}
          onChange={(e) => setQuery(e.currentTarget.value)}
          style={{ flex: 1, minWidth: 200, maxWidth: 360 }}
        />
        <SegmentedControl
          size="xs"
          value={statusFilter}
          onChange={(v) => setStatusFilter(v as 'all' | StaffStatus)}
          aria-label={t('admin:staff.status')}
          data={[
            { value: 'all', label: t('admin:staff.filterAll', { count: all.length }) },
            ...(['active', 'invited', 'disabled'] as const).map((st) => ({
              value: st,
              label: `${t(`admin:statuses.${st}`)} (${countOf(st)})`,
            })),
          ]}
          data-testid="staff-status-filter"
        />
        <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviting(true)} data-testid="staff-invite">
          {t('admin:staff.invite')}
        </Button>
      </Group>
      {staff.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {staff.error && <Alert color="red">{errorMessage(t, staff.error)}</Alert>}
      {staff.data && rows.length === 0 && <Text c="dimmed">{t('common:states.empty')}</Text>}
      {rows.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover verticalSpacing="sm" data-testid="staff-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('admin:staff.name')}</Table.Th>
                <Table.Th>{t('admin:staff.role')}</Table.Th>
                <Table.Th>{t('admin:staff.status')}</Table.Th>
                <Table.Th>{t('admin:staff.lastLogin')}</Table.Th>
                <Table.Th aria-label={t('admin:common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((u) => {
                const self = u.id === session?.user.id;
                return (
                  <Table.Tr key={u.id} data-testid={`staff-row-${u.email}`}>
                    <Table.Td>
                      <Text fw={500} size="sm">
                        {u.name}{' '}
                        {self && (
                          <Badge size="xs" variant="outline">
                            {t('admin:staff.you')}
                          </Badge>
                        )}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {u.email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {self ? (
                        <Badge color={ROLE_COLOR[u.role]} variant="light">
                          {t(`admin:roles.${u.role}`)}
                        </Badge>
                      ) : (
                        <Select
                          size="xs"
                          w={150}
                          aria-label={t('admin:staff.roleOf', { name: u.name })}
                          data={ROLES.map((r) => ({ value: r, label: t(`admin:roles.${r}`) }))}
                          value={u.role}
                          allowDeselect={false}
                          onChange={(v) => v && askRole(u, v as StaffRole)}
                          data-testid={`staff-role-${u.email}`}
                        />
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLOR[u.status]} variant="light">
                        {t(`admin:statuses.${u.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {u.lastLoginAt ? formatDateTime(u.lastLoginAt, i18n.language) : t('admin:staff.never')}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      {!self && (
                        <Menu position="bottom-end">
                          <Menu.Target>
                            <ActionIcon
                              variant="subtle"
                              aria-label={t('admin:common.actionsFor', { name: u.name })}
                              data-testid={`staff-actions-${u.email}`}
                            >
                              <IconDots size={16} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Item onClick={() => setRenaming(u)} data-testid={`staff-rename-${u.email}`}>
                              {t('admin:staff.rename')}
                            </Menu.Item>
                            {u.status === 'invited' && (
                              <Menu.Item onClick={() => resend.mutate(u)} data-testid={`staff-resend-${u.email}`}>
                                {t('admin:staff.resendInvite')}
                              </Menu.Item>
                            )}
                            {u.status === 'disabled' ? (
                              <Menu.Item onClick={() => askStatus(u, 'active')}>{t('admin:staff.enable')}</Menu.Item>
                            ) : (
                              <Menu.Item color="red" onClick={() => askStatus(u, 'disabled')}>
                                {u.status === 'invited' ? t('admin:staff.cancelInvite') : t('admin:staff.disable')}
                              </Menu.Item>
                            )}
                          </Menu.Dropdown>
                        </Menu>
                      )}
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <InviteStaffModal
        key={resent?.user.id ?? 'new'}
        opened={inviting}
        initialResult={resent}
        onClose={() => {
          setInviting(false);
          setResent(null);
        }}
      />
      {renaming && <RenameStaffModal user={renaming} onClose={() => setRenaming(null)} />}
      <ConfirmModal request={confirm} loading={update.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}
