import { Badge, Button, Card, Group, NumberInput, Paper, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { useAttempt, usePracticeMutations, useProgress, useReviewQueue, useScenarios } from './practice-api.ts';

const CRITERIA = ['accuracy', 'empathy', 'clarity', 'policy'] as const;

function Attempt({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { session, can } = useSession();
  const attempt = useAttempt(id);
  const m = usePracticeMutations();
  const [text, setText] = useState('');
  const [scores, setScores] = useState<Record<string, number>>({});
  const [feedback, setFeedback] = useState('');
  const a = attempt.data;
  if (!a) return null;
  const mine = a.trainee.id === session?.user.id;
  return (
    <Paper withBorder p="md" data-testid="practice-attempt">
      <Group justify="space-between">
        <Title order={3} size="h4">
          {a.scenario.subject}
        </Title>
        <Button variant="subtle" onClick={onClose}>
          {t('common:actions.close')}
        </Button>
      </Group>
      <Stack gap="xs" mt="sm">
        {a.conversation.map((turn) => (
          <Card key={`${turn.at}-${turn.role}`} withBorder padding="xs" bg={turn.role === 'agent' ? 'var(--mantine-color-blue-0)' : undefined}>
            <Text size="xs" c="dimmed">
              {t(`improve:practice.role.${turn.role}`)}
            </Text>
            <Text style={{ whiteSpace: 'pre-wrap' }}>{turn.text}</Text>
          </Card>
        ))}
      </Stack>
      {a.status === 'in_progress' && mine && (
        <Stack mt="sm">
          <Textarea value={text} onChange={(e) => setText(e.currentTarget.value)} autosize minRows={3} placeholder={t('improve:practice.yourReply')} data-testid="practice-reply" />
          <Group>
            <Button
              disabled={text.trim() === ''}
              onClick={() => m.turn.mutate({ id, text }, { onSuccess: () => setText('') })}
              loading={m.turn.isPending}
              data-testid="practice-send"
            >
              {t('improve:practice.send')}
            </Button>
            <Button variant="light" onClick={() => m.submit.mutate(id)} loading={m.submit.isPending} data-testid="practice-submit">
              {t('improve:practice.submit')}
            </Button>
          </Group>
        </Stack>
      )}
      {a.referenceReply !== null && (
        <Card withBorder mt="md" data-testid="practice-reference">
          <Text fw={600}>{t('improve:practice.realReply')}</Text>
          <Text style={{ whiteSpace: 'pre-wrap' }}>{a.referenceReply}</Text>
          {a.playbook && (
            <>
              <Text fw={600} mt="sm">
                {a.playbook.title}
              </Text>
              <ol>
                {a.playbook.steps.map((s) => (
                  <li key={s}>{s}</li>
                ))}
              </ol>
            </>
          )}
        </Card>
      )}
      {a.review && (
        <Text mt="sm" data-testid="practice-score">
          {t('improve:practice.scored', { score: a.review.score })} {a.review.feedback}
        </Text>
      )}
      {a.status === 'submitted' && !mine && can('quality:review') && (
        <Stack mt="md">
          <SimpleGrid cols={{ base: 2, sm: 4 }}>
            {CRITERIA.map((c) => (
              <NumberInput
                key={c}
                label={t(`improve:practice.criteria.${c}`)}
                min={0}
                max={4}
                value={scores[c] ?? ''}
                onChange={(v) => setScores((s) => ({ ...s, [c]: Number(v) }))}
              />
            ))}
          </SimpleGrid>
          <Textarea label={t('improve:practice.feedback')} value={feedback} onChange={(e) => setFeedback(e.currentTarget.value)} />
          <Button w="fit-content" onClick={() => m.review.mutate({ id, scores, feedback })} loading={m.review.isPending}>
            {t('improve:practice.saveReview')}
          </Button>
        </Stack>
      )}
    </Paper>
  );
}

/** Practice mode: sandbox tickets from real solved ones (masked), the real answer afterwards, reviews and progress. */
export function PracticePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const scenarios = useScenarios();
  const queue = useReviewQueue(can('quality:review'));
  const progress = useProgress();
  const m = usePracticeMutations();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('improve:practice.heading')}
        </Title>
        {can('improve:manage') && (
          <Button variant="light" onClick={() => m.generate.mutate()} loading={m.generate.isPending}>
            {t('improve:practice.generate')}
          </Button>
        )}
      </Group>
      <Text c="dimmed">{t('improve:practice.explain')}</Text>
      {open && <Attempt id={open} onClose={() => setOpen(null)} />}
      <Title order={3} size="h4">
        {t('improve:practice.scenarios')}
      </Title>
      {scenarios.data?.items.length === 0 && <Text c="dimmed">{t('improve:practice.none')}</Text>}
      {scenarios.data?.items.map((s) => (
        <Group key={s.id} justify="space-between">
          <Text>
            {s.subject} {s.category && <Badge variant="light">{s.category.name}</Badge>}
          </Text>
          <Button size="xs" onClick={() => m.start.mutate(s.id, { onSuccess: (a) => setOpen(a.id) })}>
            {t('improve:practice.start')}
          </Button>
        </Group>
      ))}
      {queue.data && queue.data.items.length > 0 && (
        <>
          <Title order={3} size="h4">
            {t('improve:practice.toReview')}
          </Title>
          {queue.data.items.map((q) => (
            <Group key={q.id} justify="space-between">
              <Text>
                {q.trainee}: {q.subject}
              </Text>
              <Button size="xs" variant="light" onClick={() => setOpen(q.id)}>
                {t('improve:practice.review')}
              </Button>
            </Group>
          ))}
        </>
      )}
      <Title order={3} size="h4">
        {t('improve:practice.progress')}
      </Title>
      <Table>
        <Table.Tbody>
          {progress.data?.items.map((p) => (
            <Table.Tr key={p.category?.id ?? 'none'}>
              <Table.Td>{p.category?.name ?? '—'}</Table.Td>
              <Table.Td>{t('improve:practice.attempts', { n: p.attempts, reviewed: p.reviewed })}</Table.Td>
              <Table.Td>{p.averageScore ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
