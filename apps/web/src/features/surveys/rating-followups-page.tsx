import { Anchor, Badge, Button, Card, Group, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { SurveyFollowup } from '@seva/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { errorMessage } from '../auth/auth-errors.ts';

const KEY = ['surveys', 'followups'] as const;

/**
 * Follow-ups after bad ratings: the team lead who owns one gets in touch with the customer and notes what was done
 * (report readers see everyone's).
 */
export function RatingFollowupsPage() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<'open' | 'done'>('open');
  const list = useQuery({
    queryKey: [...KEY, status],
    queryFn: () => api.get<{ items: SurveyFollowup[] }>('/surveys/followups', { status }).then((r) => r.items),
  });
  return (
    <Stack gap="md" maw={900} data-testid="rating-followups">
      <Group justify="space-between">
        <div>
          <Title order={2} size="h3">
            {t('insights:followups.heading')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('insights:followups.help')}
          </Text>
        </div>
        <SegmentedControl
          value={status}
          onChange={(v) => setStatus(v === 'done' ? 'done' : 'open')}
          data={[
            { value: 'open', label: t('insights:followups.open') },
            { value: 'done', label: t('insights:followups.done') },
          ]}
        />
      </Group>
      {list.data?.length === 0 && <Text c="dimmed">{t('insights:followups.none')}</Text>}
      {list.data?.map((f) => (
        <FollowupCard key={f.id} f={f} />
      ))}
    </Stack>
  );
}

function FollowupCard(props: { f: SurveyFollowup }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const { f } = props;
  const [note, setNote] = useState(f.note ?? '');
  const update = useMutation({
    mutationFn: (status: 'open' | 'done') =>
      api.patch<SurveyFollowup>(`/surveys/followups/${f.id}`, { status, note: note.trim() }),
    onSuccess: () => {
      notifications.show({ color: 'teal', message: t('insights:followups.saved') });
      void qc.invalidateQueries({ queryKey: KEY });
    },
    onError: (err) => notifications.show({ color: 'red', message: errorMessage(t, err) }),
  });
  return (
    <Card withBorder data-testid="rating-followup">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          {f.ticketNumber ? (
            <Anchor
              renderRoot={(p) => <Link {...p} to="/tickets/$ticketId" params={{ ticketId: String(f.ticketNumber) }} />}
            >{`#${f.ticketNumber} ${f.ticketSubject ?? ''}`}</Anchor>
          ) : (
            <Text>{t('insights:followups.ticket')}</Text>
          )}
          <Text size="xs" c="dimmed">
            {`${t('insights:followups.owner')}: ${f.ownerName ?? t('insights:followups.nobody')} · ${formatDateTime(f.createdAt, i18n.language)}`}
          </Text>
        </Stack>
        {f.rating !== null && (
          <Badge color="red" data-testid="rating-followup-rating">
            {`${t('insights:followups.rating')}: ${f.rating} · ${t(`insights:csat.ratings.${f.rating}`)}`}
          </Badge>
        )}
      </Group>
      <Text size="sm" mt="xs" style={{ whiteSpace: 'pre-wrap' }} data-testid="rating-followup-comment">
        {f.comment ?? t('insights:followups.noComment')}
      </Text>
      <Textarea
        mt="xs"
        label={t('insights:followups.note')}
        value={note}
        onChange={(e) => setNote(e.currentTarget.value)}
        autosize
        minRows={2}
        maxLength={4000}
        data-testid="rating-followup-note"
      />
      <Group mt="xs">
        {f.status === 'open' ? (
          <Button
            size="xs"
            onClick={() => update.mutate('done')}
            loading={update.isPending}
            data-testid="rating-followup-done"
          >
            {t('insights:followups.markDone')}
          </Button>
        ) : (
          <Button size="xs" variant="light" onClick={() => update.mutate('open')} loading={update.isPending}>
            {t('insights:followups.reopen')}
          </Button>
        )}
      </Group>
    </Card>
  );
}
