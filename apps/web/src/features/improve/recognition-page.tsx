import { Alert, Badge, Card, Group, SegmentedControl, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatNumber } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { useDigest, useLeaderboard, useThanks } from './improve-api.ts';

type Period = 'week' | 'month' | 'quarter';

/** Recognition: my week, the leaderboards (people and teams), and customers' thank-yous. */
export function RecognitionPage() {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<Period>('month');
  const board = useLeaderboard(period);
  const thanks = useThanks();
  const digest = useDigest();
  const n = (x: number) => formatNumber(x, i18n.language);

  if (board.error instanceof ApiError && board.error.status === 409) {
    return <Alert color="gray">{t('improve:recognition.off')}</Alert>;
  }
  return (
    <Stack gap="md" maw={1100}>
      <Title order={2} size="h3">
        {t('improve:recognition.heading')}
      </Title>
      {digest.data && (
        <Card withBorder data-testid="digest">
          <Text fw={600}>{t('improve:recognition.myWeek')}</Text>
          <Group gap="xl" mt="xs">
            <Text>{t('improve:recognition.points', { n: n(digest.data.points) })}</Text>
            <Text>{t('improve:recognition.solved', { n: n(digest.data.solved) })}</Text>
            <Text>{t('improve:recognition.fcr', { n: n(digest.data.firstContactResolutions) })}</Text>
            <Text>{t('improve:recognition.goodRatings', { n: n(digest.data.goodRatings) })}</Text>
          </Group>
          {digest.data.kudos.map((k) => (
            <Text key={k.at} size="sm" mt={4}>
              🎉 {k.message} {k.from ? `— ${k.from}` : ''}
            </Text>
          ))}
        </Card>
      )}
      <SegmentedControl
        w="fit-content"
        value={period}
        onChange={(v) => setPeriod(v as Period)}
        data={(['week', 'month', 'quarter'] as const).map((p) => ({ value: p, label: t(`improve:recognition.period.${p}`) }))}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Text fw={600} mb="xs">
            {t('improve:recognition.people')}
          </Text>
          <Table data-testid="leaderboard">
            <Table.Tbody>
              {board.data?.people.map((p) => (
                <Table.Tr key={p.staff.id}>
                  <Table.Td w={40}>{n(p.rank)}</Table.Td>
                  <Table.Td>
                    {p.staff.name}
                    <Group gap={4}>
                      {p.badges.map((b) => (
                        <Badge key={b} size="xs" variant="light" color="grape">
                          {t(`improve:badges.${b}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {n(p.points)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {board.data?.people.length === 0 && <Text c="dimmed">{t('improve:recognition.nobodyYet')}</Text>}
        </Card>
        <Card withBorder>
          <Text fw={600} mb="xs">
            {t('improve:recognition.teams')}
          </Text>
          <Table>
            <Table.Tbody>
              {board.data?.teams.map((tm) => (
                <Table.Tr key={tm.id}>
                  <Table.Td>{tm.name}</Table.Td>
                  <Table.Td ta="right" fw={600}>
                    {n(tm.points)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      </SimpleGrid>
      <Title order={3} size="h4">
        {t('improve:recognition.thanks')}
      </Title>
      {thanks.data?.items.length === 0 && <Text c="dimmed">{t('improve:recognition.noThanks')}</Text>}
      {thanks.data?.items.map((x) => (
        <Card key={x.id} withBorder padding="sm">
          <Text style={{ whiteSpace: 'pre-wrap' }}>“{x.comment}”</Text>
          <Text size="xs" c="dimmed">
            {x.staff?.name ?? ''} · {formatDateTime(x.answeredAt, i18n.language)}
          </Text>
        </Card>
      ))}
    </Stack>
  );
}
