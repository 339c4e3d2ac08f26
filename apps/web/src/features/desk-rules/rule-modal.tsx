import { ActionIcon, Alert, Button, Group, Modal, MultiSelect, NumberInput, Paper, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  type AutomationAction,
  type AutomationRule,
  CHANNELS,
  CONDITION_FIELDS,
  type Condition,
  type ConditionField,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
  TICKET_TYPES,
  TRIGGER_EVENTS,
} from '@seva/contracts';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi, adminKeys, useAdminStaff } from '../admin/admin-api.ts';
import { usePhone } from '../admin/use-phone.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { AttributeKeyInput } from './attribute-key-input.tsx';
import { rulesApi, ruleKeys } from './desk-rules-api.ts';
import { fitCondition, newAction, opsFor, type RuleForm, ruleBody, valueKind } from './rule-form.ts';

const PLACEHOLDERS = '{{customer.name}}, {{customer.first_name}}, {{ticket.number}}, {{ticket.subject}}, {{assignee.name}}';
const ACTION_TYPES: AutomationAction['type'][] = ['set_status', 'set_priority', 'set_type', 'set_category', 'set_team', 'assign', 'add_tags', 'remove_tags', 'add_note', 'email_customer', 'notify', 'call_webhook'];

function useChoices() {
  const { t } = useTranslation();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const categories = useQuery({ queryKey: adminKeys.categories, queryFn: adminApi.listCategories });
  const webhooks = useQuery({ queryKey: ruleKeys.webhooks, queryFn: rulesApi.webhooks });
  const staff = useAdminStaff();
  return {
    status: TICKET_STATUSES.map((s) => ({ value: s, label: t(`ticket:status.${s}`) })),
    priority: TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`ticket:priority.${p}`) })),
    type: TICKET_TYPES.map((p) => ({ value: p, label: t(`ticket:type.${p}`) })),
    channel: CHANNELS.map((c) => ({ value: c, label: t(`ticket:channel.${c}`) })),
    language: ['en', 'bn', 'hi'].map((l) => ({ value: l, label: t(`common:languages.${l}`, { defaultValue: l }) })),
    team_id: (teams.data ?? []).map((x) => ({ value: x.id, label: x.name })),
    category_id: (categories.data ?? []).map((x) => ({ value: x.id, label: x.name })),
    assignee_id: (staff.data ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: s.name })),
    webhooks: (webhooks.data ?? []).map((w) => ({ value: w.id, label: w.name })),
  };
}

type Choices = ReturnType<typeof useChoices>;

function ConditionRow({ c, onChange, onRemove, choices }: { c: Condition; onChange(c: Condition): void; onRemove(): void; choices: Choices }) {
  const { t } = useTranslation();
  const kind = valueKind(c.field, c.op);
  const options = (choices as unknown as Record<string, Array<{ value: string; label: string }> | undefined>)[c.field];
  return (
    <Group gap={6} align="flex-end" wrap="wrap" data-testid="rule-condition">
      <Select
        aria-label={t('desk-rules:rules.field')}
        data={CONDITION_FIELDS.map((f) => ({ value: f, label: t(`desk-rules:rules.fields.${f}`) }))}
        value={c.field}
        onChange={(v) => v && onChange(fitCondition({ ...c, field: v as ConditionField }))}
        allowDeselect={false}
        searchable
        w={210}
      />
      {c.field === 'customer_attribute' && <AttributeKeyInput c={c} onChange={onChange} testId="rule-condition-key" />}
      <Select
        aria-label={t('desk-rules:rules.op')}
        data={opsFor(c.field).map((o) => ({ value: o, label: t(`desk-rules:rules.ops.${o}`) }))}
        value={c.op}
        onChange={(v) => v && onChange(fitCondition({ ...c, op: v as Condition['op'] }))}
        allowDeselect={false}
        w={150}
      />
      {kind === 'number' && (
        <NumberInput aria-label={t('desk-rules:rules.hours')} suffix={` ${t('desk-rules:rules.hoursUnit')}`} value={typeof c.value === 'number' ? c.value : 24} min={0} onChange={(v) => onChange({ ...c, value: Number(v) || 0 })} w={140} />
      )}
      {kind === 'one' &&
        (options ? (
          <Select aria-label={t('desk-rules:rules.value')} data={options} value={typeof c.value === 'string' ? c.value : null} onChange={(v) => onChange({ ...c, value: v ?? '' })} searchable w={200} />
        ) : (
          <TextInput aria-label={t('desk-rules:rules.value')} value={typeof c.value === 'string' ? c.value : ''} onChange={(e) => onChange({ ...c, value: e.currentTarget.value })} w={200} />
        ))}
      {kind === 'many' &&
        (options ? (
          <MultiSelect aria-label={t('desk-rules:rules.value')} data={options} value={Array.isArray(c.value) ? c.value : []} onChange={(v) => onChange({ ...c, value: v })} searchable w={260} />
        ) : (
          <TagsInput aria-label={t('desk-rules:rules.value')} value={Array.isArray(c.value) ? c.value : []} onChange={(v) => onChange({ ...c, value: v })} w={260} />
        ))}
      <ActionIcon variant="subtle" color="gray" aria-label={t('common:actions.remove')} onClick={onRemove} mb={4}>
        <IconX size={16} />
      </ActionIcon>
    </Group>
  );
}

