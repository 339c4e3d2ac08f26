import {
  Alert,
  Anchor,
  Badge,
  Card,
  Drawer,
  Group,
  Loader,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { Ticket } from '@seva/contracts';
import { useQueries } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { type BarItem, BarLineChart, HeatmapChart, HorizontalBars } from './charts.tsx';
import {
  type DrillTarget,
  exportUrl,
  type InsightsParams,
  useAlerts,
  useCost,
  useDashboard,
  useDrilldown,
  useHeatmap,
  useHotButtons,
  useStaffing,
  useSurveyResults,
} from './insights-api.ts';
import { INSIGHTS_CHANNELS } from './insights-channels.ts';
import { ReportSubscriptionsPanel } from './report-subscriptions.tsx';
import { RiskPanel } from './risk-panel.tsx';
import { ShiftsPanel } from './shifts-panel.tsx';
import { SlaPanel } from './sla-panel.tsx';

const DAY = 86_400_000;
const CHANNELS = INSIGHTS_CHANNELS;

function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function startOfLocalDay(s: string): Date {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

/** The reports: volume, backlog and times; hot buttons and alerts; busy hours and staffing; satisfaction; cost. */
export function InsightsPage() {
  const { t, i18n } = useTranslation();
  const today = isoDate(new Date());
  const [fromDate, setFromDate] = useState(isoDate(new Date(Date.now() - 29 * DAY)));
  const [toDate, setToDate] = useState(today);
  const [channel, setChannel] = useState<string | null>(null);
  const [drill, setDrill] = useState<DrillTarget | null>(null);
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  const params: InsightsParams = useMemo(() => {
    const from = startOfLocalDay(fromDate);
    const to = new Date(startOfLocalDay(toDate).getTime() + DAY);
    return {
      from: from.toISOString(),
      to: (to > from ? to : new Date(from.getTime() + DAY)).toISOString(),
      tz,
      ...(channel ? { channel } : {}),
    };
  }, [fromDate, toDate, channel, tz]);
  const preset = (days: number) => {
    setFromDate(isoDate(new Date(Date.now() - (days - 1) * DAY)));
    setToDate(today);
  };
  const n = (x: number) => formatNumber(x, i18n.language);

  return (
    <Stack gap="md" maw={1200} data-testid="insights-page">
      <Group justify="space-between" align="flex-end">
        <Group gap="sm" align="baseline">
          <Title order={2} size="h3">
            {t('insights:heading')}
          </Title>
          <Anchor
            size="sm"
            renderRoot={(rp) => <Link {...rp} to="/insights/settings" />}
            data-testid="insights-settings-link"
          >
            {t('insights:settings.link')}
          </Anchor>
        </Group>
        <Group align="flex-end" gap="xs">
          <SegmentedControl
            size="xs"
            data={[7, 30, 90].map((d) => ({ value: String(d), label: t('insights:range.lastDays', { n: d }) }))}
            onChange={(v) => preset(Number(v))}
            defaultValue="30"
            aria-label={t('insights:range.presets')}
          />
          <TextInput
            type="date"
            size="xs"
            label={t('insights:range.from')}
            value={fromDate}
            max={toDate}
            onChange={(e) => setFromDate(e.currentTarget.value || fromDate)}
            data-testid="range-from"
          />
          <TextInput
            type="date"
            size="xs"
            label={t('insights:range.to')}
            value={toDate}
            min={fromDate}
            onChange={(e) => setToDate(e.currentTarget.value || toDate)}
            data-testid="range-to"
          />
          <Select
            size="xs"
            label={t('insights:filters.channel')}
            placeholder={t('insights:filters.allChannels')}
            clearable
            data={CHANNELS.map((c) => ({ value: c, label: t(`insights:channels.${c}`) }))}
            value={channel}
            onChange={setChannel}
            w={150}
          />
        </Group>
      </Group>
      <Tabs defaultValue="overview" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="overview">{t('insights:tabs.overview')}</Tabs.Tab>
          <Tabs.Tab value="hot">{t('insights:tabs.hot')}</Tabs.Tab>
          <Tabs.Tab value="busy">{t('insights:tabs.busy')}</Tabs.Tab>
          <Tabs.Tab value="sla">{t('insights:tabs.sla')}</Tabs.Tab>
          <Tabs.Tab value="csat">{t('insights:tabs.csat')}</Tabs.Tab>
          <Tabs.Tab value="cost">{t('insights:tabs.cost')}</Tabs.Tab>
          <Tabs.Tab value="risk">{t('insights:tabs.risk')}</Tabs.Tab>
          <Tabs.Tab value="reports">{t('insights:tabs.reports')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview" pt="md">
          <Overview params={params} onDrill={setDrill} n={n} />
        </Tabs.Panel>
        <Tabs.Panel value="hot" pt="md">
          <HotButtonsPanel params={params} onDrill={setDrill} n={n} />
        </Tabs.Panel>
        <Tabs.Panel value="busy" pt="md">
          <BusyHoursPanel params={params} n={n} />
        </Tabs.Panel>
        <Tabs.Panel value="sla" pt="md">
          <SlaPanel params={params} onDrill={setDrill} n={n} />
        </Tabs.Panel>
        <Tabs.Panel value="csat" pt="md">
          <SatisfactionPanel params={params} n={n} />
        </Tabs.Panel>
        <Tabs.Panel value="cost" pt="md">
          <CostPanel params={params} n={n} />
        </Tabs.Panel>
        <Tabs.Panel value="risk" pt="md">
          <RiskPanel n={n} />
        </Tabs.Panel>
        <Tabs.Panel value="reports" pt="md">
          <ReportSubscriptionsPanel channel={channel ?? undefined} />
        </Tabs.Panel>
      </Tabs>
      <DrillDrawer params={params} target={drill} onClose={() => setDrill(null)} />
    </Stack>
  );
}

type N = (x: number) => string;

function useDuration() {
  const { t } = useTranslation();
  return (s: number | null) => {
    if (s === null) return '—';
    if (s < 3600) return t('insights:units.minutes', { n: Math.round(s / 60) });
    if (s < (2 * DAY) / 1000) return t('insights:units.hours', { n: Math.round((s / 3600) * 10) / 10 });
    return t('insights:units.days', { n: Math.round((s / 86400) * 10) / 10 });
  };
}

function Kpi(props: { label: string; value: string; testId: string }) {
  return (
    <Card withBorder padding="sm" data-testid={props.testId}>
      <Text size="xs" c="dimmed">
        {props.label}
      </Text>
      <Text fw={700} size="xl">
        {props.value}
      </Text>
    </Card>
  );
}

function Overview(props: { params: InsightsParams; onDrill: (d: DrillTarget) => void; n: N }) {
  const { t, i18n } = useTranslation();
  const d = useDashboard(props.params);
  const dur = useDuration();
  if (d.isLoading) return <Loader />;
  if (d.error || !d.data) return <Alert color="red">{t('insights:states.error')}</Alert>;
  const x = d.data;
  const fmtBucket = (iso: string) =>
    new Intl.DateTimeFormat(
      i18n.language,
      x.interval === 'hour' ? { hour: '2-digit', day: 'numeric' } : { day: 'numeric', month: 'short' },
    ).format(new Date(iso));
  const label = (param: string, r: { key: string; label: string }) => {
    if (r.label === 'none') return t('insights:none');
    if (param === 'channel' && CHANNELS.includes(r.key)) return t(`insights:channels.${r.key}`);
    if (param === 'language' && ['en', 'bn', 'hi'].includes(r.key)) return t(`common:languages.${r.key}`);
    return r.label;
  };
  const bars = (param: string, rows: Array<{ key: string; label: string; created: number }>): BarItem[] =>
    rows
      .filter((r) => r.created > 0)
      .slice(0, 12)
      .map((r) => ({ key: r.key, label: label(param, r), value: r.created }));
  const drill = (title: string, query: Record<string, string>) => props.onDrill({ title, query });
  const nextBucket = (i: number) => x.series[i + 1]?.bucket ?? x.to;
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 6 }}>
        <Kpi testId="kpi-created" label={t('insights:kpi.created')} value={props.n(x.totals.created)} />
        <Kpi testId="kpi-solved" label={t('insights:kpi.solved')} value={props.n(x.totals.solved)} />
        <Kpi testId="kpi-backlog" label={t('insights:kpi.backlog')} value={props.n(x.totals.backlogNow)} />
        <Kpi testId="kpi-frt" label={t('insights:kpi.firstResponseMedian')} value={dur(x.firstResponse.median)} />
        <Kpi testId="kpi-resolution" label={t('insights:kpi.resolutionMedian')} value={dur(x.resolution.median)} />
        <Kpi
          testId="kpi-sla"
          label={t('insights:kpi.slaAchievement')}
          value={
            x.totals.slaAchievementRate === null
              ? '—'
              : `${props.n(Math.round(x.totals.slaAchievementRate * 1000) / 10)}%`
          }
        />
      </SimpleGrid>
      <Card withBorder>
        <Group justify="space-between">
          <Text fw={600}>{t('insights:charts.volume')}</Text>
          <Group gap="xs">
            <Badge color="blue" variant="light">
              {t('insights:charts.created')}
            </Badge>
            <Badge color="orange" variant="light">
              {t('insights:charts.backlog')}
            </Badge>
            <Anchor href={exportUrl(props.params, 'series')} size="sm" data-testid="export-series">
              {t('insights:export')}
            </Anchor>
          </Group>
        </Group>
        <BarLineChart
          testId="volume-chart"
          points={x.series.map((s) => ({ label: fmtBucket(s.bucket), bar: s.created, line: s.backlog }))}
          barName={t('insights:charts.created')}
          lineName={t('insights:charts.backlog')}
          onSelect={(i) => {
            const s = x.series[i];
            if (s)
              props.onDrill({
                title: `${t('insights:charts.created')} · ${fmtBucket(s.bucket)}`,
                query: { metric: 'created', from: s.bucket, to: nextBucket(i) },
              });
          }}
        />
      </Card>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        {(
          [
            ['channel', x.byChannel, 'channels'],
            ['categoryId', x.byCategory, 'categories'],
            ['language', x.byLanguage, 'languages'],
          ] as const
        ).map(([param, rows, report]) => (
          <Card withBorder key={param}>
            <Group justify="space-between">
              <Text fw={600}>{t(`insights:breakdown.${report}`)}</Text>
              <Anchor href={exportUrl(props.params, report)} size="sm">
                {t('insights:export')}
              </Anchor>
            </Group>
            <HorizontalBars
              testId={`bars-${report}`}
              emptyText={t('insights:states.empty')}
              items={bars(param, rows)}
              onSelect={(it) =>
                drill(`${t(`insights:breakdown.${report}`)} · ${it.label}`, { metric: 'created', [param]: it.key })
              }
            />
          </Card>
        ))}
        <Card withBorder>
          <Group justify="space-between">
            <Text fw={600}>{t('insights:breakdown.tags')}</Text>
            <Anchor href={exportUrl(props.params, 'tags')} size="sm">
              {t('insights:export')}
            </Anchor>
          </Group>
          <HorizontalBars
            testId="bars-tags"
            emptyText={t('insights:states.empty')}
            items={x.byTag.slice(0, 12).map((r) => ({ key: r.key, label: r.label, value: r.created }))}
            onSelect={(it) =>
              drill(`${t('insights:breakdown.tags')} · ${it.label}`, { metric: 'created', tag: it.key })
            }
          />
        </Card>
      </SimpleGrid>
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('insights:times.heading')}
        </Text>
        <Table data-testid="times-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('insights:times.who')}</Table.Th>
              <Table.Th>{t('insights:times.frMedian')}</Table.Th>
              <Table.Th>{t('insights:times.frP90')}</Table.Th>
              <Table.Th>{t('insights:times.resMedian')}</Table.Th>
              <Table.Th>{t('insights:times.resP90')}</Table.Th>
              <Table.Th>{t('insights:times.solved')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {[
              {
                key: 'all',
                label: t('insights:times.everyone'),
                firstResponse: x.firstResponse,
                resolution: x.resolution,
              },
              ...x.timesByTeam.map((r) => ({
                ...r,
                label: `${t('insights:times.team')}: ${r.label === 'none' ? t('insights:none') : r.label}`,
                key: `team-${r.key}`,
              })),
              ...x.timesByAssignee.map((r) => ({
                ...r,
                label: r.label === 'none' ? t('insights:unassigned') : r.label,
                key: `person-${r.key}`,
              })),
            ].map((r) => (
              <Table.Tr key={r.key}>
                <Table.Td>{r.label}</Table.Td>
                <Table.Td>{dur(r.firstResponse.median)}</Table.Td>
                <Table.Td>{dur(r.firstResponse.p90)}</Table.Td>
                <Table.Td>{dur(r.resolution.median)}</Table.Td>
                <Table.Td>{dur(r.resolution.p90)}</Table.Td>
                <Table.Td>{props.n(r.resolution.count)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}

function HotButtonsPanel(props: { params: InsightsParams; onDrill: (d: DrillTarget) => void; n: N }) {
  const { t, i18n } = useTranslation();
  const [dimension, setDimension] = useState('category');
  const hot = useHotButtons(props.params, dimension);
  const alerts = useAlerts();
  const param =
    { category: 'categoryId', tag: 'tag', channel: 'channel', language: 'language' }[dimension] ?? 'categoryId';
  const { can } = useSession();
  // an action plan targets a category or a tag: from those hot buttons (and from spikes) it is one click away
  const canPlan = can('improve:manage');
  const planLink = (target: { categoryId?: string; tag?: string }, note: string) => (
    <Anchor
      size="xs"
      renderRoot={(rp) => <Link {...rp} to="/improve/action-plans" search={{ new: '1', ...target, note }} />}
      onClick={(e: React.MouseEvent) => e.stopPropagation()}
      data-testid="hot-plan"
    >
      {t('insights:hot.plan')}
    </Anchor>
  );
  return (
    <Stack gap="md">
      {(alerts.data?.items.length ?? 0) > 0 && (
        <Card withBorder data-testid="spike-alerts">
          <Text fw={600} mb="xs">
            {t('insights:hot.alerts')}
          </Text>
          {alerts.data?.items.map((a) => (
            <Alert key={a.id} color="red" variant="light" mb="xs">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm">
                  {t('insights:hot.alertText', {
                    category: a.categoryName,
                    ratio: props.n(a.ratio),
                    count: props.n(a.count),
                    hour: formatDateTime(a.hour, i18n.language),
                  })}
                </Text>
                {canPlan &&
                  a.categoryId &&
                  planLink(
                    { categoryId: a.categoryId },
                    t('insights:hot.alertText', {
                      category: a.categoryName,
                      ratio: props.n(a.ratio),
                      count: props.n(a.count),
                      hour: formatDateTime(a.hour, i18n.language),
                    }),
                  )}
              </Group>
            </Alert>
          ))}
        </Card>
      )}
      <SegmentedControl
        w="fit-content"
        value={dimension}
        onChange={setDimension}
        data={(['category', 'tag', 'channel', 'language'] as const).map((d) => ({
          value: d,
          label: t(`insights:hot.by.${d}`),
        }))}
      />
      <Card withBorder>
        <Table data-testid="hot-buttons">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('insights:hot.what')}</Table.Th>
              <Table.Th>{t('insights:hot.count')}</Table.Th>
              <Table.Th>{t('insights:hot.previous')}</Table.Th>
              <Table.Th>{t('insights:hot.change')}</Table.Th>
              <Table.Th>{t('insights:hot.share')}</Table.Th>
              {canPlan && (dimension === 'category' || dimension === 'tag') && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {hot.data?.items.map((h) => (
              <Table.Tr
                key={h.key}
                style={{ cursor: 'pointer' }}
                onClick={() => props.onDrill({ title: h.label, query: { metric: 'created', [param]: h.key } })}
              >
                <Table.Td>{h.label === 'none' ? t('insights:none') : h.label}</Table.Td>
                <Table.Td>{props.n(h.count)}</Table.Td>
                <Table.Td>{props.n(h.previous)}</Table.Td>
                <Table.Td>
                  {h.change === null ? (
                    <Badge color="gray">{t('insights:hot.new')}</Badge>
                  ) : (
                    <Badge
                      color={h.change > 0.2 ? 'red' : h.change < -0.2 ? 'green' : 'gray'}
                    >{`${h.change > 0 ? '+' : ''}${props.n(Math.round(h.change * 100))}%`}</Badge>
                  )}
                </Table.Td>
                <Table.Td>{`${props.n(Math.round(h.share * 100))}%`}</Table.Td>
                {canPlan && (dimension === 'category' || dimension === 'tag') && (
                  <Table.Td>
                    {h.label !== 'none' &&
                      planLink(
                        dimension === 'category' ? { categoryId: h.key } : { tag: h.key },
                        t('insights:hot.planNote', { label: h.label, count: h.count, previous: h.previous }),
                      )}
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {hot.data?.items.length === 0 && <Text c="dimmed">{t('insights:states.empty')}</Text>}
      </Card>
    </Stack>
  );
}

function BusyHoursPanel(props: { params: InsightsParams; n: N }) {
  const { t } = useTranslation();
  const heat = useHeatmap(props.params);
  const staffing = useStaffing(props.params.tz);
  const days = Array.from({ length: 7 }, (_, d) => t(`insights:days.${d}`));
  const rows = staffing.data?.hours.filter((h) => h.required > 0 || h.scheduled > 0) ?? [];
  return (
    <Stack gap="md">
      <Card withBorder>
        <Text fw={600} mb="xs">
          {t('insights:busy.heatmap')}
        </Text>
        {heat.data && (
          <HeatmapChart
            testId="heatmap"
            cells={heat.data.cells}
            dayNames={days}
            valueName={t('insights:charts.created')}
          />
        )}
      </Card>
      <Card withBorder>
        <Text fw={600}>{t('insights:busy.staffing')}</Text>
        {staffing.data && (
          <>
            <Text size="sm" c="dimmed" mb="xs">
              {t('insights:busy.parameters', {
                sl: props.n(Math.round(staffing.data.parameters.serviceLevel * 100)),
                secs: props.n(staffing.data.parameters.targetSeconds),
                shrinkage: props.n(Math.round(staffing.data.parameters.shrinkage * 100)),
                concurrency: props.n(staffing.data.parameters.chatConcurrency),
              })}
            </Text>
            <Group gap="xl" mb="xs">
              <Text size="sm">
                {t('insights:busy.required', { n: props.n(staffing.data.totals.requiredAgentHours) })}
              </Text>
              <Text size="sm">
                {t('insights:busy.scheduled', { n: props.n(staffing.data.totals.scheduledAgentHours) })}
              </Text>
              <Text size="sm">{t('insights:busy.short', { n: props.n(staffing.data.totals.shortAgentHours) })}</Text>
            </Group>
            <Table data-testid="staffing-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('insights:busy.when')}</Table.Th>
                  <Table.Th>{t('insights:busy.arrivals')}</Table.Th>
                  <Table.Th>{t('insights:busy.needed')}</Table.Th>
                  <Table.Th>{t('insights:busy.onShift')}</Table.Th>
                  <Table.Th>{t('insights:busy.gap')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.slice(0, 60).map((h) => (
                  <Table.Tr key={`${h.weekday}-${h.hour}`}>
                    <Table.Td>{`${days[h.weekday]} ${h.hour}:00`}</Table.Td>
                    <Table.Td>{props.n(h.arrivals)}</Table.Td>
                    <Table.Td>{props.n(h.required)}</Table.Td>
                    <Table.Td>{props.n(h.scheduled)}</Table.Td>
                    <Table.Td>{h.gap > 0 ? <Badge color="red">{props.n(h.gap)}</Badge> : props.n(h.gap)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            {staffing.data.suggestedShifts.length > 0 && (
              <>
                <Text fw={600} mt="md">
                  {t('insights:busy.suggestions')}
                </Text>
                {staffing.data.suggestedShifts.map((s) => (
                  <Text size="sm" key={`${s.weekday}-${s.startHour}-${s.endHour}`}>
                    {t('insights:busy.shift', {
                      day: days[s.weekday],
                      start: s.startHour,
                      end: s.endHour,
                      n: props.n(s.agents),
                    })}
                  </Text>
                ))}
              </>
            )}
          </>
        )}
      </Card>
      <ShiftsPanel />
    </Stack>
  );
}

function SatisfactionPanel(props: { params: InsightsParams; n: N }) {
  const { t } = useTranslation();
  const r = useSurveyResults(props.params);
  if (!r.data) return r.isLoading ? <Loader /> : <Alert color="red">{t('insights:states.error')}</Alert>;
  const x = r.data;
  const pct = (v: number | null) => (v === null ? '—' : `${props.n(Math.round(v * 1000) / 10)}%`);
  return (
    <Stack gap="md">
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Kpi testId="csat-score" label={t('insights:csat.score')} value={pct(x.score)} />
        <Kpi testId="csat-target" label={t('insights:csat.target')} value={pct(x.target)} />
        <Kpi
          testId="csat-answered"
          label={t('insights:csat.answered')}
          value={`${props.n(x.answered)} / ${props.n(x.sent)}`}
        />
        <Kpi testId="csat-rate" label={t('insights:csat.responseRate')} value={pct(x.responseRate)} />
      </SimpleGrid>
      {x.meetsTarget === false && <Alert color="orange">{t('insights:csat.belowTarget')}</Alert>}
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Text fw={600}>{t('insights:csat.distribution')}</Text>
          <HorizontalBars
            testId="csat-distribution"
            emptyText={t('insights:states.empty')}
            items={x.distribution.map((d) => ({
              key: String(d.rating),
              label: t(`insights:csat.ratings.${d.rating}`),
              value: d.count,
            }))}
          />
        </Card>
        <Card withBorder>
          <Text fw={600}>{t('insights:csat.byPerson')}</Text>
          <Table>
            <Table.Tbody>
              {[
                ...x.byTeam.map((g) => ({ ...g, k: `t-${g.key}` })),
                ...x.byAssignee.map((g) => ({ ...g, k: `a-${g.key}` })),
              ].map((g) => (
                <Table.Tr key={g.k}>
                  <Table.Td>{g.label === 'none' ? t('insights:none') : g.label}</Table.Td>
                  <Table.Td>{pct(g.score)}</Table.Td>
                  <Table.Td>{props.n(g.answered)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function CostPanel(props: { params: InsightsParams; n: N }) {
  const { t, i18n } = useTranslation();
  const c = useCost(props.params);
  if (!c.data) return c.isLoading ? <Loader /> : <Alert color="red">{t('insights:states.error')}</Alert>;
  const money = (v: number | null) =>
    v === null ? '—' : new Intl.NumberFormat(i18n.language, { style: 'currency', currency: c.data.currency }).format(v);
  return (
    <Card withBorder>
      <Table data-testid="cost-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('insights:filters.channel')}</Table.Th>
            <Table.Th>{t('insights:cost.contacts')}</Table.Th>
            <Table.Th>{t('insights:cost.resolved')}</Table.Th>
            <Table.Th>{t('insights:cost.handleHours')}</Table.Th>
            <Table.Th>{t('insights:cost.total')}</Table.Th>
            <Table.Th>{t('insights:cost.perContact')}</Table.Th>
            <Table.Th>{t('insights:cost.perResolved')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {c.data.channels.map((r) => (
            <Table.Tr key={r.channel}>
              <Table.Td>{CHANNELS.includes(r.channel) ? t(`insights:channels.${r.channel}`) : r.channel}</Table.Td>
              <Table.Td>{props.n(r.contacts)}</Table.Td>
              <Table.Td>{props.n(r.resolved)}</Table.Td>
              <Table.Td>{props.n(Math.round((r.handleSeconds / 3600) * 10) / 10)}</Table.Td>
              <Table.Td>{money(r.cost)}</Table.Td>
              <Table.Td>{money(r.costPerContact)}</Table.Td>
              <Table.Td>{money(r.costPerResolved)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" mt="sm">
        {t('insights:cost.selfService', {
          n: props.n(c.data.selfService.ticketsAvoided),
          saving: money(c.data.selfService.estimatedSaving),
        })}
      </Text>
    </Card>
  );
}

function DrillDrawer(props: { params: InsightsParams; target: DrillTarget | null; onClose: () => void }) {
  const { t } = useTranslation();
  const d = useDrilldown(props.params, props.target);
  const ids = d.data?.ticketIds.slice(0, 25) ?? [];
  const tickets = useQueries({
    queries: ids.map((id) => ({ queryKey: ['ticket', id], queryFn: () => api.get<Ticket>(`/tickets/${id}`) })),
  });
  return (
    <Drawer
      opened={props.target !== null}
      onClose={props.onClose}
      position="right"
      title={props.target?.title}
      data-testid="drilldown"
    >
      {d.isLoading && <Loader />}
      {d.data && (
        <Stack gap={4}>
          <Text size="sm" c="dimmed">
            {t('insights:drill.count', { n: d.data.total })}
          </Text>
          {ids.map((id, i) => {
            const tk = tickets[i]?.data;
            return (
              <Anchor
                key={id}
                data-testid="drill-ticket"
                renderRoot={(p) => (
                  <Link {...p} to="/tickets/$ticketId" params={{ ticketId: tk ? String(tk.number) : id }} />
                )}
              >
                {tk ? `#${tk.number} ${tk.subject}` : id}
              </Anchor>
            );
          })}
          {d.data.total > ids.length && (
            <Text size="sm">{t('insights:drill.more', { n: d.data.total - ids.length })}</Text>
          )}
        </Stack>
      )}
    </Drawer>
  );
}
