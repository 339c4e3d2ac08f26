import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  Loader,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import {
  type InsightsSettings,
  SURVEY_KINDS,
  SURVEY_LANGUAGES,
  type SurveyKind,
  type SurveySettings,
} from '@seva/contracts';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { useStaff } from '../ticket/desk-config.ts';
import {
  useInsightsSettings,
  useSaveInsightsSettings,
  useSaveSurveySettings,
  useSurveySettings,
} from './insights-api.ts';
import { INSIGHTS_CHANNELS } from './insights-channels.ts';
import { ReportSubscriptionsPanel } from './report-subscriptions.tsx';

const ROLES = ['agent', 'supervisor', 'admin', 'collaborator'] as const;
const num = (v: string | number, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

/**
 * Insights settings: which surveys go out, for which channels and in which words; spike alerts; staffing parameters
 * and costs; my scheduled email reports. Report readers see them; only settings managers change them.
 */
export function InsightsSettingsPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const editable = can('settings:manage');
  const surveys = useSurveySettings();
  const insights = useInsightsSettings();
  return (
    <Stack gap="md" maw={1000} data-testid="insights-settings">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('insights:settings.heading')}
        </Title>
        <Anchor renderRoot={(p) => <Link {...p} to="/insights" />}>{t('insights:settings.back')}</Anchor>
      </Group>
      {!editable && <Alert color="gray">{t('insights:settings.readOnly')}</Alert>}
      <Tabs defaultValue="surveys" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="surveys">{t('insights:settings.tabs.surveys')}</Tabs.Tab>
          <Tabs.Tab value="alerts">{t('insights:settings.tabs.alerts')}</Tabs.Tab>
          <Tabs.Tab value="costs">{t('insights:settings.tabs.costs')}</Tabs.Tab>
          <Tabs.Tab value="reports">{t('insights:settings.tabs.reports')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="surveys" pt="md">
          {surveys.data ? (
            <SurveysForm initial={surveys.data} editable={editable} />
          ) : surveys.error ? (
            <Alert color="red">{errorMessage(t, surveys.error)}</Alert>
          ) : (
            <Loader />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="alerts" pt="md">
          {insights.data ? <AlertsForm initial={insights.data} editable={editable} /> : <Loader />}
        </Tabs.Panel>
        <Tabs.Panel value="costs" pt="md">
          {insights.data ? <CostsForm initial={insights.data} editable={editable} /> : <Loader />}
        </Tabs.Panel>
        <Tabs.Panel value="reports" pt="md">
          <ReportSubscriptionsPanel />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function SaveButton(props: { pending: boolean; testId: string }) {
  const { t } = useTranslation();
  return (
    <Group>
      <Button type="submit" loading={props.pending} data-testid={props.testId}>
        {t('insights:settings.save')}
      </Button>
    </Group>
  );
}

function useSaved() {
  const { t } = useTranslation();
  return {
    onSuccess: () => notifications.show({ color: 'teal', message: t('insights:settings.saved') }),
    onError: (err: unknown) =>
      notifications.show({ color: 'red', title: t('insights:settings.notSaved'), message: errorMessage(t, err) }),
  };
}

function SurveysForm(props: { initial: SurveySettings; editable: boolean }) {
  const { t } = useTranslation();
  const save = useSaveSurveySettings();
  const saved = useSaved();
  const [s, setS] = useState<SurveySettings>(props.initial);
  const set = <K extends keyof SurveySettings>(k: K, v: SurveySettings[K]) => setS((x) => ({ ...x, [k]: v }));
  const kindOn: Record<SurveyKind, boolean> = { csat: s.csatEnabled, ces: s.cesEnabled, nps: s.npsEveryDays > 0 };
  const toggleChannel = (kind: SurveyKind, channel: string, on: boolean) =>
    set('offChannels', {
      ...s.offChannels,
      [kind]: on ? s.offChannels[kind].filter((c) => c !== channel) : [...s.offChannels[kind], channel],
    });
  const setQuestion = (kind: SurveyKind, lang: (typeof SURVEY_LANGUAGES)[number], text: string) =>
    set('questions', { ...s.questions, [kind]: { ...s.questions[kind], [lang]: text } });
  return (
    <Stack
      gap="md"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(s, saved);
      }}
    >
      <fieldset disabled={!props.editable} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="md">
          <Card withBorder>
            <Text fw={600} mb="xs">
              {t('insights:settings.surveys.which')}
            </Text>
            <Stack gap="xs">
              <Switch
                label={t('insights:settings.surveys.csat')}
                checked={s.csatEnabled}
                onChange={(e) => set('csatEnabled', e.currentTarget.checked)}
                data-testid="survey-csat"
              />
              <Switch
                label={t('insights:settings.surveys.ces')}
                checked={s.cesEnabled}
                onChange={(e) => set('cesEnabled', e.currentTarget.checked)}
                data-testid="survey-ces"
              />
              <NumberInput
                w={320}
                label={t('insights:settings.surveys.npsEvery')}
                description={t('insights:settings.surveys.npsHelp')}
                min={0}
                max={730}
                value={s.npsEveryDays}
                onChange={(v) => set('npsEveryDays', num(v, 0))}
                data-testid="survey-nps-days"
              />
            </Stack>
          </Card>
          <Card withBorder>
            <Text fw={600} mb="xs">
              {t('insights:settings.surveys.when')}
            </Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('insights:settings.surveys.whenHelp')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <NumberInput
                label={t('insights:settings.surveys.sample')}
                suffix=" %"
                min={0}
                max={100}
                value={Math.round(s.sampleRate * 100)}
                onChange={(v) => set('sampleRate', num(v, 100) / 100)}
                data-testid="survey-sample"
              />
              <NumberInput
                label={t('insights:settings.surveys.cap')}
                min={0}
                max={365}
                value={s.capDays}
                onChange={(v) => set('capDays', num(v, 0))}
              />
              <NumberInput
                label={t('insights:settings.surveys.expires')}
                min={1}
                max={90}
                value={s.expiresDays}
                onChange={(v) => set('expiresDays', num(v, 14))}
              />
              <NumberInput
                label={t('insights:settings.surveys.delay')}
                description={t('insights:settings.surveys.delayHelp')}
                min={0}
                max={10080}
                value={s.delayMinutes}
                onChange={(v) => set('delayMinutes', num(v, 0))}
                data-testid="survey-delay"
              />
              <NumberInput
                label={t('insights:settings.surveys.target')}
                suffix=" %"
                min={0}
                max={100}
                decimalScale={1}
                value={Math.round(s.targetRate * 1000) / 10}
                onChange={(v) => set('targetRate', num(v, 98) / 100)}
                data-testid="survey-target"
              />
              <Select
                label={t('insights:settings.surveys.bad')}
                data={['1', '2', '3', '4'].map((r) => ({ value: r, label: t(`insights:csat.ratings.${r}`) }))}
                value={String(s.badAtOrBelow)}
                onChange={(v) => set('badAtOrBelow', Number(v ?? 2))}
                allowDeselect={false}
              />
            </SimpleGrid>
          </Card>
          <Card withBorder>
            <Text fw={600}>{t('insights:settings.surveys.perChannel')}</Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('insights:settings.surveys.perChannelHelp')}
            </Text>
            <Table data-testid="survey-channels">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('insights:filters.channel')}</Table.Th>
                  {SURVEY_KINDS.map((k) => (
                    <Table.Th key={k}>{t(`insights:settings.surveys.kind.${k}`)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {INSIGHTS_CHANNELS.map((c) => (
                  <Table.Tr key={c} data-testid={`survey-channel-${c}`}>
                    <Table.Td>{t(`insights:channels.${c}`)}</Table.Td>
                    {SURVEY_KINDS.map((k) => (
                      <Table.Td key={k}>
                        <Checkbox
                          aria-label={`${t(`insights:channels.${c}`)} · ${t(`insights:settings.surveys.kind.${k}`)}`}
                          checked={!s.offChannels[k].includes(c)}
                          disabled={!kindOn[k]}
                          onChange={(e) => toggleChannel(k, c, e.currentTarget.checked)}
                          data-testid={`survey-channel-${c}-${k}`}
                        />
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Card>
          <Card withBorder>
            <Text fw={600}>{t('insights:settings.surveys.wording')}</Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('insights:settings.surveys.wordingHelp')}
            </Text>
            <Stack gap="sm">
              {SURVEY_KINDS.map((k) => (
                <SimpleGrid key={k} cols={{ base: 1, md: 3 }}>
                  {SURVEY_LANGUAGES.map((l) => (
                    <Textarea
                      key={l}
                      label={`${t(`insights:settings.surveys.kind.${k}`)} · ${t(`common:languages.${l}`)}`}
                      placeholder={t('insights:settings.surveys.builtIn')}
                      maxLength={300}
                      autosize
                      minRows={2}
                      value={s.questions[k][l] ?? ''}
                      onChange={(e) => setQuestion(k, l, e.currentTarget.value)}
                      data-testid={`survey-question-${k}-${l}`}
                    />
                  ))}
                </SimpleGrid>
              ))}
            </Stack>
          </Card>
        </Stack>
      </fieldset>
      {props.editable && <SaveButton pending={save.isPending} testId="survey-save" />}
    </Stack>
  );
}

function AlertsForm(props: { initial: InsightsSettings; editable: boolean }) {
  const { t } = useTranslation();
  const save = useSaveInsightsSettings();
  const saved = useSaved();
  const staff = useStaff();
  const [s, setS] = useState(props.initial);
  const set = <K extends keyof InsightsSettings>(k: K, v: InsightsSettings[K]) => setS((x) => ({ ...x, [k]: v }));
  const people = (staff.data ?? [])
    .filter((p) => p.status === 'active' || s.alertRecipientIds.includes(p.id))
    .map((p) => ({ value: p.id, label: p.name }));
  return (
    <Stack
      gap="md"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate(
          {
            spikeFactor: s.spikeFactor,
            spikeMinCount: s.spikeMinCount,
            baselineWeeks: s.baselineWeeks,
            alertRecipientIds: s.alertRecipientIds,
          },
          saved,
        );
      }}
    >
      <Card withBorder>
        <Text size="sm" c="dimmed" mb="xs">
          {t('insights:settings.alerts.help')}
        </Text>
        <fieldset disabled={!props.editable} style={{ border: 0, padding: 0, margin: 0 }}>
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <NumberInput
              label={t('insights:settings.alerts.factor')}
              suffix=" ×"
              min={1.5}
              max={50}
              step={0.5}
              decimalScale={1}
              value={s.spikeFactor}
              onChange={(v) => set('spikeFactor', num(v, 3))}
              data-testid="spike-factor"
            />
            <NumberInput
              label={t('insights:settings.alerts.minCount')}
              min={1}
              max={10000}
              value={s.spikeMinCount}
              onChange={(v) => set('spikeMinCount', num(v, 5))}
              data-testid="spike-min"
            />
            <NumberInput
              label={t('insights:settings.alerts.weeks')}
              min={1}
              max={26}
              value={s.baselineWeeks}
              onChange={(v) => set('baselineWeeks', num(v, 4))}
            />
          </SimpleGrid>
          <MultiSelect
            mt="sm"
            label={t('insights:settings.alerts.recipients')}
            description={t('insights:settings.alerts.recipientsHelp')}
            data={people}
            value={s.alertRecipientIds}
            onChange={(v) => set('alertRecipientIds', v)}
            searchable
            maxValues={50}
            data-testid="spike-recipients"
          />
        </fieldset>
      </Card>
      {props.editable && <SaveButton pending={save.isPending} testId="alerts-save" />}
    </Stack>
  );
}

function CostsForm(props: { initial: InsightsSettings; editable: boolean }) {
  const { t } = useTranslation();
  const save = useSaveInsightsSettings();
  const saved = useSaved();
  const [s, setS] = useState(props.initial);
  const set = <K extends keyof InsightsSettings>(k: K, v: InsightsSettings[K]) => setS((x) => ({ ...x, [k]: v }));
  const onSave = () =>
    save.mutate(
      {
        hourlyCostByRole: s.hourlyCostByRole,
        currency: s.currency.toUpperCase(),
        defaultHandleSeconds: s.defaultHandleSeconds,
        serviceLevel: s.serviceLevel,
        targetSeconds: s.targetSeconds,
        chatConcurrency: s.chatConcurrency,
        shrinkage: s.shrinkage,
        occupancy: s.occupancy,
      },
      saved,
    );
  return (
    <Stack
      gap="md"
      component="form"
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      <fieldset disabled={!props.editable} style={{ border: 0, padding: 0, margin: 0 }}>
        <Stack gap="md">
          <Card withBorder>
            <Text fw={600}>{t('insights:settings.costs.hourly')}</Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('insights:settings.costs.hourlyHelp')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 5 }}>
              {ROLES.map((r) => (
                <NumberInput
                  key={r}
                  label={t(`insights:settings.costs.role.${r}`)}
                  min={0}
                  max={100000}
                  decimalScale={2}
                  value={s.hourlyCostByRole[r] ?? 0}
                  onChange={(v) => set('hourlyCostByRole', { ...s.hourlyCostByRole, [r]: num(v, 0) })}
                  data-testid={`cost-${r}`}
                />
              ))}
              <TextInput
                label={t('insights:settings.costs.currency')}
                maxLength={3}
                value={s.currency}
                onChange={(e) => set('currency', e.currentTarget.value.toUpperCase())}
                data-testid="cost-currency"
              />
            </SimpleGrid>
          </Card>
          <Card withBorder>
            <Text fw={600}>{t('insights:settings.costs.handle')}</Text>
            <Text size="sm" c="dimmed" mb="xs">
              {t('insights:settings.costs.handleHelp')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 5 }}>
              {INSIGHTS_CHANNELS.map((c) => (
                <NumberInput
                  key={c}
                  label={t(`insights:channels.${c}`)}
                  suffix={` ${t('insights:settings.costs.min')}`}
                  min={0}
                  max={1440}
                  decimalScale={1}
                  placeholder={t('insights:settings.costs.asEmail')}
                  value={
                    s.defaultHandleSeconds[c] === undefined
                      ? ''
                      : Math.round((s.defaultHandleSeconds[c] / 60) * 10) / 10
                  }
                  onChange={(v) => {
                    const next = { ...s.defaultHandleSeconds };
                    if (typeof v === 'number' && v > 0) next[c] = Math.max(1, Math.round(v * 60));
                    else delete next[c];
                    set('defaultHandleSeconds', next);
                  }}
                />
              ))}
            </SimpleGrid>
          </Card>
          <Card withBorder>
            <Text fw={600} mb="xs">
              {t('insights:settings.costs.staffing')}
            </Text>
            <SimpleGrid cols={{ base: 2, sm: 5 }}>
              <NumberInput
                label={t('insights:settings.costs.serviceLevel')}
                suffix=" %"
                min={10}
                max={99.9}
                decimalScale={1}
                value={Math.round(s.serviceLevel * 1000) / 10}
                onChange={(v) => set('serviceLevel', num(v, 80) / 100)}
              />
              <NumberInput
                label={t('insights:settings.costs.targetSeconds')}
                min={1}
                max={86400}
                value={s.targetSeconds}
                onChange={(v) => set('targetSeconds', num(v, 20))}
              />
              <NumberInput
                label={t('insights:settings.costs.concurrency')}
                min={1}
                max={10}
                value={s.chatConcurrency}
                onChange={(v) => set('chatConcurrency', num(v, 2))}
              />
              <NumberInput
                label={t('insights:settings.costs.shrinkage')}
                suffix=" %"
                min={0}
                max={90}
                value={Math.round(s.shrinkage * 100)}
                onChange={(v) => set('shrinkage', num(v, 30) / 100)}
              />
              <NumberInput
                label={t('insights:settings.costs.occupancy')}
                suffix=" %"
                min={30}
                max={100}
                value={Math.round(s.occupancy * 100)}
                onChange={(v) => set('occupancy', num(v, 85) / 100)}
              />
            </SimpleGrid>
          </Card>
        </Stack>
      </fieldset>
      {props.editable && <SaveButton pending={save.isPending} testId="costs-save" />}
    </Stack>
  );
}
