import { ActionIcon, Alert, Button, Group, Modal, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { CHANNELS, type OrganisationList, SLA_METRICS, type SlaEscalation, type SlaPolicy, TICKET_PRIORITIES } from '@seva/contracts';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { adminApi, adminKeys, useAdminStaff } from '../admin/admin-api.ts';
import { usePhone } from '../admin/use-phone.ts';
import { api } from '../../lib/api.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { useDuration } from '../sla/sla-countdown.tsx';
import { rulesApi, ruleKeys } from './desk-rules-api.ts';
import { emptyPolicyForm, formToPolicyBody, minutesAsParts, type PolicyForm, policyToForm } from './policy-form.ts';

const TARGETS = ['firstResponse', 'nextResponse', 'periodicUpdate', 'resolution'] as const;
const ACTIONS = ['notify_assignee', 'notify_team_lead', 'raise_priority', 'reassign'] as const;

/** Create or edit an SLA policy: which tickets, targets, business or calendar time, warnings and escalations. */
export function PolicyModal({ policy, onClose }: { policy: SlaPolicy | null; onClose: () => void }) {
  const { t } = useTranslation();
  const phone = usePhone();
  const qc = useQueryClient();
  const duration = useDuration();
  const categories = useQuery({ queryKey: adminKeys.categories, queryFn: adminApi.listCategories });
  const calendars = useQuery({ queryKey: ruleKeys.calendars, queryFn: rulesApi.calendars });
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const organisations = useQuery({ queryKey: ['organisations', 'sla'], queryFn: () => api.get<OrganisationList>('/organisations', { limit: '200' }).then((r) => r.items) });
  const staff = useAdminStaff();
  const [f, setF] = useState<PolicyForm>(policy ? policyToForm(policy) : emptyPolicyForm());
  const [problem, setProblem] = useState<string | null>(null);
  const set = <K extends keyof PolicyForm>(k: K, v: PolicyForm[K]) => setF((x) => ({ ...x, [k]: v }));

  const save = useMutation({
    mutationFn: async () => {
      const r = formToPolicyBody(f);
      if ('problem' in r) throw new Error(r.problem);
      return policy ? rulesApi.updatePolicy(policy.id, r.body) : rulesApi.createPolicy(r.body);
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ruleKeys.policies });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      notifications.show({ color: 'teal', message: t('desk-rules:sla.policy.saved', { name: f.name.trim() }) });
      onClose();
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const r = formToPolicyBody(f);
    if ('problem' in r) {
      setProblem(r.problem);
      return;
    }
    setProblem(null);
    save.mutate();
  };

  const setEscalation = (i: number, esc: SlaEscalation) => set('escalations', f.escalations.map((x, j) => (j === i ? esc : x)));

  return (
    <Modal opened onClose={onClose} fullScreen={phone} size="xl" centered title={policy ? t('desk-rules:sla.policy.edit') : t('desk-rules:sla.policy.create')}>
      <form onSubmit={onSubmit} noValidate data-testid="policy-form">
        <Stack gap="sm">
          {problem && <Alert color="red">{t(`desk-rules:sla.policy.${problem}`)}</Alert>}
          {save.error && !problem && <Alert color="red">{errorMessage(t, save.error)}</Alert>}
          <TextInput label={t('desk-rules:sla.policy.name')} required value={f.name} onChange={(e) => set('name', e.currentTarget.value)} data-testid="policy-name" />
          <Textarea label={t('desk-rules:sla.policy.description')} autosize minRows={1} value={f.description} onChange={(e) => set('description', e.currentTarget.value)} />
          <Switch label={t('desk-rules:common.active')} checked={f.active} onChange={(e) => set('active', e.currentTarget.checked)} />
          <Text fw={600}>{t('desk-rules:sla.policy.when')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <MultiSelect label={t('desk-rules:sla.policy.priorities')} data={TICKET_PRIORITIES.map((p) => ({ value: p, label: t(`ticket:priority.${p}`) }))} value={f.priorities} onChange={(v) => set('priorities', v)} clearable />
            <MultiSelect label={t('desk-rules:sla.policy.channels')} data={CHANNELS.map((c) => ({ value: c, label: t(`ticket:channel.${c}`) }))} value={f.channels} onChange={(v) => set('channels', v)} clearable />
            <MultiSelect label={t('desk-rules:sla.policy.categories')} data={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))} value={f.categoryIds} onChange={(v) => set('categoryIds', v)} searchable clearable />
            <MultiSelect label={t('desk-rules:sla.policy.organisations')} data={(organisations.data ?? []).map((o) => ({ value: o.id, label: o.name }))} value={f.organisationIds} onChange={(v) => set('organisationIds', v)} searchable clearable />
            <TagsInput label={t('desk-rules:sla.policy.tiers')} description={t('desk-rules:sla.policy.tiersHelp')} value={f.customerTiers} onChange={(v) => set('customerTiers', v)} />
          </SimpleGrid>
          <Text size="xs" c="dimmed">
            {t('desk-rules:sla.policy.anyHelp')}
          </Text>
          <Text fw={600}>{t('desk-rules:sla.policy.targets')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {TARGETS.map((k, i) => {
              const v = f.targets[k];
              return (
                <NumberInput
                  key={k}
                  label={t(`sla:metric.${SLA_METRICS[i]}`)}
                  description={typeof v === 'number' && v > 0 ? `= ${duration({ days: minutesAsParts(v).d, hours: minutesAsParts(v).h, minutes: minutesAsParts(v).m })}` : t('desk-rules:sla.policy.notMeasured')}
                  suffix={` ${t('desk-rules:sla.policy.minutes')}`}
                  min={1}
                  allowDecimal={false}
                  value={v}
                  onChange={(x) => set('targets', { ...f.targets, [k]: x === '' ? '' : Number(x) })}
                  data-testid={`policy-target-${k}`}
                />
              );
            })}
          </SimpleGrid>
          <Group grow align="flex-end">
            <Switch label={t('desk-rules:sla.policy.businessHours')} checked={f.businessHours} onChange={(e) => set('businessHours', e.currentTarget.checked)} />
            <Select
              label={t('desk-rules:sla.policy.calendar')}
              placeholder={t('desk-rules:sla.policy.calendarDefault')}
              data={(calendars.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={f.calendarId}
              onChange={(v) => set('calendarId', v)}
              clearable
              disabled={!f.businessHours}
            />
            <NumberInput label={t('desk-rules:sla.policy.warnPercent')} value={f.warnPercent} onChange={(v) => set('warnPercent', Number(v) || 75)} min={1} max={99} suffix="%" />
          </Group>
          <Group justify="space-between">
            <Text fw={600}>{t('desk-rules:sla.policy.escalations')}</Text>
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={() => set('escalations', [...f.escalations, { when: 'breach', actions: [{ type: 'notify_assignee' }] }])}>
              {t('common:actions.add')}
            </Button>
          </Group>
          {f.escalations.map((esc, i) => {
            const reassign = esc.actions.find((a) => a.type === 'reassign');
            return (
              // biome-ignore lint/suspicious/noArrayIndexKey: escalations are edited in place by position
              <Paper key={i} withBorder p="xs">
                <Group align="flex-end" wrap="wrap">
                  <Select
                    label={t('desk-rules:sla.policy.at')}
                    data={[
                      { value: 'warning', label: t('desk-rules:sla.policy.atWarning') },
                      { value: 'breach', label: t('desk-rules:sla.policy.atBreach') },
                    ]}
                    value={esc.when}
                    onChange={(v) => v && setEscalation(i, { ...esc, when: v as SlaEscalation['when'] })}
                    allowDeselect={false}
                    w={150}
                  />
                  <Select
                    label={t('desk-rules:sla.policy.metric')}
                    placeholder={t('desk-rules:sla.policy.anyMetric')}
                    data={SLA_METRICS.map((m) => ({ value: m, label: t(`sla:metric.${m}`) }))}
                    value={esc.metric ?? null}
                    onChange={(v) => setEscalation(i, { ...esc, ...(v ? { metric: v as SlaEscalation['metric'] } : { metric: undefined }) })}
                    clearable
                    w={180}
                  />
                  <MultiSelect
                    label={t('desk-rules:sla.policy.actions')}
                    data={ACTIONS.map((a) => ({ value: a, label: t(`desk-rules:sla.action.${a}`) }))}
                    value={esc.actions.map((a) => a.type)}
                    onChange={(types) =>
                      setEscalation(i, {
                        ...esc,
                        actions: types.map((ty) => (ty === 'reassign' ? (reassign ?? { type: 'reassign' as const }) : ({ type: ty } as SlaEscalation['actions'][number]))),
                      })
                    }
                    style={{ flex: 1, minWidth: 220 }}
                  />
                  <ActionIcon variant="subtle" color="gray" aria-label={t('common:actions.remove')} onClick={() => set('escalations', f.escalations.filter((_, j) => j !== i))} mb={4}>
                    <IconX size={16} />
                  </ActionIcon>
                </Group>
                {reassign && (
                  <Group mt="xs" grow>
                    <Select
                      label={t('desk-rules:sla.policy.reassignTeam')}
                      data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
                      value={reassign.teamId ?? null}
                      onChange={(v) => setEscalation(i, { ...esc, actions: esc.actions.map((a) => (a.type === 'reassign' ? { type: 'reassign', ...(v ? { teamId: v } : {}), ...(reassign.userId ? { userId: reassign.userId } : {}) } : a)) })}
                      clearable
                    />
                    <Select
                      label={t('desk-rules:sla.policy.reassignPerson')}
                      data={(staff.data ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: s.name }))}
                      value={reassign.userId ?? null}
                      onChange={(v) => setEscalation(i, { ...esc, actions: esc.actions.map((a) => (a.type === 'reassign' ? { type: 'reassign', ...(v ? { userId: v } : {}), ...(reassign.teamId ? { teamId: reassign.teamId } : {}) } : a)) })}
                      searchable
                      clearable
                    />
                  </Group>
                )}
              </Paper>
            );
          })}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending} data-testid="policy-save">
              {t('common:actions.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
