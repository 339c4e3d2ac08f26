import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { InboundEmail, Mailbox } from '@seva/contracts';
import { IconInbox, IconKey, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { adminApi, adminKeys } from '../admin/admin-api.ts';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';

type ImapSecurityMode = Mailbox['imap']['security'];
const IMAP_SECURITY: ImapSecurityMode[] = ['tls', 'starttls', 'plain'];
const DEFAULT_PORT: Record<ImapSecurityMode, number> = { tls: 993, starttls: 143, plain: 143 };

const KEY = ['mailboxes', 'admin'] as const;
const LANGS = ['en', 'bn', 'hi'] as const;
const STATUS_COLOR: Record<string, string> = { active: 'teal', disabled: 'gray', error: 'red' };

const mailboxesApi = {
  list: () => api.get<{ items: Mailbox[] }>('/mailboxes').then((r) => r.items),
  create: (b: Record<string, unknown>) => api.post<Mailbox>('/mailboxes', b),
  update: (id: string, b: Record<string, unknown>) => api.patch<Mailbox>(`/mailboxes/${id}`, b),
  remove: (id: string) => api.delete<void>(`/mailboxes/${id}`),
  hookSecret: (id: string) => api.post<{ secret: string; hookUrl: string }>(`/mailboxes/${id}/hook-secret`, {}),
  inbound: (id: string) =>
    api.get<{ items: InboundEmail[] }>(`/mailboxes/${id}/inbound`, { limit: '50' }).then((r) => r.items),
  retry: (id: string) => api.post<InboundEmail>(`/inbound-emails/${id}/retry`, {}),
};

/** Admin → Mailboxes: the desk's addresses, how mail comes in (SMTP listener, IMAP, hook) and goes out, with health. */
export function MailboxesTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: mailboxesApi.list, refetchInterval: 30_000 });
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null);
  const [logOf, setLogOf] = useState<Mailbox | null>(null);
  const [secret, setSecret] = useState<{ secret: string; hookUrl: string } | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['mailboxes'] });
  const onError = (err: unknown) =>
    notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  const toggle = useMutation({
    mutationFn: (m: Mailbox) => mailboxesApi.update(m.id, { status: m.status === 'disabled' ? 'active' : 'disabled' }),
    onSuccess: () => void refresh(),
    onError,
  });
  const rotate = useMutation({ mutationFn: mailboxesApi.hookSecret, onSuccess: setSecret, onError });
  const remove = useMutation({
    mutationFn: mailboxesApi.remove,
    onSuccess: () => {
      setConfirm(null);
      void refresh();
    },
    onError,
  });
  return (
    <Stack data-testid="mailboxes-admin">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('email-admin:help')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="mailbox-create">
          {t('email-admin:create')}
        </Button>
      </Group>
      {secret && (
        <Alert
          color="yellow"
          withCloseButton
          onClose={() => setSecret(null)}
          title={t('email-admin:hook.title')}
          data-testid="mailbox-hook-secret"
        >
          <Text size="sm">{t('email-admin:hook.once')}</Text>
          <Text size="sm" mt={4}>
            URL: <Code>{secret.hookUrl}</Code>
          </Text>
          <Text size="sm" mt={4}>
            {t('email-admin:hook.secret')}: <Code>{secret.secret}</Code>
          </Text>
        </Alert>
      )}
      {list.error && <Alert color="red">{errorMessage(t, list.error)}</Alert>}
      {list.data?.length === 0 && <Text c="dimmed">{t('email-admin:none')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(list.data ?? []).map((m) => (
          <Card key={m.id} withBorder data-testid={`mailbox-${m.address}`}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Group gap={6}>
                  <Text fw={600}>{m.name}</Text>
                  <Badge
                    size="sm"
                    color={STATUS_COLOR[m.status] ?? 'gray'}
                    variant="light"
                    data-testid="mailbox-status"
                  >
                    {t(`email-admin:status.${m.status}`)}
                  </Badge>
                </Group>
                <Text size="sm" c="dimmed" truncate>
                  {m.address}
                </Text>
                <Group gap={4} mt={4}>
                  {m.smtpEnabled && (
                    <Badge size="xs" variant="outline">
                      SMTP
                    </Badge>
                  )}
                  {m.imap.enabled && (
                    <Badge
                      size="xs"
                      variant="outline"
                      color={m.imap.security === 'plain' ? 'orange' : undefined}
                      data-testid="mailbox-imap-badge"
                    >
                      IMAP {m.imap.host} · {t(`email-admin:imap.securityShort.${m.imap.security}`)}
                    </Badge>
                  )}
                  {m.hasHookSecret && (
                    <Badge size="xs" variant="outline">
                      {t('email-admin:hook.badge')}
                    </Badge>
                  )}
                  {m.ackEnabled && (
                    <Badge size="xs" variant="outline">
                      {t('email-admin:ackBadge')}
                    </Badge>
                  )}
                </Group>
                <Text size="xs" c="dimmed" mt={4}>
                  {m.lastReceivedAt
                    ? t('email-admin:lastReceived', { at: formatDateTime(m.lastReceivedAt, i18n.language) })
                    : t('email-admin:nothingYet')}
                </Text>
                {m.imap.enabled && (
                  <Text size="xs" c="dimmed" data-testid="mailbox-imap-sync">
                    {m.imap.lastSyncAt
                      ? t('email-admin:imap.lastSync', { at: formatDateTime(m.imap.lastSyncAt, i18n.language) })
                      : t('email-admin:imap.neverSynced')}
                  </Text>
                )}
                {m.lastError && (
                  <Text size="xs" c="red" mt={4} data-testid="mailbox-error">
                    {m.lastError}
                    {m.lastErrorAt ? ` (${formatDateTime(m.lastErrorAt, i18n.language)})` : ''}
                  </Text>
                )}
              </div>
              <Group gap={2} wrap="nowrap">
                <Switch
                  checked={m.status !== 'disabled'}
                  onChange={() => toggle.mutate(m)}
                  aria-label={t('email-admin:enabled')}
                />
                <Tooltip label={t('email-admin:log.title')}>
                  <ActionIcon variant="subtle" aria-label={t('email-admin:log.title')} onClick={() => setLogOf(m)}>
                    <IconInbox size={16} />
                  </ActionIcon>
                </Tooltip>
                <Tooltip label={t('email-admin:hook.rotate')}>
                  <ActionIcon
                    variant="subtle"
                    aria-label={t('email-admin:hook.rotate')}
                    onClick={() => rotate.mutate(m.id)}
                  >
                    <IconKey size={16} />
                  </ActionIcon>
                </Tooltip>
                <ActionIcon variant="subtle" aria-label={t('common:actions.edit')} onClick={() => setEditing(m)}>
                  <IconPencil size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('common:actions.delete')}
                  onClick={() =>
                    setConfirm({
                      title: t('email-admin:deleteTitle'),
                      message: t('email-admin:deleteConfirm', { address: m.address }),
                      confirmLabel: t('common:actions.delete'),
                      danger: true,
                      onConfirm: () => remove.mutate(m.id),
                    })
                  }
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
          </Card>
        ))}
      </SimpleGrid>
      {editing && <MailboxModal mailbox={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {logOf && <InboundLog mailbox={logOf} onClose={() => setLogOf(null)} />}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function MailboxModal({ mailbox, onClose }: { mailbox: Mailbox | null; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const [address, setAddress] = useState(mailbox?.address ?? '');
  const [name, setName] = useState(mailbox?.name ?? '');
  const [fromName, setFromName] = useState(mailbox?.fromName ?? '');
  const [signature, setSignature] = useState(mailbox?.signature ?? '');
  const [teamId, setTeamId] = useState<string | null>(mailbox?.teamId ?? null);
  const [isTeamDefault, setIsTeamDefault] = useState(mailbox?.isTeamDefault ?? false);
  const [smtpEnabled, setSmtpEnabled] = useState(mailbox?.smtpEnabled ?? true);
  const [imap, setImap] = useState({
    enabled: mailbox?.imap.enabled ?? false,
    host: mailbox?.imap.host ?? '',
    port: mailbox?.imap.port ?? 993,
    security: (mailbox?.imap.security ?? 'tls') as ImapSecurityMode,
    user: mailbox?.imap.user ?? '',
    folder: mailbox?.imap.folder ?? 'INBOX',
    password: '',
  });
  const [ackEnabled, setAckEnabled] = useState(mailbox?.ackEnabled ?? true);
  const [ack, setAck] = useState<Record<string, { subject: string; body: string }>>(mailbox?.ackTemplates ?? {});
  const [allowList, setAllowList] = useState<string[]>(mailbox?.allowList ?? []);
  const [blockList, setBlockList] = useState<string[]>(mailbox?.blockList ?? []);
  const save = useMutation({
    mutationFn: () => {
      const templates = Object.fromEntries(Object.entries(ack).filter(([, v]) => v.subject.trim() && v.body.trim()));
      const body: Record<string, unknown> = {
        name: name.trim(),
        fromName: fromName.trim(),
        signature,
        teamId,
        isTeamDefault,
        smtpEnabled,
        ackEnabled,
        ackTemplates: templates,
        allowList,
        blockList,
        imap: {
          enabled: imap.enabled,
          host: imap.host.trim() || null,
          port: imap.port || null,
          user: imap.user.trim() || null,
          folder: imap.folder.trim() || 'INBOX',
          security: imap.security,
          ...(imap.password ? { password: imap.password } : {}),
        },
      };
      return mailbox
        ? mailboxesApi.update(mailbox.id, { ...body, address: address.trim() })
        : mailboxesApi.create({ ...body, address: address.trim() });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['mailboxes'] });
      notifications.show({ color: 'teal', message: t('email-admin:saved', { address: address.trim() }) });
      onClose();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (address.trim() && name.trim()) save.mutate();
  };
  const err = (path: string) => fieldError(save.error, path);
  return (
    <Modal
      opened
      onClose={onClose}
      size="xl"
      centered
      title={mailbox ? t('email-admin:edit') : t('email-admin:create')}
    >
      <form onSubmit={onSubmit} noValidate data-testid="mailbox-form">
        <Stack gap="sm">
          {save.error && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput
              label={t('email-admin:address')}
              required
              value={address}
              onChange={(e) => setAddress(e.currentTarget.value)}
              error={err('address')}
              data-testid="mailbox-address"
            />
            <TextInput
              label={t('email-admin:name')}
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={err('name')}
              data-testid="mailbox-name"
            />
            <TextInput
              label={t('email-admin:fromName')}
              value={fromName}
              onChange={(e) => setFromName(e.currentTarget.value)}
            />
            <Select
              label={t('email-admin:team')}
              data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
              value={teamId}
              onChange={setTeamId}
              clearable
            />
          </SimpleGrid>
          <Switch
            label={t('email-admin:teamDefault')}
            checked={isTeamDefault}
            onChange={(e) => setIsTeamDefault(e.currentTarget.checked)}
            disabled={!teamId}
          />
          <Textarea
            label={t('email-admin:signature')}
            autosize
            minRows={2}
            value={signature}
            onChange={(e) => setSignature(e.currentTarget.value)}
          />
          <Switch
            label={t('email-admin:smtp')}
            description={t('email-admin:smtpHelp')}
            checked={smtpEnabled}
            onChange={(e) => setSmtpEnabled(e.currentTarget.checked)}
          />
          <Card withBorder padding="sm">
            <Switch
              label={t('email-admin:imap.enabled')}
              data-testid="imap-enabled"
              checked={imap.enabled}
              onChange={(e) => setImap({ ...imap, enabled: e.currentTarget.checked })}
            />
            {imap.enabled && (
              <SimpleGrid cols={{ base: 1, sm: 2 }} mt="xs">
                <TextInput
                  label={t('email-admin:imap.host')}
                  data-testid="imap-host"
                  value={imap.host}
                  onChange={(e) => setImap({ ...imap, host: e.currentTarget.value })}
                  error={err('imap.host')}
                />
                <Select
                  label={t('email-admin:imap.security')}
                  data-testid="imap-security"
                  data={IMAP_SECURITY.map((v) => ({ value: v, label: t(`email-admin:imap.securityOption.${v}`) }))}
                  value={imap.security}
                  allowDeselect={false}
                  onChange={(v) => {
                    const security = (v ?? 'tls') as ImapSecurityMode;
                    // follow the usual port unless the admin typed another one
                    const port = imap.port === DEFAULT_PORT[imap.security] ? DEFAULT_PORT[security] : imap.port;
                    setImap({ ...imap, security, port });
                  }}
                />
                {imap.security === 'plain' && (
                  <Alert color="orange" data-testid="imap-plain-warning">
                    {t('email-admin:imap.plainWarning')}
                  </Alert>
                )}
                <NumberInput
                  data-testid="imap-port"
                  label={t('email-admin:imap.port')}
                  value={imap.port}
                  onChange={(v) => setImap({ ...imap, port: Number(v) || 993 })}
                  min={1}
                  max={65535}
                />
                <TextInput
                  label={t('email-admin:imap.user')}
                  value={imap.user}
                  onChange={(e) => setImap({ ...imap, user: e.currentTarget.value })}
                />
                <PasswordInput
                  label={t('email-admin:imap.password')}
                  placeholder={mailbox?.imap.hasPassword ? t('email-admin:imap.keep') : ''}
                  value={imap.password}
                  onChange={(e) => setImap({ ...imap, password: e.currentTarget.value })}
                />
                <TextInput
                  label={t('email-admin:imap.folder')}
                  value={imap.folder}
                  onChange={(e) => setImap({ ...imap, folder: e.currentTarget.value })}
                />
              </SimpleGrid>
            )}
          </Card>
          <Switch
            label={t('email-admin:ack.enabled')}
            description={t('email-admin:ack.help')}
            checked={ackEnabled}
            onChange={(e) => setAckEnabled(e.currentTarget.checked)}
          />
          {ackEnabled && (
            <Tabs defaultValue="en">
              <Tabs.List>
                {LANGS.map((l) => (
                  <Tabs.Tab key={l} value={l}>
                    {t(`common:languages.${l}`)}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              {LANGS.map((l) => (
                <Tabs.Panel key={l} value={l} pt="xs">
                  <Stack gap={4}>
                    <TextInput
                      label={t('email-admin:ack.subject')}
                      placeholder={t('email-admin:ack.defaultHint')}
                      value={ack[l]?.subject ?? ''}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        setAck((a) => ({ ...a, [l]: { subject: v, body: a[l]?.body ?? '' } }));
                      }}
                    />
                    <Textarea
                      label={t('email-admin:ack.body')}
                      autosize
                      minRows={3}
                      value={ack[l]?.body ?? ''}
                      onChange={(e) => {
                        const v = e.currentTarget.value;
                        setAck((a) => ({ ...a, [l]: { subject: a[l]?.subject ?? '', body: v } }));
                      }}
                    />
                  </Stack>
                </Tabs.Panel>
              ))}
            </Tabs>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TagsInput
              label={t('email-admin:allow')}
              description={t('email-admin:rulesHelp')}
              value={allowList}
              onChange={setAllowList}
              error={err('allowList')}
            />
            <TagsInput
              label={t('email-admin:block')}
              description={t('email-admin:rulesHelp')}
              value={blockList}
              onChange={setBlockList}
              error={err('blockList')}
            />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              type="submit"
              loading={save.isPending}
              disabled={!address.trim() || !name.trim()}
              data-testid="mailbox-save"
            >
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function InboundLog({ mailbox, onClose }: { mailbox: Mailbox; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const log = useQuery({
    queryKey: ['mailboxes', 'inbound', mailbox.id],
    queryFn: () => mailboxesApi.inbound(mailbox.id),
    refetchInterval: 5000,
  });
  const retry = useMutation({
    mutationFn: mailboxesApi.retry,
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['mailboxes', 'inbound', mailbox.id] }),
  });
  return (
    <Modal opened onClose={onClose} size="xl" centered title={t('email-admin:log.title')}>
      {log.data?.length === 0 && <Text c="dimmed">{t('email-admin:nothingYet')}</Text>}
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Tbody>
            {(log.data ?? []).map((m) => (
              <Table.Tr key={m.id}>
                <Table.Td>{formatDateTime(m.receivedAt, i18n.language)}</Table.Td>
                <Table.Td>
                  <Text size="xs">{m.envelopeFrom}</Text>
                  <Text size="xs" c="dimmed">
                    {m.source}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge
                    size="xs"
                    variant="light"
                    color={m.status === 'processed' ? 'teal' : m.status === 'received' ? 'gray' : 'red'}
                  >
                    {t(`email-admin:log.status.${m.status}`)}
                  </Badge>
                  {m.outcome && (
                    <Text size="xs" c="dimmed">
                      {m.outcome}
                    </Text>
                  )}
                  {m.error && (
                    <Text size="xs" c="red">
                      {m.error}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {(m.status === 'failed' || m.status === 'quarantined') && (
                    <Button size="xs" variant="light" onClick={() => retry.mutate(m.id)}>
                      {t('email-admin:log.retry')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Modal>
  );
}
