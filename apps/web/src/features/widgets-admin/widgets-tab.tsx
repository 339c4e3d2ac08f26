import type { Widget } from '@seva/contracts';
import { Alert, Anchor, Badge, Button, Card, Center, Code, CopyButton, Group, Loader, Modal, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconCheck, IconCopy, IconExternalLink, IconKey, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { demoUrl } from './widget-form.ts';
import { WidgetFormModal } from './widget-form-modal.tsx';
import { widgetKeys, widgetsApi } from './widgets-api.ts';

/** Admin → Widgets: the help widgets of the company's sites, their snippet, identity secret and demo page. */
export function WidgetsTab() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: widgetKeys.all, queryFn: widgetsApi.list });
  const [editing, setEditing] = useState<Widget | 'new' | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const [secret, setSecret] = useState<{ widget: Widget; secret: string } | null>(null);
  const refresh = () => void qc.invalidateQueries({ queryKey: widgetKeys.all });
  const remove = useMutation({
    mutationFn: (id: string) => widgetsApi.remove(id),
    onSuccess: () => {
      setConfirm(null);
      refresh();
      notifications.show({ color: 'teal', message: t('widgets-admin:removed') });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', message: errorMessage(t, err) });
    },
  });
  const rotate = useMutation({
    mutationFn: (w: Widget) => widgetsApi.identitySecret(w.id).then((r) => ({ widget: w, secret: r.secret })),
    onSuccess: (r) => {
      setConfirm(null);
      setSecret(r);
      refresh();
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', message: errorMessage(t, err) });
    },
  });
  const askSecret = (w: Widget) => {
    if (!w.hasIdentitySecret) {
      rotate.mutate(w);
      return;
    }
    setConfirm({ title: t('widgets-admin:secret.replaceTitle'), message: t('widgets-admin:secret.replaceMessage'), confirmLabel: t('widgets-admin:secret.replace'), danger: true, onConfirm: () => rotate.mutate(w) });
  };

  return (
    <Stack gap="md">
      <Group justify="space-between">
        <Text c="dimmed" size="sm" maw={640}>
          {t('widgets-admin:help')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="widget-create">
          {t('widgets-admin:create')}
        </Button>
      </Group>
      {list.isLoading && (
        <Center p="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {list.error && <Alert color="red">{errorMessage(t, list.error)}</Alert>}
      {list.data?.length === 0 && <Text c="dimmed">{t('widgets-admin:empty')}</Text>}
      <SimpleGrid cols={{ base: 1, lg: 2 }}>
        {list.data?.map((w) => (
          <Card key={w.id} withBorder padding="md" data-testid="widget-card" data-widget-name={w.name}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="nowrap">
                <Group gap={8} wrap="nowrap">
                  <span aria-hidden style={{ width: 14, height: 14, borderRadius: 7, background: w.primaryColor, display: 'inline-block' }} />
                  <Title order={3} size="h5">
                    {w.name}
                  </Title>
                </Group>
                <Badge color={w.status === 'active' ? 'teal' : 'gray'}>{t(`widgets-admin:status.${w.status}`)}</Badge>
              </Group>
              <Text size="xs" c="dimmed">
                {w.allowedOrigins.length ? w.allowedOrigins.join(', ') : t('widgets-admin:anyOrigin')}
              </Text>
              <Group gap={4}>
                {(['chat', 'message', 'callback', 'kb'] as const)
                  .filter((k) => w.options[k])
                  .map((k) => (
                    <Badge key={k} size="xs" variant="light">
                      {t(`widgets-admin:options.${k}`)}
                    </Badge>
                  ))}
                {w.requireIdentity && (
                  <Badge size="xs" variant="outline" color="blue">
                    {t('widgets-admin:identityRequired')}
                  </Badge>
                )}
              </Group>
              <Text size="sm" fw={500}>
                {t('widgets-admin:snippet')}
              </Text>
              <Code block data-testid="widget-snippet" style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
                {w.snippet}
              </Code>
              <Group gap="xs">
                <CopyButton value={w.snippet}>
                  {({ copied, copy }) => (
                    <Button size="xs" variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy} data-testid="widget-copy">
                      {copied ? t('widgets-admin:copied') : t('widgets-admin:copy')}
                    </Button>
                  )}
                </CopyButton>
                <Button size="xs" variant="default" leftSection={<IconPencil size={14} />} onClick={() => setEditing(w)} data-testid="widget-edit">
                  {t('widgets-admin:edit')}
                </Button>
                <Button size="xs" variant="default" leftSection={<IconKey size={14} />} onClick={() => askSecret(w)} loading={rotate.isPending && rotate.variables?.id === w.id} data-testid="widget-secret">
                  {w.hasIdentitySecret ? t('widgets-admin:secret.regenerate') : t('widgets-admin:secret.generate')}
                </Button>
                <Anchor href={demoUrl(w.publicKey)} target="_blank" rel="noopener" size="xs" data-testid="widget-demo">
                  <Group gap={4}>
                    <IconExternalLink size={14} />
                    {t('widgets-admin:demo')}
                  </Group>
                </Anchor>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  leftSection={<IconTrash size={14} />}
                  onClick={() => setConfirm({ title: t('widgets-admin:removeTitle'), message: t('widgets-admin:removeMessage', { name: w.name }), confirmLabel: t('widgets-admin:remove'), danger: true, onConfirm: () => remove.mutate(w.id) })}
                  data-testid="widget-remove"
                >
                  {t('widgets-admin:remove')}
                </Button>
              </Group>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      {editing && <WidgetFormModal widget={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => setEditing(null)} />}
      <ConfirmModal request={confirm} loading={remove.isPending || rotate.isPending} onClose={() => setConfirm(null)} />
      <Modal opened={secret !== null} onClose={() => setSecret(null)} title={t('widgets-admin:secret.title')} centered>
        {secret && (
          <Stack gap="sm">
            <Alert color="yellow">{t('widgets-admin:secret.warning')}</Alert>
            <Code block data-testid="widget-secret-value" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {secret.secret}
            </Code>
            <Text size="xs" c="dimmed">
              {t('widgets-admin:secret.howTo')}
            </Text>
            <Group justify="flex-end">
              <CopyButton value={secret.secret}>
                {({ copied, copy }) => (
                  <Button variant="light" leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />} onClick={copy}>
                    {copied ? t('widgets-admin:copied') : t('widgets-admin:copy')}
                  </Button>
                )}
              </CopyButton>
              <Button onClick={() => setSecret(null)} data-testid="widget-secret-done">
                {t('widgets-admin:secret.done')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