function ActionRow({ a, onChange, onRemove, choices }: { a: AutomationAction; onChange(a: AutomationAction): void; onRemove(): void; choices: Choices }) {
  const { t } = useTranslation();
  let detail: React.ReactNode = null;
  switch (a.type) {
    case 'set_status':
      detail = <Select data={choices.status} value={a.status} onChange={(v) => v && onChange({ ...a, status: v as typeof a.status })} allowDeselect={false} w={180} aria-label={t('desk-rules:rules.value')} />;
      break;
    case 'set_priority':
      detail = <Select data={choices.priority} value={a.priority} onChange={(v) => v && onChange({ ...a, priority: v as typeof a.priority })} allowDeselect={false} w={180} aria-label={t('desk-rules:rules.value')} />;
      break;
    case 'set_type':
      detail = <Select data={choices.type} value={a.ticketType} onChange={(v) => v && onChange({ ...a, ticketType: v as typeof a.ticketType })} allowDeselect={false} w={180} aria-label={t('desk-rules:rules.value')} />;
      break;
    case 'set_category':
      detail = <Select data={choices.category_id} value={a.categoryId} onChange={(v) => onChange({ ...a, categoryId: v })} clearable w={220} aria-label={t('desk-rules:rules.value')} />;
      break;
    case 'set_team':
      detail = <Select data={choices.team_id} value={a.teamId} onChange={(v) => onChange({ ...a, teamId: v })} clearable w={220} aria-label={t('desk-rules:rules.value')} />;
      break;
    case 'assign':
      detail = <Select data={choices.assignee_id} value={a.userId} onChange={(v) => onChange({ ...a, userId: v })} clearable searchable w={220} aria-label={t('desk-rules:rules.value')} />;
      break;
    case 'add_tags':
    case 'remove_tags':
      detail = <TagsInput value={a.tags} onChange={(v) => onChange({ ...a, tags: v as typeof a.tags })} w={260} aria-label={t('desk-rules:rules.value')} data-testid="rule-action-tags" />;
      break;
    case 'add_note':
    case 'email_customer':
      detail = (
        <Textarea
          value={a.body}
          onChange={(e) => onChange({ ...a, body: e.currentTarget.value })}
          autosize
          minRows={2}
          style={{ flex: 1, minWidth: 260 }}
          description={t('desk-rules:rules.placeholders', { list: PLACEHOLDERS })}
          aria-label={t('desk-rules:rules.text')}
          data-testid="rule-action-text"
        />
      );
      break;
    case 'notify':
      detail = (
        <Stack gap={4} style={{ flex: 1, minWidth: 260 }}>
          <Group gap={6}>
            <Select
              data={(['assignee', 'team_lead', 'user'] as const).map((x) => ({ value: x, label: t(`desk-rules:rules.notifyTo.${x}`) }))}
              value={a.to}
              onChange={(v) => v && onChange({ ...a, to: v as typeof a.to })}
              allowDeselect={false}
              w={180}
              aria-label={t('desk-rules:rules.value')}
            />
            {a.to === 'user' && <Select data={choices.assignee_id} value={a.userId ?? null} onChange={(v) => onChange({ ...a, ...(v ? { userId: v } : { userId: undefined }) })} searchable w={200} aria-label={t('desk-rules:rules.person')} />}
          </Group>
          <TextInput value={a.message} onChange={(e) => onChange({ ...a, message: e.currentTarget.value })} aria-label={t('desk-rules:rules.text')} />
        </Stack>
      );
      break;
    case 'call_webhook':
      detail = <Select data={choices.webhooks} value={a.webhookId || null} onChange={(v) => onChange({ ...a, webhookId: v ?? '' })} w={220} aria-label={t('desk-rules:rules.value')} />;
      break;
  }
  return (
    <Paper withBorder p="xs" data-testid="rule-action">
      <Group gap={6} align="flex-start" wrap="wrap">
        <Select
          aria-label={t('desk-rules:rules.actionType')}
          data={ACTION_TYPES.map((x) => ({ value: x, label: t(`desk-rules:rules.actions.${x}`) }))}
          value={a.type}
          onChange={(v) => v && onChange(newAction(v as AutomationAction['type']))}
          allowDeselect={false}
          w={220}
        />
        {detail}
        <ActionIcon variant="subtle" color="gray" aria-label={t('common:actions.remove')} onClick={onRemove} mt={4}>
          <IconX size={16} />
        </ActionIcon>
      </Group>
    </Paper>
  );
}

