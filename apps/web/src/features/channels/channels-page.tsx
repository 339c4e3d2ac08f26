import {
  Alert,
  Badge,
  Button,
  Card,
  Center,
  Chip,
  Code,
  CopyButton,
  Group,
  Loader,
  Modal,
  NumberInput,
  PasswordInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { CHANNEL_KINDS, type ChannelKind, type MessagingChannel } from '@seva/contracts';
import { IconPlayerPause, IconPlayerPlay, IconPlus, IconSend, IconSettings, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { adminApi, adminKeys } from '../admin/admin-api.ts';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { CHANNEL_FIELDS, fieldValuesToBody, type HoursForm, hookUrl, hoursFromChannel, hoursToBody, missingFields } from './channel-fields.ts';
import { channelKeys, channelsApi } from './channels-api.ts';

const STATUS_COLOR: Record<string, string> = { active: 'teal', paused: 'gray', error: 'red' };
const DELIVERY_COLOR: Record<string, string> = { queued: 'gray', sent: 'blue', delivered: 'teal', read: 'green', failed: 'red' };
const LANGS = ['en', 'bn', 'hi'] as const;

function when(iso: string | null, locale: string): string | null {
  return iso ? new Date(iso).toLocaleString(locale) : null;
}

/** Messaging channels: connect, test, pause and remove SMS, WhatsApp, Messenger, Instagram, Telegram and API channels. */
export function ChannelsPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: channelKeys.all, queryFn: channelsApi.list, enabled: can('settings:manage'), refetchInterval: 10_000 });
  const [connecting, setConnecting] = useState(false);
  const [editing, setEditing] = useState<MessagingChannel | null>(null);
  const [testing, setTesting] = useState<MessagingChannel | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: channelKeys.all });

  const toggle = useMutation({
    mutationFn: (c: MessagingChannel) => channelsApi.update(c.id, { status: c.status === 'paused' ? 'active' : 'paused' }),
    onSuccess: (c) => {
      refresh();
      notifications.show({ color: 'teal', message: c.status === 'paused' ? t('channels:paused') : t('channels:resumed') });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  const remove = useMutation({
    mutationFn: (id: string) => channelsApi.remove(id),
    onSuccess: () => {
      setConfirm(null);
      refresh();
      notifications.show({ color: 'teal', message: t('channels:removed') });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', message: errorMessage(t, err) });
    },
  });

  if (!can('settings:manage')) return <Alert color="yellow">{t('common:states.forbidden')}</Alert>;

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <div>
          <Title order={1} size="h2">
            {t('channels:title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('channels:help')}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setConnecting(true)} data-testid="channel-connect">
          {t('channels:connect')}
        </Button>
      </Group>
      {list.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {list.error && <Alert color="red">{errorMessage(t, list.error)}</Alert>}
      {list.data?.length === 0 && <Text c="dimmed">{t('channels:empty')}</Text>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(list.data ?? []).map((c) => (
          <Card key={c.id} withBorder padding="md" data-testid={`channel-${c.name}`}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <Text fw={600} truncate>
                  {c.name}
                </Text>
                <Group gap={6} wrap="nowrap">
                  <Badge variant="light">{t(`channels:kinds.${c.kind}`)}</Badge>
                  <Badge color={STATUS_COLOR[c.status]} data-testid="channel-status">
                    {t(`channels:statuses.${c.status}`)}
                  </Badge>
                </Group>
              </Group>
              <Group gap={6} wrap="nowrap">
                <Text size="xs" c="dimmed">
                  {t('channels:hookUrl')}
                </Text>
                <Code style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>{hookUrl(window.location.origin, c.hookPath)}</Code>
                <CopyButton value={hookUrl(window.location.origin, c.hookPath)}>
                  {({ copied, copy }) => (
                    <Button size="compact-xs" variant="subtle" onClick={copy}>
                      {copied ? t('channels:copied') : t('channels:copy')}
                    </Button>
                  )}
                </CopyButton>
              </Group>
              <Text size="xs" c="dimmed">
                {t('channels:lastInbound')}: {when(c.lastInboundAt, i18n.language) ?? t('channels:never')} · {t('channels:lastOutbound')}:{' '}
                {when(c.lastOutboundAt, i18n.language) ?? t('channels:never')}
              </Text>
              {c.lastError && (
                <Alert color="red" p="xs" title={t('channels:lastError')} data-testid="channel-last-error">
                  <Text size="xs">{c.lastError}</Text>
                  <Text size="xs" c="dimmed">
                    {when(c.lastErrorAt, i18n.language)}
                  </Text>
                </Alert>
              )}
              <Group gap="xs">
                <Button size="xs" variant="light" leftSection={<IconSend size={14} />} onClick={() => setTesting(c)} disabled={c.status === 'paused'} data-testid="channel-test">
                  {t('channels:test.open')}
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  leftSection={c.status === 'paused' ? <IconPlayerPlay size={14} /> : <IconPlayerPause size={14} />}
                  onClick={() => toggle.mutate(c)}
                  loading={toggle.isPending && toggle.variables?.id === c.id}
                  data-testid="channel-toggle"
                >
                  {c.status === 'paused' ? t('channels:resume') : t('channels:pause')}
                </Button>
                <Button size="xs" variant="light" leftSection={<IconSettings size={14} />} onClick={() => setEditing(c)} data-testid="channel-settings">
                  {t('channels:settings.open')}
                </Button>
                <Button
                  size="xs"
                  variant="light"
                  color="red"
                  leftSection={<IconTrash size={14} />}
                  data-testid="channel-remove"
                  onClick={() =>
                    setConfirm({
                      title: t('channels:removeTitle'),
                      message: t('channels:removeMessage', { name: c.name }),
                      confirmLabel: t('channels:remove'),
                      danger: true,
                      onConfirm: () => remove.mutate(c.id),
                    })
                  }
                >
                  {t('channels:remove')}
                </Button>
              </Group>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      {connecting && <ConnectModal onClose={() => setConnecting(false)} onDone={refresh} />}
      {editing && <SettingsModal channel={editing} onClose={() => setEditing(null)} onDone={refresh} />}
      {testing && <TestModal channel={testing} onClose={() => setTesting(null)} />}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function FieldInputs({
  kind,
  values,
  onChange,
  error,
  alreadySet = [],
}: {
  kind: ChannelKind;
  values: Record<string, string>;
  onChange: (key: string, value: string) => void;
  error: unknown;
  alreadySet?: readonly string[];
}) {
  const { t } = useTranslation();
  return (
    <>
      {CHANNEL_FIELDS[kind].map((f) => {
        const path = f.group === 'callbackUrl' ? 'callbackUrl' : `${f.group}.${f.key}`;
        const props = {
          key: f.key,
          label: t(`channels:fields.${f.key}`),
          required: f.required && !alreadySet.includes(f.key),
          value: values[f.key] ?? '',
          onChange: (e: { currentTarget: { value: string } }) => onChange(f.key, e.currentTarget.value),
          error: fieldError(error, path),
          placeholder: alreadySet.includes(f.key) ? t('channels:keepSecret') : undefined,
          'data-testid': `channel-field-${f.key}`,
        };
        return f.secret ? <PasswordInput {...props} autoComplete="new-password" /> : <TextInput {...props} />;
      })}
    </>
  );
}

function ConnectModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ChannelKind>('sms');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [secret, setSecret] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () => channelsApi.create({ kind, name: name.trim(), ...fieldValuesToBody(kind, values) }),
    onSuccess: (c) => {
      onDone();
      notifications.show({ color: 'teal', message: t('channels:connected') });
      if (c.secret) setSecret(c.secret);
      else onClose();
    },
  });
  const missing = missingFields(kind, values);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate();
  };
  return (
    <Modal opened onClose={onClose} title={t('channels:connect')} size="lg">
      {secret ? (
        <Stack>
          <Alert color="yellow">{t('channels:secretOnce')}</Alert>
          <Code block data-testid="channel-secret">
            {secret}
          </Code>
          <Group justify="flex-end">
            <Button onClick={onClose}>{t('channels:done')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack>
            <Select
              label={t('channels:kind')}
              data={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`channels:kinds.${k}`) }))}
              value={kind}
              onChange={(v) => v && setKind(v as ChannelKind)}
              allowDeselect={false}
              data-testid="channel-kind"
            />
            <Text size="xs" c="dimmed">
              {t(`channels:kindHelp.${kind}`)}
            </Text>
            <TextInput label={t('channels:name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(create.error, 'name')} data-testid="channel-name" />
            <FieldInputs kind={kind} values={values} onChange={(k, v) => setValues((s) => ({ ...s, [k]: v }))} error={create.error} />
            {create.error && <Alert color="red">{errorMessage(t, create.error)}</Alert>}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={create.isPending} disabled={name.trim() === '' || missing.length > 0} data-testid="channel-save">
                {t('channels:connect')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

function SettingsModal({ channel, onClose, onDone }: { channel: MessagingChannel; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const [name, setName] = useState(channel.name);
  const [teamId, setTeamId] = useState<string | null>(channel.teamId);
  const [language, setLanguage] = useState<string | null>(channel.language);
  const [replies, setReplies] = useState<Record<string, string>>({ ...channel.autoReplies });
  const [cost, setCost] = useState<number | string>(channel.costPerMessage);
  const [currency, setCurrency] = useState(channel.currency);
  const [values, setValues] = useState<Record<string, string>>({ ...channel.settings, ...(channel.callbackUrl ? { callbackUrl: channel.callbackUrl } : {}) });
  const [hours, setHours] = useState<HoursForm>(() => hoursFromChannel(channel.businessHours, Intl.DateTimeFormat().resolvedOptions().timeZone));
  const [away, setAway] = useState<Record<string, string>>({ ...channel.awayReplies });
  const save = useMutation({
    mutationFn: () =>
      channelsApi.update(channel.id, {
        name: name.trim(),
        teamId,
        language,
        autoReplies: Object.fromEntries(Object.entries(replies).filter(([, v]) => v.trim() !== '')),
        businessHours: hoursToBody(hours),
        awayReplies: Object.fromEntries(Object.entries(away).filter(([, v]) => v.trim() !== '')),
        costPerMessage: typeof cost === 'number' ? cost : Number(cost) || 0,
        currency: currency.trim().toUpperCase(),
        ...fieldValuesToBody(channel.kind, values),
      }),
    onSuccess: () => {
      onDone();
      notifications.show({ color: 'teal', message: t('channels:saved') });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('channels:settings.title', { name: channel.name })} size="lg">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <TextInput label={t('channels:name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <Select
            label={t('channels:settings.team')}
            clearable
            data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
            value={teamId}
            onChange={setTeamId}
          />
          <Select
            label={t('channels:settings.language')}
            clearable
            placeholder={t('channels:settings.languageDetect')}
            data={LANGS.map((l) => ({ value: l, label: t(`channels:languages.${l}`) }))}
            value={language}
            onChange={setLanguage}
          />
          <Text fw={500} size="sm">
            {t('channels:settings.autoReply')}
          </Text>
          <Text size="xs" c="dimmed">
            {t('channels:settings.autoReplyHelp')}
          </Text>
          {LANGS.map((l) => (
            <Textarea
              key={l}
              label={t(`channels:languages.${l}`)}
              autosize
              minRows={1}
              value={replies[l] ?? ''}
              onChange={(e) => {
                const v = e.currentTarget.value;
                setReplies((r) => ({ ...r, [l]: v }));
              }}
            />
          ))}
          <Switch
            label={t('channels:settings.businessHours')}
            description={t('channels:settings.businessHoursHelp')}
            checked={hours.enabled}
            onChange={(e) => {
              const enabled = e.currentTarget.checked;
              setHours((h) => ({ ...h, enabled }));
            }}
            data-testid="channel-hours-enabled"
          />
          {hours.enabled && (
            <Stack gap="xs">
              <TextInput
                label={t('channels:settings.timezone')}
                value={hours.timezone}
                onChange={(e) => {
                  const timezone = e.currentTarget.value;
                  setHours((h) => ({ ...h, timezone }));
                }}
                error={fieldError(save.error, 'businessHours.timezone')}
              />
              <Chip.Group multiple value={hours.days.map(String)} onChange={(v) => setHours((h) => ({ ...h, days: v.map(Number) }))}>
                <Group gap={4}>
                  {[1, 2, 3, 4, 5, 6, 0].map((d) => (
                    <Chip key={d} value={String(d)} size="xs">
                      {t(`channels:weekdays.${d}`)}
                    </Chip>
                  ))}
                </Group>
              </Chip.Group>
              <Group grow>
                <TextInput
                  type="time"
                  label={t('channels:settings.opensAt')}
                  value={hours.open}
                  onChange={(e) => {
                    const open = e.currentTarget.value;
                    setHours((h) => ({ ...h, open }));
                  }}
                />
                <TextInput
                  type="time"
                  label={t('channels:settings.closesAt')}
                  value={hours.close}
                  onChange={(e) => {
                    const close = e.currentTarget.value;
                    setHours((h) => ({ ...h, close }));
                  }}
                />
              </Group>
              <Text size="xs" c="dimmed">
                {t('channels:settings.awayReplyHelp')}
              </Text>
              {LANGS.map((l) => (
                <Textarea
                  key={l}
                  label={`${t('channels:settings.awayReply')} · ${t(`channels:languages.${l}`)}`}
                  autosize
                  minRows={1}
                  value={away[l] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setAway((r) => ({ ...r, [l]: v }));
                  }}
                />
              ))}
            </Stack>
          )}
          <Group grow>
            <NumberInput label={t('channels:settings.cost')} min={0} decimalScale={6} value={cost} onChange={setCost} />
            <TextInput label={t('channels:settings.currency')} maxLength={3} value={currency} onChange={(e) => setCurrency(e.currentTarget.value)} />
          </Group>
          <Text fw={500} size="sm">
            {t('channels:settings.connection')}
          </Text>
          <FieldInputs
            kind={channel.kind}
            values={values}
            onChange={(k, v) => setValues((s) => ({ ...s, [k]: v }))}
            error={save.error}
            alreadySet={channel.credentialsSet}
          />
          {save.error && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('channels:save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function TestModal({ channel, onClose }: { channel: MessagingChannel; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [to, setTo] = useState('');
  const [text, setText] = useState(t('channels:test.defaultText'));
  const deliveries = useQuery({ queryKey: channelKeys.deliveries(channel.id), queryFn: () => channelsApi.deliveries(channel.id), refetchInterval: 2000 });
  const send = useMutation({
    mutationFn: () => channelsApi.sendTest(channel.id, { to: to.trim(), text: text.trim() }),
    onSuccess: () => void deliveries.refetch(),
  });
  return (
    <Modal opened onClose={onClose} title={t('channels:test.title', { name: channel.name })} size="lg">
      <Stack>
        <TextInput label={t(`channels:test.to.${channel.kind}`)} required value={to} onChange={(e) => setTo(e.currentTarget.value)} data-testid="channel-test-to" />
        <Textarea label={t('channels:test.text')} required value={text} onChange={(e) => setText(e.currentTarget.value)} />
        {send.error && <Alert color="red">{errorMessage(t, send.error)}</Alert>}
        <Group justify="flex-end">
          <Button onClick={() => send.mutate()} loading={send.isPending} disabled={!to.trim() || !text.trim()} data-testid="channel-test-send">
            {t('channels:test.send')}
          </Button>
        </Group>
        <Text fw={500} size="sm">
          {t('channels:deliveries.title')}
        </Text>
        {deliveries.data?.length === 0 && <Text c="dimmed" size="sm">{t('channels:deliveries.empty')}</Text>}
        {(deliveries.data?.length ?? 0) > 0 && (
          <Table striped fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('channels:deliveries.when')}</Table.Th>
                <Table.Th>{t('channels:deliveries.kind')}</Table.Th>
                <Table.Th>{t('channels:deliveries.recipient')}</Table.Th>
                <Table.Th>{t('channels:deliveries.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(deliveries.data ?? []).map((d) => (
                <Table.Tr key={d.id}>
                  <Table.Td>{when(d.createdAt, i18n.language)}</Table.Td>
                  <Table.Td>{t(`channels:deliveries.kinds.${d.kind}`)}</Table.Td>
                  <Table.Td>{d.recipient}</Table.Td>
                  <Table.Td>
                    <Badge color={DELIVERY_COLOR[d.status]} size="sm">
                      {t(`channels:deliveries.statuses.${d.status}`)}
                    </Badge>
                    {d.lastError && (
                      <Text size="xs" c="red">
                        {d.lastError}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Modal>
  );
}
