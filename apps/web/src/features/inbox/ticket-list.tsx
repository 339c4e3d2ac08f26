import type { TicketSummary } from '@seva/contracts';
import { Anchor, Badge, Card, Checkbox, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { Link } from '@tanstack/react-router';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRelative } from '../../i18n/index.ts';
import { SlaCountdown } from '../sla/sla-countdown.tsx';
import { PriorityBadge, StatusBadge } from '../ticket/ticket-badges.tsx';

interface TicketListProps {
  tickets: TicketSummary[];
  cursor: number;
  selected: Set<string>;
  compact: boolean;
  onToggle?(id: string): void;
  onToggleAll?(): void;
  onOpen(ticket: TicketSummary): void;
  onFocusRow(index: number): void;
}

function Updated({ at }: { at: string }) {
  const { i18n } = useTranslation();
  return (
    <Tooltip label={formatDateTime(at, i18n.language)}>
      <Text size="sm" c="dimmed" component="time" dateTime={at}>
        {formatRelative(at, i18n.language)}
      </Text>
    </Tooltip>
  );
}

/** The ticket list: a table on wide screens, stacked cards on a phone; `cursor` is the keyboard position (j/k). */
export function TicketList({ tickets, cursor, selected, compact, onToggle, onToggleAll, onOpen, onFocusRow }: TicketListProps) {
  const { t } = useTranslation();
  const activeRef = useRef<HTMLElement | null>(null);
  useEffect(() => {
    activeRef.current?.scrollIntoView?.({ block: 'nearest' });
  }, [cursor]);

  const subjectLink = (tk: TicketSummary) => (
    <Anchor renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(tk.number) }} />} fw={tk.status === 'new' ? 700 : 500} c="inherit" data-testid="ticket-link">
      {tk.subject}
    </Anchor>
  );

  if (compact) {
    return (
      <Stack gap="xs" data-testid="ticket-cards">
        {tickets.map((tk, i) => (
          <Card
            key={tk.id}
            withBorder
            padding="sm"
            data-testid="ticket-row"
            data-active={i === cursor || undefined}
            ref={(el: HTMLDivElement | null) => {
              if (i === cursor) activeRef.current = el;
            }}
            style={i === cursor ? { outline: '2px solid var(--mantine-primary-color-filled)' } : undefined}
            onClick={() => onFocusRow(i)}
          >
            <Group justify="space-between" wrap="nowrap" gap="xs">
              <Text size="xs" c="dimmed">
                #{tk.number} · {tk.customer.name || tk.customer.email}
              </Text>
              <Updated at={tk.updatedAt} />
            </Group>
            <Text mt={4}>{subjectLink(tk)}</Text>
            <Group gap={6} mt={6}>
              <StatusBadge status={tk.status} />
              <PriorityBadge priority={tk.priority} />
              <SlaCountdown dueAt={tk.slaDueAt} state={tk.slaState} size="xs" />
              <Badge variant="default" size="sm">
                {t(`ticket:channel.${tk.channel}`, { defaultValue: tk.channel })}
              </Badge>
              <Text size="xs" c="dimmed">
                {tk.assignee?.name ?? t('inbox:list.unassigned')}
              </Text>
            </Group>
          </Card>
        ))}
      </Stack>
    );
  }

  const allSelected = tickets.length > 0 && tickets.every((tk) => selected.has(tk.id));
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table highlightOnHover verticalSpacing="xs" data-testid="ticket-table">
        <Table.Thead>
          <Table.Tr>
            {onToggle && (
              <Table.Th w={36}>
                <Checkbox
                  aria-label={t('inbox:list.selectAll')}
                  checked={allSelected}
                  indeterminate={!allSelected && selected.size > 0}
                  onChange={() => onToggleAll?.()}
                />
              </Table.Th>
            )}
            <Table.Th w={70}>{t('inbox:list.number')}</Table.Th>
            <Table.Th>{t('inbox:list.subject')}</Table.Th>
            <Table.Th>{t('inbox:list.customer')}</Table.Th>
            <Table.Th>{t('inbox:list.status')}</Table.Th>
            <Table.Th>{t('inbox:list.priority')}</Table.Th>
            <Table.Th>{t('inbox:list.sla')}</Table.Th>
            <Table.Th>{t('inbox:list.assignee')}</Table.Th>
            <Table.Th>{t('inbox:list.channel')}</Table.Th>
            <Table.Th>{t('inbox:list.language')}</Table.Th>
            <Table.Th>{t('inbox:list.updated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tickets.map((tk, i) => (
            <Table.Tr
              key={tk.id}
              data-testid="ticket-row"
              data-ticket-number={tk.number}
              data-active={i === cursor || undefined}
              aria-selected={i === cursor}
              ref={(el: HTMLTableRowElement | null) => {
                if (i === cursor) activeRef.current = el;
              }}
              bg={i === cursor ? 'var(--mantine-primary-color-light)' : undefined}
              style={{ cursor: 'pointer' }}
              onClick={(e) => {
                if ((e.target as HTMLElement).closest('a,button,input,label')) return;
                onFocusRow(i);
                onOpen(tk);
              }}
            >
              {onToggle && (
                <Table.Td>
                  <Checkbox
                    aria-label={t('inbox:list.select', { number: tk.number })}
                    checked={selected.has(tk.id)}
                    onChange={() => onToggle(tk.id)}
                  />
                </Table.Td>
              )}
              <Table.Td>
                <Text size="sm" c="dimmed">
                  #{tk.number}
                </Text>
              </Table.Td>
              <Table.Td maw={380}>
                <Text size="sm" lineClamp={1}>
                  {subjectLink(tk)}
                </Text>
                {tk.tags.length > 0 && (
                  <Group gap={4} mt={2}>
                    {tk.tags.slice(0, 4).map((tag) => (
                      <Badge key={tag} size="xs" variant="dot" color="gray">
                        {tag}
                      </Badge>
                    ))}
                  </Group>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" lineClamp={1}>
                  {tk.customer.name || tk.customer.email}
                </Text>
              </Table.Td>
              <Table.Td>
                <StatusBadge status={tk.status} />
              </Table.Td>
              <Table.Td>
                <PriorityBadge priority={tk.priority} />
              </Table.Td>
              <Table.Td>
                <SlaCountdown dueAt={tk.slaDueAt} state={tk.slaState} size="xs" />
              </Table.Td>
              <Table.Td>
                <Text size="sm" c={tk.assignee ? undefined : 'dimmed'}>
                  {tk.assignee?.name ?? t('inbox:list.unassigned')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{t(`ticket:channel.${tk.channel}`, { defaultValue: tk.channel })}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{tk.language ? t(`common:languages.${tk.language}`, { defaultValue: tk.language }) : '—'}</Text>
              </Table.Td>
              <Table.Td>
                <Updated at={tk.updatedAt} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
