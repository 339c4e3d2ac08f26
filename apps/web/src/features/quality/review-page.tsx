import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, useParams } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { useSession } from '../../lib/session.tsx';
import { errorMessage } from '../auth/auth-errors.ts';
import { useStaff } from '../ticket/desk-config.ts';
import { useMessages, useTicket } from '../ticket/ticket-api.ts';
import { previewScore, useCreateReview, useReviews, useScorecards } from './quality-api.ts';
import { ReviewTable } from './quality-page.tsx';

const SCALE = ['0', '1', '2', '3', '4'];

/** A reviewer reads one conversation and scores it against a scorecard; earlier reviews of the ticket are below. */
export function ReviewPage() {
  const { t, i18n } = useTranslation();
  const { ticketId: ref } = useParams({ strict: false }) as { ticketId: string };
  const { can } = useSession();
  const ticket = useTicket(ref);
  const messages = useMessages(ticket.data?.id);
  const cards = useScorecards();
  const staff = useStaff();
  const reviews = useReviews({ ticketId: ticket.data?.id }, !!ticket.data);
  const create = useCreateReview();
  const [cardId, setCardId] = useState<string | null>(null);
  const [agentId, setAgentId] = useState<string | null>(null);
  const [scores, setScores] = useState<Record<string, number>>({});
  const [comment, setComment] = useState('');
  const n = (x: number) => formatNumber(x, i18n.language);

  if (!can('quality:review')) return <Alert color="red">{t('quality:review.notAllowed')}</Alert>;
  if (ticket.isLoading || cards.isLoading) return <Loader />;
  if (ticket.error || !ticket.data) return <Alert color="red">{t('quality:review.noTicket')}</Alert>;
  const tk = ticket.data;
  const active = (cards.data ?? []).filter((c) => c.isActive);
  const card = active.find((c) => c.id === (cardId ?? active[0]?.id));
  const agent = agentId ?? tk.assigneeId;
  const preview = card ? previewScore(card.criteria, scores) : null;
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!card) return;
    create.mutate(
      {
        scorecardId: card.id,
        ticketId: tk.id,
        ...(agent ? { agentId: agent } : {}),
        scores,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      },
      {
        onSuccess: (r) => {
          setScores({});
          setComment('');
          notifications.show({ color: 'teal', message: t('quality:review.saved', { score: n(r.score) }) });
        },
        onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
      },
    );
  };
  return (
    <Stack gap="md" maw={1100} data-testid="review-page">
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('quality:review.heading', { number: tk.number })}
        </Title>
        <Anchor renderRoot={(p) => <Link {...p} to="/quality" />}>{t('quality:review.back')}</Anchor>
      </Group>
      <Group gap="xs">
        <Anchor
          renderRoot={(p) => <Link {...p} to="/tickets/$ticketId" params={{ ticketId: String(tk.number) }} />}
        >{`#${tk.number} ${tk.subject}`}</Anchor>
        <Badge variant="light">{t(`ticket:status.${tk.status}`)}</Badge>
      </Group>
      <Group align="flex-start" grow wrap="wrap">
        <Card withBorder style={{ minWidth: 320 }}>
          <Text fw={600} mb="xs">
            {t('quality:review.conversation')}
          </Text>
          <ScrollArea.Autosize mah={520}>
            <Stack gap="xs" data-testid="review-conversation">
              {messages.data?.map((m) => (
                <Card
                  key={m.id}
                  padding="xs"
                  bg={m.kind === 'internal' ? 'yellow.0' : m.authorType === 'customer' ? 'gray.0' : undefined}
                  withBorder
                >
                  <Text size="xs" c="dimmed">
                    {`${m.author?.name ?? t(`quality:review.author.${m.authorType}`)} · ${formatDateTime(m.createdAt, i18n.language)}`}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {m.bodyText}
                  </Text>
                </Card>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Card>
        <Card withBorder component="form" onSubmit={onSubmit} data-testid="review-form" style={{ minWidth: 320 }}>
          <Stack gap="sm">
            {active.length === 0 ? (
              <Alert color="yellow">{t('quality:review.noScorecard')}</Alert>
            ) : (
              <>
                <Select
                  label={t('quality:review.scorecard')}
                  data={active.map((c) => ({ value: c.id, label: c.name }))}
                  value={card?.id ?? null}
                  onChange={(v) => {
                    setCardId(v);
                    setScores({});
                  }}
                  allowDeselect={false}
                  data-testid="review-scorecard"
                />
                <Select
                  label={t('quality:review.agent')}
                  description={t('quality:review.agentHelp')}
                  data={(staff.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                  value={agent}
                  onChange={setAgentId}
                  searchable
                  data-testid="review-agent"
                />
                {card?.criteria.map((c) => (
                  <div key={c.key} data-testid="review-criterion">
                    <Text size="sm" fw={500}>
                      {c.label}{' '}
                      <Text span size="xs" c="dimmed">
                        {t('quality:scorecards.weightN', { n: n(c.weight) })}
                      </Text>
                    </Text>
                    <SegmentedControl
                      fullWidth
                      size="xs"
                      data={SCALE.map((s) => ({ value: s, label: t(`quality:scale.${s}`) }))}
                      value={scores[c.key] === undefined ? '' : String(scores[c.key])}
                      onChange={(v) => setScores((x) => ({ ...x, [c.key]: Number(v) }))}
                      aria-label={c.label}
                    />
                  </div>
                ))}
                <Textarea
                  label={t('quality:review.comment')}
                  value={comment}
                  onChange={(e) => setComment(e.currentTarget.value)}
                  autosize
                  minRows={3}
                  maxLength={4000}
                  data-testid="review-comment"
                />
                <Group justify="space-between">
                  <Text size="sm" data-testid="review-preview">
                    {preview === null
                      ? t('quality:review.scoreAll')
                      : t('quality:review.preview', { score: n(preview) })}
                  </Text>
                  <Button
                    type="submit"
                    disabled={preview === null || !agent}
                    loading={create.isPending}
                    data-testid="review-save"
                  >
                    {t('quality:review.save')}
                  </Button>
                </Group>
                {!agent && (
                  <Text size="xs" c="red">
                    {t('quality:review.needAgent')}
                  </Text>
                )}
              </>
            )}
          </Stack>
        </Card>
      </Group>
      <Text fw={600}>{t('quality:review.earlier')}</Text>
      {reviews.data && <ReviewTable items={reviews.data.items} showAgent />}
    </Stack>
  );
}
