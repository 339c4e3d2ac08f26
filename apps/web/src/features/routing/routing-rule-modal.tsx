import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  MultiSelect,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import {
  CHANNELS,
  type Condition,
  type ConditionField,
  TICKET_PRIORITIES,
  TICKET_TYPES,
  type TicketPriority,
} from '@seva/contracts';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { adminApi, adminKeys } from '../admin/admin-api.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { AttributeKeyInput } from '../desk-rules/attribute-key-input.tsx';
import { fitCondition, opsFor, valueKind } from '../desk-rules/rule-form.ts';
import { widgetKeys, widgetsApi } from '../widgets-admin/widgets-api.ts';
import { routingApi, routingKeys } from './routing-api.ts';
import {
  emptyRoutingRuleForm,
  ROUTING_CONDITION_FIELDS,
  type RoutingRuleForm,
  type RoutingRuleLike,
  routingRuleBody,
  routingRuleToForm,
} from './routing-rule-form.ts';

type Option = { value: string; label: string };

/** The choices for each condition field that has a fixed list (the others take free text or tags). */
export function useRoutingChoices(): Partial<Record<ConditionField, Option[]>> & {
  mailboxes: Option[];
  widgets: Option[];
} {
  const { t } = useTranslation();
  const { can } = useSession();
  const categories = useQuery({ queryKey: adminKeys.categories, queryFn: adminApi.listCategories });
  const organisations = useQuery({
    queryKey: routingKeys.organisations,
    queryFn: routingApi.organisations,
    enabled: can('customers:read'),
    retry: false,
  });
  const mailboxes = useQuery({
    queryKey: routingKeys.mailboxes,
    queryFn: routingApi.mailboxes,
    enabled: can('settings:manage'),
    retry: false,
  });
  const widgetList = useQuery({
    queryKey: widgetKeys.all,
    queryFn: widgetsApi.list,
    enabled: can('settings:manage'),
    retry: false,
  });
  return {
    channel: CHANNELS.map((c) => ({ value: c, label: t(`ticket:channel.${c}`) })),
    priority: TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`ticket:priority.${p}`) })),
    type: TICKET_TYPES.map((p) => ({ value: p, label: t(`ticket:type.${p}`) })),
    language: ['en', 'bn', 'hi'].map((l) => ({ value: l, label: t(`common:languages.${l}`) })),
    category_id: (categories.data ?? []).map((x) => ({ value: x.id, label: x.name })),
    organisation_id: (organisations.data ?? []).map((x) => ({ value: x.id, label: x.name })),
    mailboxes: (mailboxes.data ?? []).map((m) => ({ value: m.id, label: `${m.name} <${m.address}>` })),
    widgets: (widgetList.data ?? []).map((w) => ({ value: w.id, label: w.name })),
  };
}

function ConditionRow({
  c,
  onChange,
  onRemove,
  choices,
}: {
  c: Condition;
  onChange(c: Condition): void;
  onRemove(): void;
  choices: ReturnType<typeof useRoutingChoices>;
}) {
  const { t } = useTranslation();
  const kind = valueKind(c.field, c.op);
  const options = choices[c.field];
  const value = t('desk-rules:rules.value');
  return (
    <Group gap={6} align="flex-end" wrap="wrap" data-testid="routing-condition" data-field={c.field}>
      <Select
        aria-label={t('desk-rules:rules.field')}
        data={ROUTING_CONDITION_FIELDS.map((f) => ({ value: f, label: t(`desk-rules:rules.fields.${f}`) }))}
        value={c.field}
        onChange={(v) => v && onChange(fitCondition({ ...c, field: v as ConditionField }))}
        allowDeselect={false}
        w={190}
        data-testid="routing-condition-field"
      />
      {c.field === 'customer_attribute' && (
        <AttributeKeyInput c={c} onChange={onChange} testId="routing-condition-key" />
      )}
      <Select
        aria-label={t('desk-rules:rules.op')}
        data={opsFor(c.field).map((o) => ({ value: o, label: t(`desk-rules:rules.ops.${o}`) }))}
        value={c.op}
        onChange={(v) => v && onChange(fitCondition({ ...c, op: v as Condition['op'] }))}
        allowDeselect={false}
        w={150}
        data-testid="routing-condition-op"
      />
      {kind === 'one' &&
        (options ? (
          <Select
            aria-label={value}
            data={options}
            value={typeof c.value === 'string' ? c.value : null}
            onChange={(v) => onChange({ ...c, value: v ?? '' })}
            searchable
            w={210}
            data-testid="routing-condition-value"
          />
        ) : (
          <TextInput
            aria-label={value}
            value={typeof c.value === 'string' ? c.value : ''}
            onChange={(e) => onChange({ ...c, value: e.currentTarget.value })}
            w={210}
            data-testid="routing-condition-value"
          />
        ))}
      {kind === 'many' &&
        (options ? (
          <MultiSelect
            aria-label={value}
            data={options}
            value={Array.isArray(c.value) ? c.value : []}
            onChange={(v) => onChange({ ...c, value: v })}
            searchable
            w={260}
            data-testid="routing-condition-value"
          />
        ) : (
          <TagsInput
            aria-label={value}
            value={Array.isArray(c.value) ? c.value : []}
            onChange={(v) => onChange({ ...c, value: v })}
            w={260}
            data-testid="routing-condition-value"
          />
        ))}
      <ActionIcon variant="subtle" color="gray" aria-label={t('common:actions.remove')} onClick={onRemove} mb={4}>
        <IconX size={16} />
      </ActionIcon>
    </Group>
  );
}

