import type { TicketPriority, TicketStatus } from '@seva/contracts';
import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { PRIORITY_COLOR, STATUS_COLOR } from './ticket-status.ts';

export function StatusBadge({ status }: { status: TicketStatus }) {
  const { t } = useTranslation();
  return (
    <Badge color={STATUS_COLOR[status] ?? 'gray'} variant="light" data-testid="status-badge" style={{ minWidth: 'max-content', overflow: 'visible' }} data-status={status}>
      {t(`ticket:status.${status}`)}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  const { t } = useTranslation();
  return (
    <Badge color={PRIORITY_COLOR[priority] ?? 'gray'} variant={priority === 'urgent' ? 'filled' : 'outline'} data-testid="priority-badge" style={{ minWidth: 'max-content', overflow: 'visible' }}>
      {t(`ticket:priority.${priority}`)}
    </Badge>
  );
}
