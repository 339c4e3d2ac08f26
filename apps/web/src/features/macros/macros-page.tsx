import type { Macro, MacroActions } from '@seva/contracts';
import { ActionIcon, Alert, Badge, Button, Group, Modal, Select, SimpleGrid, Stack, Switch, Table, Tabs, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import { useSession } from '../../lib/session.tsx';
import { adminApi, adminKeys } from '../admin/admin-api.ts';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { errorMessage, fieldError } from '../auth/auth-errors.ts';
import { macroKeys, macrosApi } from './macros-api.ts';

const LANGS = ['en', 'bn', 'hi'] as const;
const PLACEHOLDERS = '{{customer.first_name}} {{customer.name}} {{ticket.number}} {{ticket.subject}} {{agent.name}} {{agent.first_name}} {{article:<slug>}} {{announcement:<id>}}';

/** Macros and canned replies: my own and the desk's shared ones, with texts in English, Bengali and Hindi. */
export function MacrosPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const list = useQuery({ queryKey: [...macroKeys.all, 'manage'], queryFn: () => macrosApi.list('', true) });
  const [editing, setEditing] = useState<Macro | 'new' | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const remove = useMutation({
    mutationFn: macrosApi.remove,
    onSuccess: () => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: macroKeys.all });
    },
    onError: (err) => {
      setConfirm(null);
      notifications.show({ color: 'red', message: errorMessage(t, err) });
    },
  });
  return (
    <Stack data-testid="macros-page">
      <Group justify="space-between">
        <div>
          <Title order={1} size="h2">
            {t('macros:title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('macros:help')}
          </Text>
        </div>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="macro-create">
          {t('macros:create')}
        </Button>
      </Group>
      {list.error && <Alert color="red">{errorMessage(t, list.error)}</Alert>}
      {list.data?.length === 0 && <Text c="dimmed">{t('macros:none')}</Text>}
      {(list.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('macros:form.name')}</Table.Th>
                <Table.Th>{t('macros:form.shortcut')}</Table.Th>
                <Table.Th>{t('macros:form.languages')}</Table.Th>
                <Table.Th>{t('macros:uses')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data ?? []).map((m) => (
                <Table.Tr key={m.id} data-testid={`macro-${m.name}`} opacity={m.active ? 1 : 0.5}>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm" fw={500}>
                        {m.name}
                      </Text>
                      <Badge size="xs" variant="light" color={m.shared ? 'blue' : 'gray'}>
                        {m.shared ? t('macros:shared') : t('macros:personal')}
                      </Badge>
                      {m.internal && (
                        <Badge size="xs" variant="light" color="yellow">
                          {t('macros:internal')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{m.shortcut ? `/${m.shortcut}` : '—'}</Table.Td>
                  <Table.Td>{Object.keys(m.bodies).filter((l) => m.bodies[l]?.trim()).join(', ')}</Table.Td>
                  <Table.Td>{formatNumber(m.usageCount, i18n.language)}</Table.Td>
                  <Table.Td>
                    {m.editable && (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <ActionIcon variant="subtle" aria-label={t('common:actions.edit')} onClick={() => setEditing(m)}>
                          <IconPencil size={16} />
                        </ActionIcon>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={t('common:actions.delete')}
                          onClick={() =>
                            setConfirm({
                              title: t('macros:deleteTitle'),
                              message: t('macros:deleteConfirm', { name: m.name }),
                              confirmLabel: t('common:actions.delete'),
                              danger: true,
                              onConfirm: () => remove.mutate(m.id),
                            })
                          }
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <MacroModal macro={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function MacroModal({ macro, onClose }: { macro: Macro | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const [name, setName] = useState(macro?.name ?? '');
  const [shortcut, setShortcut] = useState(macro?.shortcut ?? '');
  const [shared, setShared] = useState(macro?.shared ?? false);
  const [internal, setInternal] = useState(macro?.internal ?? false);
  const [active, setActive] = useState(macro?.active ?? true);
  const [bodies, setBodies] = useState<Record<string, string>>({ en: '', bn: '', hi: '', ...(macro?.bodies ?? {}) });
  const [actions, setActions] = useState<MacroActions>(macro?.actions ?? {});
  const save = useMutation({
    mutationFn: () => {
      const texts = Object.fromEntries(Object.entries(bodies).filter(([, v]) => v.trim() !== ''));
      const common = { name: name.trim(), shortcut: shortcut.trim() || null, bodies: texts, internal, actions, active };
      return macro ? macrosApi.update(macro.id, common) : macrosApi.create({ ...common, shared });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: macroKeys.all });
      notifications.show({ color: 'teal', message: t('macros:saved', { name: name.trim() }) });
      onClose();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) save.mutate();
  };
  const setAction = <K extends keyof MacroActions>(k: K, v: MacroActions[K] | undefined) =>
    setActions((a) => {
      const next = { ...a };
      if (v === undefined || (Array.isArray(v) && v.length === 0)) delete next[k];
      else next[k] = v;
      return next;
    });
  return (
    <Modal opened onClose={onClose} size="xl" centered title={macro ? t('macros:edit') : t('macros:create')}>
      <form onSubmit={onSubmit} noValidate data-testid="macro-form">
        <Stack gap="sm">
          {save.error && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('macros:form.name')} required value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="macro-name" />
            <TextInput
              label={t('macros:form.shortcut')}
              description={t('macros:form.shortcutHelp')}
              leftSection="/"
              value={shortcut}
              onChange={(e) => setShortcut(e.currentTarget.value)}
              error={fieldError(save.error, 'shortcut')}
              data-testid="macro-shortcut"
            />
          </SimpleGrid>
          <Group>
            {!macro && can('categories:manage') && <Switch label={t('macros:form.shared')} checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />}
            <Switch label={t('macros:form.internal')} checked={internal} onChange={(e) => setInternal(e.currentTarget.checked)} />
            <Switch label={t('macros:form.active')} checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
          </Group>
          <Tabs defaultValue="en">
            <Tabs.List>
              {LANGS.map((l) => (
                <Tabs.Tab key={l} value={l}>
                  {t(`common:languages.${l}`, { defaultValue: l })}
                </Tabs.Tab>
              ))}
            </Tabs.List>
            {LANGS.map((l) => (
              <Tabs.Panel key={l} value={l} pt="xs">
                <Textarea
                  autosize
                  minRows={4}
                  value={bodies[l] ?? ''}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    setBodies((b) => ({ ...b, [l]: v }));
                  }}
                  error={fieldError(save.error, `bodies.${l}`)}
                  aria-label={t('macros:form.text', { language: l })}
                  data-testid={`macro-body-${l}`}
                />
              </Tabs.Panel>
            ))}
          </Tabs>
          <Text size="xs" c="dimmed">
            {t('macros:form.placeholders', { list: PLACEHOLDERS })}
          </Text>
          <Text fw={600} size="sm">
            {t('macros:form.actions')}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('macros:action.status')}
              data={(['open', 'pending', 'on_hold', 'solved'] as const).map((s) => ({ value: s, label: t(`ticket:status.${s}`) }))}
              value={actions.status ?? null}
              onChange={(v) => setAction('status', (v ?? undefined) as MacroActions['status'])}
              clearable
            />
            <Select
              label={t('macros:action.priority')}
              data={(['low', 'normal', 'high', 'urgent'] as const).map((s) => ({ value: s, label: t(`ticket:priority.${s}`) }))}
              value={actions.priority ?? null}
              onChange={(v) => setAction('priority', (v ?? undefined) as MacroActions['priority'])}
              clearable
            />
            <Select
              label={t('macros:action.team')}
              data={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
              value={actions.teamId ?? null}
              onChange={(v) => setAction('teamId', v ?? undefined)}
              clearable
            />
            <TagsInput label={t('macros:action.addTags')} value={actions.addTags ?? []} onChange={(v) => setAction('addTags', v)} />
          </SimpleGrid>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!name.trim()} data-testid="macro-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
