import { Anchor, Badge, Button, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRelative } from '../../i18n/index.ts';
import { routingApi, routingKeys } from './routing-api.ts';

/** "Following up": tickets I handed on and stay responsible for until they are solved. */
export function FollowingUpPage() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const [state, setState] = useState<'open' | 'closed'>('open');
  const list = useQuery({ queryKey: routingKeys.followups(state), queryFn: () => routingApi.followups(state), refetchInterval: 60_000 });
  const close = useMutation({
    mutationFn: ({ id, contacted }: { id: string; contacted: boolean }) => routingApi.closeFollowup(id, contacted),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['routing', 'followups'] }),
  });
  return (
    <Stack data-testid="following-up">
      <Group justify="space-between">
        <div>
          <Title order={1} size="h2">
            {t('routing:followUp.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('routing:followUp.help')}
          </Text>
        </div>
        <SegmentedControl
          value={state}
          onChange={(v) => setState(v as 'open' | 'closed')}
          data={[
            { value: 'open', label: t('routing:followUp.open') },
            { value: 'closed', label: t('routing:followUp.closed') },
          ]}
        />
      </Group>
      {list.data?.length === 0 && <Text c="dimmed">{t('routing:followUp.none')}</Text>}
      {(list.data?.length ?? 0) > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table>
            <Table.Tbody>
              {(list.data ?? []).map((f) => (
                <Table.Tr key={f.id} data-testid="followup-row" data-ticket-number={f.ticket.number}>
                  <Table.Td>
                    <Anchor renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(f.ticket.number) }} />}>
                      #{f.ticket.number} {f.ticket.subject}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {f.note}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{f.ticket.assigneeName ?? t('inbox:list.unassigned')}</Text>
                    <Badge size="xs" variant="light">
                      {t(`ticket:status.${f.ticket.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {f.state === 'open' ? (
                      <Text size="sm" c={f.overdue ? 'red' : undefined} title={formatDateTime(f.dueAt, i18n.language)} data-testid="followup-due" data-overdue={f.overdue || undefined}>
                        {f.overdue ? t('routing:followUp.overdue', { when: formatRelative(f.dueAt, i18n.language) }) : t('routing:followUp.due', { when: formatRelative(f.dueAt, i18n.language) })}
                      </Text>
                    ) : (
                      <Text size="sm">{f.contactedCustomer ? t('routing:followUp.contacted') : t('routing:followUp.notContacted')}</Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {f.state === 'open' && (
                      <Group gap={4} justify="flex-end" wrap="nowrap">
                        <Button size="xs" variant="light" onClick={() => close.mutate({ id: f.id, contacted: true })} data-testid="followup-contacted">
                          {t('routing:followUp.closeContacted')}
                        </Button>
                        <Button size="xs" variant="subtle" onClick={() => close.mutate({ id: f.id, contacted: false })}>
                          {t('routing:followUp.closeOnly')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Stack>
  );
}