function ConditionList({
  title,
  items,
  onChange,
  choices,
  testId,
}: {
  title: string;
  items: Condition[];
  onChange(items: Condition[]): void;
  choices: ReturnType<typeof useRoutingChoices>;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack gap={6} data-testid={testId}>
      <Text size="sm" fw={500}>
        {title}
      </Text>
      {items.map((c, i) => (
        <ConditionRow
          // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no id; rows are edited in place
          key={i}
          c={c}
          choices={choices}
          onChange={(next) => onChange(items.map((x, j) => (j === i ? next : x)))}
          onRemove={() => onChange(items.filter((_, j) => j !== i))}
        />
      ))}
      <Group>
        <Button
          size="xs"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...items, fitCondition({ field: 'channel', op: 'in', value: [] })])}
          data-testid={`${testId}-add`}
        >
          {t('routing:rule.addCondition')}
        </Button>
      </Group>
    </Stack>
  );
}

/** Create or change a routing rule: when it applies (mailboxes, keywords, conditions on any ticket field) and what it sets. */
export function RoutingRuleModal({
  rule,
  teams,
  onClose,
}: {
  rule: (RoutingRuleLike & { id: string }) | null;
  teams: Option[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const choices = useRoutingChoices();
  const [f, setF] = useState<RoutingRuleForm>(() => (rule ? routingRuleToForm(rule) : emptyRoutingRuleForm()));
  const [problem, setProblem] = useState<string | null>(null);
  const set = (patch: Partial<RoutingRuleForm>) => {
    setProblem(null);
    setF((x) => ({ ...x, ...patch }));
  };
  const save = useMutation({
    mutationFn: (body: Parameters<typeof routingApi.saveRule>[1]) => routingApi.saveRule(rule?.id ?? null, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: routingKeys.rules });
      onClose();
    },
  });
  const submit = () => {
    const out = routingRuleBody(f);
    if ('problem' in out) setProblem(t(`routing:rule.problem.${out.problem}`));
    else save.mutate(out.body);
  };
  return (
    <Modal
      opened
      onClose={onClose}
      centered
      size="xl"
      title={rule ? t('routing:rule.edit') : t('routing:admin.newRule')}
    >
      <Stack gap="sm" data-testid="routing-rule-form">
        {(problem || save.error) && (
          <Alert color="red" data-testid="routing-rule-problem">
            {problem ?? errorMessage(t, save.error)}
          </Alert>
        )}
        <Group align="flex-end">
          <TextInput
            label={t('routing:admin.ruleName')}
            value={f.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            style={{ flex: 1 }}
            data-testid="routing-rule-name"
          />
          <Switch
            label={t('routing:rule.active')}
            checked={f.active}
            onChange={(e) => set({ active: e.currentTarget.checked })}
            mb={8}
          />
        </Group>

        <Title order={3} size="h6">
          {t('routing:rule.when')}
        </Title>
        <TagsInput
          label={t('routing:admin.keywords')}
          description={t('routing:admin.keywordsHelp')}
          value={f.keywords}
          onChange={(keywords) => set({ keywords })}
          data-testid="routing-rule-keywords"
        />
        {choices.mailboxes.length > 0 && (
          <MultiSelect
            label={t('routing:rule.mailboxes')}
            description={t('routing:rule.mailboxesHelp')}
            data={choices.mailboxes}
            value={f.mailboxIds}
            onChange={(mailboxIds) => set({ mailboxIds })}
            clearable
            data-testid="routing-rule-mailboxes"
          />
        )}
        {choices.widgets.length > 0 && (
          <MultiSelect
            label={t('routing:rule.widgets')}
            description={t('routing:rule.widgetsHelp')}
            data={choices.widgets}
            value={f.widgetIds}
            onChange={(widgetIds) => set({ widgetIds })}
            clearable
            data-testid="routing-rule-widgets"
          />
        )}
        <ConditionList
          title={t('routing:rule.all')}
          items={f.all}
          onChange={(all) => set({ all })}
          choices={choices}
          testId="routing-conditions-all"
        />
        <ConditionList
          title={t('routing:rule.any')}
          items={f.any}
          onChange={(any) => set({ any })}
          choices={choices}
          testId="routing-conditions-any"
        />

        <Title order={3} size="h6">
          {t('routing:rule.then')}
        </Title>
        <Group grow align="flex-start">
          <Select
            label={t('routing:admin.setTeam')}
            data={teams}
            value={f.teamId}
            onChange={(teamId) => set({ teamId })}
            clearable
            data-testid="routing-rule-team"
          />
          <Select
            label={t('routing:rule.setPriority')}
            data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`ticket:priority.${p}`) }))}
            value={f.priority}
            onChange={(v) => set({ priority: (v as TicketPriority | null) ?? null })}
            clearable
            data-testid="routing-rule-priority"
          />
        </Group>
        <Group grow align="flex-start">
          <TagsInput
            label={t('routing:admin.needSkills')}
            value={f.skills}
            onChange={(skills) => set({ skills })}
            data-testid="routing-rule-skills"
          />
          <TagsInput
            label={t('routing:rule.addTags')}
            value={f.addTags}
            onChange={(addTags) => set({ addTags })}
            data-testid="routing-rule-tags"
          />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={submit} loading={save.isPending} data-testid="routing-rule-save">
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
