import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { QualityReview } from '@seva/contracts';
import { Link, useNavigate } from '@tanstack/react-router';
import { type FormEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { useStaff } from '../ticket/desk-config.ts';
import {
  type CriterionInput,
  type ReviewFilters,
  useCreateScorecard,
  useReviews,
  useSample,
  useScorecards,
  useSetScorecardActive,
} from './quality-api.ts';

const DAY = 86_400_000;

function localDayStart(s: string): Date {
  const [y, m, d] = s.split('-').map(Number) as [number, number, number];
  return new Date(y, m - 1, d);
}

function isoDate(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Quality reviews: supervisors list, filter and average reviews, review sampled tickets and keep scorecards; agents see their own reviews. */
export function QualityPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const reviewer = can('quality:review');
  return (
    <Stack gap="md" maw={1200} data-testid="quality-page">
      <Title order={2} size="h3">
        {reviewer ? t('quality:heading') : t('quality:myHeading')}
      </Title>
      {reviewer ? (
        <Tabs defaultValue="reviews" keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="reviews">{t('quality:tabs.reviews')}</Tabs.Tab>
            <Tabs.Tab value="sample">{t('quality:tabs.sample')}</Tabs.Tab>
            <Tabs.Tab value="scorecards">{t('quality:tabs.scorecards')}</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="reviews" pt="md">
            <ReviewsPanel reviewer />
          </Tabs.Panel>
          <Tabs.Panel value="sample" pt="md">
            <SamplePanel />
          </Tabs.Panel>
          <Tabs.Panel value="scorecards" pt="md">
            <ScorecardsPanel />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <ReviewsPanel reviewer={false} />
      )}
    </Stack>
  );
}

function ReviewsPanel(props: { reviewer: boolean }) {
  const { t, i18n } = useTranslation();
  const staff = useStaff();
  const [agentId, setAgentId] = useState<string | null>(null);
  const [reviewerId, setReviewerId] = useState<string | null>(null);
  const [fromDate, setFromDate] = useState(isoDate(new Date(Date.now() - 29 * DAY)));
  const [toDate, setToDate] = useState(isoDate(new Date()));
  const filters: ReviewFilters = useMemo(
    () => ({
      agentId: agentId ?? undefined,
      reviewerId: reviewerId ?? undefined,
      from: fromDate ? localDayStart(fromDate).toISOString() : undefined,
      to: toDate ? new Date(localDayStart(toDate).getTime() + DAY).toISOString() : undefined,
    }),
    [agentId, reviewerId, fromDate, toDate],
  );
  const list = useReviews(filters);
  const n = (x: number) => formatNumber(x, i18n.language);
  const people = (staff.data ?? []).filter((s) => s.status === 'active').map((s) => ({ value: s.id, label: s.name }));
  const reviewers = (staff.data ?? [])
    .filter((s) => s.role === 'supervisor' || s.role === 'admin')
    .map((s) => ({ value: s.id, label: s.name }));
  return (
    <Stack gap="md">
      <Group align="flex-end" gap="xs">
        {props.reviewer && (
          <>
            <Select
              size="xs"
              label={t('quality:filters.agent')}
              placeholder={t('quality:filters.anyone')}
              data={people}
              value={agentId}
              onChange={setAgentId}
              clearable
              searchable
              data-testid="filter-agent"
              w={180}
            />
            <Select
              size="xs"
              label={t('quality:filters.reviewer')}
              placeholder={t('quality:filters.anyone')}
              data={reviewers}
              value={reviewerId}
              onChange={setReviewerId}
              clearable
              searchable
              data-testid="filter-reviewer"
              w={180}
            />
          </>
        )}
        <TextInput
          size="xs"
          type="date"
          label={t('quality:filters.from')}
          value={fromDate}
          max={toDate}
          onChange={(e) => setFromDate(e.currentTarget.value)}
          data-testid="filter-from"
        />
        <TextInput
          size="xs"
          type="date"
          label={t('quality:filters.to')}
          value={toDate}
          min={fromDate}
          onChange={(e) => setToDate(e.currentTarget.value)}
          data-testid="filter-to"
        />
      </Group>
      {list.error && <Alert color="red">{errorMessage(t, list.error)}</Alert>}
      {list.data && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }}>
            <Card withBorder padding="sm" data-testid="quality-count">
              <Text size="xs" c="dimmed">
                {t('quality:kpi.reviews')}
              </Text>
              <Text fw={700} size="xl">
                {n(list.data.total)}
              </Text>
            </Card>
            <Card withBorder padding="sm" data-testid="quality-average">
              <Text size="xs" c="dimmed">
                {t('quality:kpi.average')}
              </Text>
              <Text fw={700} size="xl">
                {list.data.average === null ? '—' : n(list.data.average)}
              </Text>
            </Card>
          </SimpleGrid>
          {props.reviewer && list.data.byAgent.length > 0 && (
            <Card withBorder>
              <Text fw={600} mb="xs">
                {t('quality:byAgent')}
              </Text>
              <Table data-testid="quality-by-agent">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('quality:cols.agent')}</Table.Th>
                    <Table.Th>{t('quality:kpi.reviews')}</Table.Th>
                    <Table.Th>{t('quality:kpi.average')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.byAgent.map((a) => (
                    <Table.Tr key={a.agentId}>
                      <Table.Td>{a.agentName}</Table.Td>
                      <Table.Td>{n(a.reviews)}</Table.Td>
                      <Table.Td>{n(a.average)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          )}
          <ReviewTable items={list.data.items} showAgent={props.reviewer} />
        </>
      )}
    </Stack>
  );
}

export function ReviewTable(props: { items: QualityReview[]; showAgent: boolean }) {
  const { t, i18n } = useTranslation();
  const n = (x: number) => formatNumber(x, i18n.language);
  if (props.items.length === 0) return <Text c="dimmed">{t('quality:none')}</Text>;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table data-testid="quality-reviews">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('quality:cols.ticket')}</Table.Th>
            {props.showAgent && <Table.Th>{t('quality:cols.agent')}</Table.Th>}
            <Table.Th>{t('quality:cols.reviewer')}</Table.Th>
            <Table.Th>{t('quality:cols.scorecard')}</Table.Th>
            <Table.Th>{t('quality:cols.score')}</Table.Th>
            <Table.Th>{t('quality:cols.comment')}</Table.Th>
            <Table.Th>{t('quality:cols.when')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {props.items.map((r) => (
            <Table.Tr key={r.id} data-testid="quality-review-row">
              <Table.Td>
                <Anchor
                  renderRoot={(p) => (
                    <Link {...p} to="/tickets/$ticketId" params={{ ticketId: String(r.ticketNumber ?? r.ticketId) }} />
                  )}
                >
                  {r.ticketNumber ? `#${r.ticketNumber} ${r.ticketSubject ?? ''}` : r.ticketId}
                </Anchor>
              </Table.Td>
              {props.showAgent && <Table.Td>{r.agentName ?? '—'}</Table.Td>}
              <Table.Td>{r.reviewerName ?? '—'}</Table.Td>
              <Table.Td>{r.scorecardName}</Table.Td>
              <Table.Td>
                <Badge
                  color={r.score >= 80 ? 'teal' : r.score >= 60 ? 'yellow' : 'red'}
                  data-testid="quality-review-score"
                >
                  {n(r.score)}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                  {r.comment ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>{formatDateTime(r.createdAt, i18n.language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function SamplePanel() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [days, setDays] = useState('7');
  const [ref, setRef] = useState('');
  const sample = useSample(Number(days), true);
  const open = (ticketId: string) => void navigate({ to: '/quality/review/$ticketId', params: { ticketId } });
  const onOpen = (e: FormEvent) => {
    e.preventDefault();
    const v = ref.trim().replace(/^#/, '');
    if (v) open(v);
  };
  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {t('quality:sample.help')}
      </Text>
      <Group align="flex-end" justify="space-between">
        <SegmentedControl
          size="xs"
          value={days}
          onChange={setDays}
          data={['7', '30', '90'].map((d) => ({ value: d, label: t('quality:sample.lastDays', { n: Number(d) }) }))}
        />
        <form onSubmit={onOpen}>
          <Group gap="xs" align="flex-end">
            <TextInput
              size="xs"
              label={t('quality:sample.byNumber')}
              placeholder="1042"
              value={ref}
              onChange={(e) => setRef(e.currentTarget.value)}
              data-testid="review-ticket-number"
            />
            <Button size="xs" type="submit" data-testid="review-ticket-open">
              {t('quality:sample.open')}
            </Button>
          </Group>
        </form>
      </Group>
      {sample.data?.items.length === 0 && <Text c="dimmed">{t('quality:sample.none')}</Text>}
      {sample.data?.items.map((a) => (
        <Card withBorder key={a.agentId} data-testid="sample-agent">
          <Text fw={600} mb={4}>
            {a.agentName}
          </Text>
          <Stack gap={4}>
            {a.tickets.map((tk) => (
              <Group key={tk.id} justify="space-between" wrap="nowrap">
                <Text size="sm">{`#${tk.number} ${tk.subject}`}</Text>
                <Button size="xs" variant="light" onClick={() => open(String(tk.number))} data-testid="sample-review">
                  {t('quality:sample.review')}
                </Button>
              </Group>
            ))}
          </Stack>
        </Card>
      ))}
    </Stack>
  );
}

function ScorecardsPanel() {
  const { t, i18n } = useTranslation();
  const cards = useScorecards();
  const create = useCreateScorecard();
  const setActive = useSetScorecardActive();
  const [name, setName] = useState('');
  const [criteria, setCriteria] = useState<Array<{ label: string; weight: number }>>([{ label: '', weight: 1 }]);
  const onCreate = (e: FormEvent) => {
    e.preventDefault();
    const rows: CriterionInput[] = criteria
      .filter((c) => c.label.trim())
      .map((c, i) => ({ key: `c${i + 1}`, label: c.label.trim(), weight: c.weight }));
    create.mutate(
      { name: name.trim(), criteria: rows },
      {
        onSuccess: () => {
          setName('');
          setCriteria([{ label: '', weight: 1 }]);
          notifications.show({ color: 'teal', message: t('quality:scorecards.created') });
        },
        onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
      },
    );
  };
  return (
    <Stack gap="md">
      {cards.data?.map((c) => (
        <Card withBorder key={c.id} data-testid="scorecard">
          <Group justify="space-between">
            <Text fw={600}>{c.name}</Text>
            <Switch
              label={t('quality:scorecards.active')}
              checked={c.isActive}
              onChange={(e) => setActive.mutate({ id: c.id, isActive: e.currentTarget.checked })}
            />
          </Group>
          <Text size="sm" c="dimmed">
            {c.criteria
              .map(
                (x) => `${x.label} (${t('quality:scorecards.weightN', { n: formatNumber(x.weight, i18n.language) })})`,
              )
              .join(' · ')}
          </Text>
        </Card>
      ))}
      {cards.data?.length === 0 && <Text c="dimmed">{t('quality:scorecards.none')}</Text>}
      <Card withBorder component="form" onSubmit={onCreate} data-testid="scorecard-form">
        <Stack gap="xs">
          <Text fw={600}>{t('quality:scorecards.new')}</Text>
          <TextInput
            label={t('quality:scorecards.name')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            required
            data-testid="scorecard-name"
          />
          {criteria.map((c, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: rows are only appended
            <Group key={i} align="flex-end" gap="xs">
              <TextInput
                style={{ flex: 1 }}
                label={t('quality:scorecards.criterion', { n: i + 1 })}
                value={c.label}
                onChange={(e) => {
                  const v = e.currentTarget.value;
                  setCriteria((cs) => cs.map((x, j) => (j === i ? { ...x, label: v } : x)));
                }}
                data-testid="criterion-label"
              />
              <NumberInput
                w={110}
                label={t('quality:scorecards.weight')}
                min={0.1}
                max={100}
                step={1}
                value={c.weight}
                onChange={(v) =>
                  setCriteria((cs) => cs.map((x, j) => (j === i ? { ...x, weight: typeof v === 'number' ? v : 1 } : x)))
                }
                data-testid="criterion-weight"
              />
            </Group>
          ))}
          <Group>
            <Button
              variant="subtle"
              size="xs"
              onClick={() => setCriteria((cs) => [...cs, { label: '', weight: 1 }])}
              data-testid="criterion-add"
              disabled={criteria.length >= 30}
            >
              {t('quality:scorecards.addCriterion')}
            </Button>
            <Button type="submit" size="xs" loading={create.isPending} data-testid="scorecard-save">
              {t('quality:scorecards.save')}
            </Button>
          </Group>
        </Stack>
      </Card>
    </Stack>
  );
}
