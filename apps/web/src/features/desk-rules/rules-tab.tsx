import { ActionIcon, Alert, Badge, Button, Group, Modal, SegmentedControl, Stack, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { AutomationRule } from '@seva/contracts';
import { IconHistory, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { ConfirmModal, type ConfirmRequest } from '../admin/confirm-modal.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { rulesApi, ruleKeys } from './desk-rules-api.ts';
import { RuleModal } from './rule-modal.tsx';

const OUTCOME_COLOR: Record<string, string> = { ran: 'teal', loop_stopped: 'orange', failed: 'red' };

/** Triggers (on events) and automations (on time), in order, each with its execution log. */
export function RulesTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [kind, setKind] = useState<'trigger' | 'automation'>('trigger');
  const rules = useQuery({ queryKey: ruleKeys.rules(kind), queryFn: () => rulesApi.rules(kind) });
  const [editing, setEditing] = useState<AutomationRule | 'new' | null>(null);
  const [logOf, setLogOf] = useState<AutomationRule | null>(null);
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  const onError = (err: unknown) => notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  const toggle = useMutation({ mutationFn: (r: AutomationRule) => rulesApi.updateRule(r.id, { active: !r.active }), onSuccess: () => void qc.invalidateQueries({ queryKey: ['automations'] }), onError });
  const remove = useMutation({
    mutationFn: rulesApi.deleteRule,
    onSuccess: () => {
      setConfirm(null);
      void qc.invalidateQueries({ queryKey: ['automations'] });
    },
    onError,
  });

  return (
    <Stack data-testid="rules-admin">
      <Group justify="space-between">
        <SegmentedControl
          value={kind}
          onChange={(v) => setKind(v as 'trigger' | 'automation')}
          data={[
            { value: 'trigger', label: t('desk-rules:rules.triggers') },
            { value: 'automation', label: t('desk-rules:rules.automations') },
          ]}
        />
        <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="rule-create">
          {t(`desk-rules:rules.${kind}.create`)}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t(`desk-rules:rules.${kind}.help`)}
      </Text>
      {rules.error && <Alert color="red">{errorMessage(t, rules.error)}</Alert>}
      {rules.data?.length === 0 && <Text c="dimmed">{t('desk-rules:rules.none')}</Text>}
      {(rules.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('desk-rules:rules.name')}</Table.Th>
                <Table.Th>{t('desk-rules:rules.runs')}</Table.Th>
                <Table.Th>{t('desk-rules:common.active')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(rules.data ?? []).map((r) => (
                <Table.Tr key={r.id} data-testid={`rule-${r.name}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {r.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {r.events.map((e) => t(`desk-rules:rules.event.${e.replace('.', '_')}`)).join(', ')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatNumber(r.runCount, i18n.language)}</Text>
                    {r.lastRunAt && (
                      <Text size="xs" c="dimmed">
                        {formatDateTime(r.lastRunAt, i18n.language)}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Switch checked={r.active} onChange={() => toggle.mutate(r)} aria-label={t('desk-rules:common.active')} />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      <ActionIcon variant="subtle" aria-label={t('desk-rules:rules.log')} onClick={() => setLogOf(r)}>
                        <IconHistory size={16} />
                      </ActionIcon>
                      <ActionIcon variant="subtle" aria-label={t('common:actions.edit')} onClick={() => setEditing(r)}>
                        <IconPencil size={16} />
                      </ActionIcon>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('common:actions.delete')}
                        onClick={() =>
                          setConfirm({
                            title: t('desk-rules:rules.deleteTitle'),
                            message: t('desk-rules:rules.deleteConfirm', { name: r.name }),
                            confirmLabel: t('common:actions.delete'),
                            danger: true,
                            onConfirm: () => remove.mutate(r.id),
                          })
                        }
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {editing && <RuleModal kind={kind} rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
      {logOf && <RunLog rule={logOf} onClose={() => setLogOf(null)} />}
      <ConfirmModal request={confirm} loading={remove.isPending} onClose={() => setConfirm(null)} />
    </Stack>
  );
}

function RunLog({ rule, onClose }: { rule: AutomationRule; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const runs = useQuery({ queryKey: ruleKeys.runs(rule.id), queryFn: () => rulesApi.runs(rule.id) });
  return (
    <Modal opened onClose={onClose} size="xl" centered title={t('desk-rules:rules.logTitle', { name: rule.name })}>
      {runs.data?.length === 0 && <Text c="dimmed">{t('desk-rules:rules.logEmpty')}</Text>}
      <Table>
        <Table.Tbody>
          {(runs.data ?? []).map((r) => (
            <Table.Tr key={r.id}>
              <Table.Td>{formatDateTime(r.at, i18n.language)}</Table.Td>
              <Table.Td>#{r.ticketNumber}</Table.Td>
              <Table.Td>
                <Badge color={OUTCOME_COLOR[r.outcome] ?? 'gray'} variant="light">
                  {t(`desk-rules:rules.outcome.${r.outcome}`)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="xs">{r.actions.join(', ')}</Text>
                {r.error && (
                  <Text size="xs" c="red">
                    {r.error}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Modal>
  );
}
