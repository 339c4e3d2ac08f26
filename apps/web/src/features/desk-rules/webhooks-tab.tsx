import { ActionIcon, Alert, Badge, Button, Card, Code, CopyButton, Group, Modal, MultiSelect, Stack, Switch, Table, Text, TextInput, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { type Webhook, WEBHOOK_EVENTS } from '@seva/contracts';
import { IconHistory, IconKey, IconPlus, IconSend, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { rulesApi, ruleKeys } from './desk-rules-api.ts';

const STATUS_COLOR: Record<string, string> = { delivered: 'teal', pending: 'gray', failed: 'orange', gave_up: 'red' };

/** Outgoing webhooks: URL and events, the secret shown once, test pings and the delivery log. */
export function WebhooksTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const hooks = useQuery({ queryKey: ruleKeys.webhooks, queryFn: rulesApi.webhooks });
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<Webhook | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: ['webhooks'] });
  const onError = (err: unknown) => notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  const toggle = useMutation({ mutationFn: (w: Webhook) => rulesApi.updateWebhook(w.id, { active: !w.active }), onSuccess: () => void refresh(), onError });
  const ping = useMutation({ mutationFn: rulesApi.ping, onSuccess: () => notifications.show({ color: 'teal', message: t('desk-rules:webhooks.pinged') }), onError });
  const rotate = useMutation({ mutationFn: rulesApi.rotateSecret, onSuccess: (w) => setSecret(w.secret), onError });
  const remove = useMutation({
    mutationFn: rulesApi.deleteWebhook,
    onSuccess: () => {
      setConfirm(null);
      void refresh();
    },
    onError,
  });

  return (
    <Stack data-testid="webhooks-admin">
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {t('desk-rules:webhooks.help')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} data-testid="webhook-create">
          {t('desk-rules:webhooks.create')}
        </Button>
      </Group>
      {secret && (
        <Alert color="yellow" title={t('desk-rules:webhooks.secretTitle')} withCloseButton onClose={() => setSecret(null)} data-testid="webhook-secret">
          <Text size="sm">{t('desk-rules:webhooks.secretOnce')}</Text>
          <Group gap="xs" mt="xs">
            <Code>{secret}</Code>
            <CopyButton value={secret}>
              {({ copied, copy }) => (
                <Button size="xs" variant="light" onClick={copy}>
                  {copied ? t('desk-rules:webhooks.copied') : t('desk-rules:webhooks.copy')}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      {hooks.data?.length === 0 && <Text c="dimmed">{t('desk-rules:webhooks.none')}</Text>}
      {(hooks.data ?? []).map((w) => (
        <Card key={w.id} withBorder data-testid={`webhook-${w.name}`}>
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <div style={{ minWidth: 0 }}>
              <Group gap={6}>
                <Text fw={600}>{w.name}</Text>
                {w.consecutiveFailures > 0 && (
                  <Badge color="orange" variant="light">
                    {t('desk-rules:webhooks.failing', { count: w.consecutiveFailures })}
                  </Badge>
                )}
              </Group>
              <Text size="sm" c="dimmed" truncate>
                {w.url}
              </Text>
              <Text size="xs">{w.events.join(', ') || t('desk-rules:webhooks.noEvents')}</Text>
              {w.lastError && (
                <Text size="xs" c="red">
                  {w.lastError}
                </Text>
              )}
            </div>
            <Group gap={4} wrap="nowrap">
              <Switch checked={w.active} onChange={() => toggle.mutate(w)} aria-label={t('desk-rules:common.active')} />
              <Tooltip label={t('desk-rules:webhooks.ping')}>
                <ActionIcon variant="subtle" aria-label={t('desk-rules:webhooks.ping')} onClick={() => ping.mutate(w.id)}>
                  <IconSend size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('desk-rules:webhooks.log')}>
                <ActionIcon variant="subtle" aria-label={t('desk-rules:webhooks.log')} onClick={() => setLogOf(w)}>
                  <IconHistory size={16} />
                </ActionIcon>
              </Tooltip>
              <Tooltip label={t('desk-rules:webhooks.rotate')}>
                <ActionIcon variant="subtle" aria-label={t('desk-rules:webhooks.rotate')} onClick={() => rotate.mutate(w.id)}>
                  <IconKey size={16} />
                </ActionIcon>
              </Tooltip>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('common:actions.delete')}
                onClick={() =>
                  setConfirm({
                    title: t('desk-rules:webhooks.deleteTitle'),
                    message: t('desk-rules:webhooks.deleteConfirm', { name: w.name }),
                    confirmLabel: t('common:actions.delete'),
                    danger: true,
                    onConfirm: () => remove.mutate(w.id),
                  })
                }
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          </Group>
        </Card>
      ))}
      {creating && (
        <WebhookModal
          onClose={() => setCreating(false)}
          onCreated={(s) => {
            setSecret(s);
            setCreating(false);
            void refresh();
          }}
        />
      )}
      {logOf && <DeliveryLog webhook={logOf} onClose={() => setLogOf(null)} />}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function WebhookModal({ onClose, onCreated }: { onClose: () => void; onCreated: (secret: string) => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [url, setUrl] = useState('https://');
  const [events, setEvents] = useState<string[]>(['ticket.created']);
  const save = useMutation({
    mutationFn: () => rulesApi.createWebhook({ name: name.trim(), url: url.trim(), events: events as Array<(typeof WEBHOOK_EVENTS)[number]>, active: true }),
    onSuccess: (w) => onCreated(w.secret),
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <Modal opened onClose={onClose} centered size="lg" title={t('desk-rules:webhooks.create')}>
      <form onSubmit={onSubmit} noValidate data-testid="webhook-form">
        <Stack gap="sm">
          {save.error && !fieldError(save.error, 'url') && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput label={t('desk-rules:webhooks.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="webhook-name" />
          <TextInput label={t('desk-rules:webhooks.url')} required value={url} onChange={(e) => setUrl(e.currentTarget.value)} error={fieldError(save.error, 'url')} data-testid="webhook-url" />
          <MultiSelect label={t('desk-rules:webhooks.events')} data={[...WEBHOOK_EVENTS]} value={events} onChange={setEvents} searchable />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()} data-testid="webhook-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function DeliveryLog({ webhook, onClose }: { webhook: Webhook; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const log = useQuery({ queryKey: ruleKeys.deliveries(webhook.id), queryFn: () => rulesApi.deliveries(webhook.id), refetchInterval: 5000 });
  const again = useMutation({ mutationFn: (id: string) => rulesApi.redeliver(webhook.id, id), onSuccess: () => void qc.invalidateQueries({ queryKey: ruleKeys.deliveries(webhook.id) }) });
  return (
    <Modal opened onClose={onClose} size="xl" centered title={t('desk-rules:webhooks.logTitle', { name: webhook.name })}>
      {log.data?.length === 0 && <Text c="dimmed">{t('desk-rules:webhooks.logEmpty')}</Text>}
      <Table.ScrollContainer minWidth={640}>
        <Table>
          <Table.Tbody>
            {(log.data ?? []).map((d) => (
              <Table.Tr key={d.id}>
                <Table.Td>{formatDateTime(d.createdAt, i18n.language)}</Table.Td>
                <Table.Td>
                  <Code>{d.eventType}</Code>
                </Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLOR[d.status] ?? 'gray'} variant="light">
                    {t(`desk-rules:webhooks.status.${d.status}`)}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {t('desk-rules:webhooks.attempts', { count: d.attempts })}
                    {d.lastStatusCode ? ` · HTTP ${d.lastStatusCode}` : ''}
                  </Text>
                  {d.lastError && (
                    <Text size="xs" c="red">
                      {d.lastError}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {d.status !== 'delivered' && d.status !== 'pending' && (
                    <Button size="xs" variant="light" onClick={() => again.mutate(d.id)}>
                      {t('desk-rules:webhooks.redeliver')}
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