/** Create or edit a trigger or an automation: events, conditions (all/any), actions. */
export function RuleModal({ kind, rule, onClose }: { kind: 'trigger' | 'automation'; rule: AutomationRule | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const choices = useChoices();
  const [f, setF] = useState<RuleForm>(
    rule
      ? { kind, name: rule.name, description: rule.description, active: rule.active, events: rule.events, all: rule.conditions.all, any: rule.conditions.any, actions: rule.actions }
      : {
          kind,
          name: '',
          description: '',
          active: true,
          events: kind === 'trigger' ? ['ticket.created'] : [],
          all: kind === 'automation' ? [{ field: 'status', op: 'is', value: 'pending' }, { field: 'hours_in_status', op: 'gte', value: 72 }] : [],
          any: [],
          actions: [],
        },
  );
  const [problem, setProblem] = useState<string | null>(null);
  const set = <K extends keyof RuleForm>(k: K, v: RuleForm[K]) => setF((x) => ({ ...x, [k]: v }));
  const save = useMutation({
    mutationFn: async () => {
      const r = ruleBody(f);
      if ('problem' in r) throw new Error(r.problem);
      if (!rule) return rulesApi.createRule(r.body);
      const { kind: _k, ...update } = r.body;
      return rulesApi.updateRule(rule.id, update);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['automations'] });
      notifications.show({ color: 'teal', message: t('desk-rules:rules.saved', { name: f.name.trim() }) });
      onClose();
    },
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const r = ruleBody(f);
    setProblem('problem' in r ? r.problem : null);
    if (!('problem' in r)) save.mutate();
  };
  const list = (which: 'all' | 'any') => (
    <Stack gap={6}>
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {t(`desk-rules:rules.${which}`)}
        </Text>
        <Button size="xs" variant="subtle" leftSection={<IconPlus size={14} />} onClick={() => set(which, [...f[which], fitCondition({ field: 'status', op: 'is', value: '' })])}>
          {t('desk-rules:rules.addCondition')}
        </Button>
      </Group>
      {f[which].map((c, i) => (
        <ConditionRow
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions are edited in place by position
          key={i}
          c={c}
          choices={choices}
          onChange={(n) => set(which, f[which].map((x, j) => (j === i ? n : x)))}
          onRemove={() => set(which, f[which].filter((_, j) => j !== i))}
        />
      ))}
    </Stack>
  );
  return (
    <Modal opened onClose={onClose} fullScreen={phone} size="xl" centered title={t(`desk-rules:rules.${kind}.${rule ? 'edit' : 'create'}`)}>
      <form onSubmit={onSubmit} noValidate data-testid="rule-form">
        <Stack gap="sm">
          {problem && <Alert color="red">{t(`desk-rules:rules.problem.${problem}`)}</Alert>}
          {save.error && !problem && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput label={t('desk-rules:rules.name')} required value={f.name} onChange={(e) => set('name', e.currentTarget.value)} data-testid="rule-name" />
          <Textarea label={t('desk-rules:rules.description')} autosize minRows={1} value={f.description} onChange={(e) => set('description', e.currentTarget.value)} />
          <Switch label={t('desk-rules:common.active')} checked={f.active} onChange={(e) => set('active', e.currentTarget.checked)} />
          {kind === 'trigger' && (
            <MultiSelect
              label={t('desk-rules:rules.events')}
              data={TRIGGER_EVENTS.map((ev) => ({ value: ev, label: t(`desk-rules:rules.event.${ev.replace('.', '_')}`) }))}
              value={f.events}
              onChange={(v) => set('events', v)}
              data-testid="rule-events"
            />
          )}
          {kind === 'automation' && (
            <Text size="sm" c="dimmed">
              {t('desk-rules:rules.automationHelp')}
            </Text>
          )}
          {list('all')}
          {list('any')}
          <Group justify="space-between">
            <Text size="sm" fw={600}>
              {t('desk-rules:rules.then')}
            </Text>
            <Select
              placeholder={t('desk-rules:rules.addAction')}
              data={ACTION_TYPES.map((x) => ({ value: x, label: t(`desk-rules:rules.actions.${x}`) }))}
              value={null}
              onChange={(v) => v && set('actions', [...f.actions, newAction(v as AutomationAction['type'])])}
              w={240}
              data-testid="rule-add-action"
            />
          </Group>
          {f.actions.map((a, i) => (
            <ActionRow
              // biome-ignore lint/suspicious/noArrayIndexKey: actions are edited in place by position
              key={i}
              a={a}
              choices={choices}
              onChange={(n) => set('actions', f.actions.map((x, j) => (j === i ? n : x)))}
              onRemove={() => set('actions', f.actions.filter((_, j) => j !== i))}
            />
          ))}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="rule-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
