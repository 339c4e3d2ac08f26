import { Anchor, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import type { Ticket } from '@seva/contracts';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import { useSession } from '../../lib/session.tsx';
import { useReviews } from './quality-api.ts';

/**
 * Quality on the ticket page: reviewers see the ticket's reviews and open the review form; agents see the reviews
 * of their own work on it (the server lists nothing else for them). Hidden when there is nothing to show or do.
 */
export function TicketQualityPanel(props: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const reviewer = can('quality:review');
  const reviews = useReviews({ ticketId: props.ticket.id });
  const items = reviews.data?.items ?? [];
  if (!reviewer && items.length === 0) return null;
  return (
    <Card withBorder padding="sm" data-testid="ticket-quality">
      <Group justify="space-between" mb={items.length ? 'xs' : 0}>
        <Text fw={600} size="sm">
          {t('quality:ticket.heading')}
        </Text>
        {reviewer && (
          <Button
            size="xs"
            variant="light"
            renderRoot={(p) => (
              <Link {...p} to="/quality/review/$ticketId" params={{ ticketId: String(props.ticket.number) }} />
            )}
            data-testid="ticket-quality-review"
          >
            {t('quality:ticket.review')}
          </Button>
        )}
      </Group>
      <Stack gap={4}>
        {items.map((r) => (
          <div key={r.id}>
            <Group gap="xs">
              <Badge color={r.score >= 80 ? 'teal' : r.score >= 60 ? 'yellow' : 'red'}>
                {formatNumber(r.score, i18n.language)}
              </Badge>
              <Text size="xs" c="dimmed">
                {t('quality:ticket.by', { reviewer: r.reviewerName ?? '—', scorecard: r.scorecardName })}
              </Text>
            </Group>
            {r.comment && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {r.comment}
              </Text>
            )}
          </div>
        ))}
        {!reviewer && (
          <Anchor size="xs" renderRoot={(p) => <Link {...p} to="/quality" />}>
            {t('quality:ticket.all')}
          </Anchor>
        )}
      </Stack>
    </Card>
  );
}
