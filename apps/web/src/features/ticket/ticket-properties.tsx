import { TICKET_TYPES, type Ticket, type TicketList, type TicketPriority, type UpdateTicketBody } from '@seva/contracts';
import { Anchor, Paper, Select, Stack, TagsInput, Text, Title } from '@mantine/core';
import { CategorySuggestion } from './category-suggestion.tsx';
import { notifications } from '@mantine/notifications';
import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { LANGUAGES } from '../inbox/filter-bar.tsx';
import { CustomFieldInput } from './custom-field-input.tsx';
import { localized, useCategories, useCustomFields, useStaff, useTeams } from './desk-config.ts';
import { useUpdateTicket } from './ticket-api.ts';
import { PRIORITY_ORDER, selectableStatuses, UNRESOLVED_STATUSES } from './ticket-status.ts';

/** The ticket's properties: every change is saved at once (PATCH) and the server enforces the rules. */
export function TicketProperties({ ticket }: { ticket: Ticket }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const update = useUpdateTicket(ticket);
  const categories = useCategories();
  const teams = useTeams();
  const staff = useStaff();
  const fields = useCustomFields();
  const editable = can('tickets:update') && ticket.status !== 'closed';
  const canAssign = editable && can('tickets:assign');
  const problems = useQuery({
    queryKey: ['tickets', { kind: 'open-problems' }],
    queryFn: () => api.get<TicketList>('/tickets', { type: 'problem', view: 'all', status: UNRESOLVED_STATUSES.join(','), limit: 100 }),
    enabled: ticket.type === 'incident',
  });

  const save = (patch: UpdateTicketBody) =>
    update.mutate(patch, {
      onError: (err) =>
        notifications.show({
          color: 'red',
          title: t('ticket:properties.saveFailed'),
          message: err instanceof ApiError ? (err.code === 'INVALID_TRANSITION' ? t('ticket:properties.invalidTransition') : err.message) : t('common:states.error'),
        }),
    });

  const problemOptions = (problems.data?.items ?? []).filter((p) => p.id !== ticket.id).map((p) => ({ value: p.id, label: `#${p.number} ${p.subject}` }));
  if (ticket.problemId && !problemOptions.some((o) => o.value === ticket.problemId)) {
    const link = ticket.links.find((l) => l.ticketId === ticket.problemId);
    problemOptions.unshift({ value: ticket.problemId, label: link ? `#${link.number}` : t('ticket:properties.linkedProblem') });
  }
  const activeStaff = (staff.data ?? []).filter((s) => s.status === 'active' || s.id === ticket.assigneeId);
  const visibleFields = (fields.data ?? []).filter((f) => f.isActive !== false);

  return (
    <Paper withBorder p="sm" radius="md" data-testid="ticket-properties">
      <Title order={3} size="h5" mb="xs">
        {t('ticket:properties.title')}
      </Title>
      <Stack gap="xs">
        <Select
          label={t('ticket:properties.status')}
          data={selectableStatuses(ticket.status).map((s) => ({ value: s, label: t(`ticket:status.${s}`) }))}
          value={ticket.status}
          onChange={(v) => v && v !== ticket.status && save({ status: v as Ticket['status'] })}
          allowDeselect={false}
          disabled={!editable}
          size="xs"
          data-testid="status-select"
        />
        <Select
          label={t('ticket:properties.priority')}
          data={PRIORITY_ORDER.map((p: TicketPriority) => ({ value: p, label: t(`ticket:priority.${p}`) }))}
          value={ticket.priority}
          onChange={(v) => v && v !== ticket.priority && save({ priority: v as TicketPriority })}
          allowDeselect={false}
          disabled={!editable}
          size="xs"
          data-testid="priority-select"
        />
        <Select
          label={t('ticket:properties.type')}
          data={TICKET_TYPES.map((ty) => ({ value: ty, label: t(`ticket:type.${ty}`) }))}
          value={ticket.type}
          onChange={(v) => v && v !== ticket.type && save({ type: v as Ticket['type'] })}
          allowDeselect={false}
          disabled={!editable}
          size="xs"
          data-testid="type-select"
        />
        {ticket.type === 'incident' && (
          <Select
            label={t('ticket:properties.problem')}
            placeholder={t('ticket:properties.problemPlaceholder')}
            data={problemOptions}
            value={ticket.problemId}
            onChange={(v) => v !== ticket.problemId && save({ problemId: v })}
            searchable
            clearable
            nothingFoundMessage={t('ticket:properties.noProblems')}
            disabled={!editable}
            size="xs"
            data-testid="problem-select"
          />
        )}
        {ticket.type === 'problem' && ticket.incidentCount > 0 && (
          <Text size="xs" c="dimmed">
            {t('ticket:properties.incidents', { count: ticket.incidentCount })}
          </Text>
        )}
        <Select
          label={t('ticket:properties.assignee')}
          placeholder={t('ticket:properties.unassigned')}
          data={activeStaff.map((s) => ({ value: s.id, label: s.name }))}
          value={ticket.assigneeId}
          onChange={(v) => v !== ticket.assigneeId && save({ assigneeId: v })}
          searchable
          clearable
          disabled={!canAssign}
          size="xs"
          data-testid="assignee-select"
        />
        <Select
          label={t('ticket:properties.team')}
          placeholder={t('ticket:properties.noTeam')}
          data={(teams.data ?? []).map((tm) => ({ value: tm.id, label: tm.name }))}
          value={ticket.teamId}
          onChange={(v) => v !== ticket.teamId && save({ teamId: v })}
          clearable
          disabled={!canAssign}
          size="xs"
          data-testid="team-select"
        />
        <Select
          label={t('ticket:properties.category')}
          placeholder={t('ticket:properties.noCategory')}
          data={(categories.data ?? [])
            .filter((c) => c.isActive !== false || c.id === ticket.categoryId)
            .map((c) => ({ value: c.id, label: localized(c, i18n.language) }))}
          value={ticket.categoryId}
          onChange={(v) => v !== ticket.categoryId && save({ categoryId: v })}
          clearable
          searchable
          disabled={!editable}
          size="xs"
          data-testid="category-select"
        />
        <CategorySuggestion ticket={ticket} disabled={!editable} onApply={(id) => save({ categoryId: id })} />
        <Select
          label={t('ticket:properties.language')}
          placeholder={t('ticket:properties.unknownLanguage')}
          data={[...new Set([...LANGUAGES, ...(ticket.language ? [ticket.language] : [])])].map((l) => ({
            value: l,
            label: t(`common:languages.${l}`, { defaultValue: l }),
          }))}
          value={ticket.language}
          onChange={(v) => v !== ticket.language && save({ language: v })}
          clearable
          disabled={!editable}
          size="xs"
          data-testid="language-select"
        />
        <TagsInput
          label={t('ticket:properties.tags')}
          placeholder={t('ticket:properties.tagsPlaceholder')}
          value={ticket.tags}
          onChange={(tags) => save({ tags })}
          clearable
          maxTags={50}
          disabled={!editable}
          size="xs"
          data-testid="tags-input"
        />
        {visibleFields.map((f) => (
          <CustomFieldInput
            key={f.id}
            field={f}
            value={ticket.customFields[f.key]}
            disabled={!editable}
            onSave={(value) => save({ customFields: { [f.key]: value } })}
          />
        ))}
        {ticket.links.length > 0 && (
          <Stack gap={2} data-testid="ticket-links">
            <Text size="xs" fw={500}>
              {t('ticket:properties.links')}
            </Text>
            {ticket.links.map((l) => (
              <Text size="xs" key={`${l.kind}-${l.ticketId}`}>
                {t(`ticket:links.${l.kind}`, { defaultValue: l.kind })}{' '}
                <Anchor size="xs" renderRoot={(props) => <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(l.number) }} />}>
                  #{l.number}
                </Anchor>
              </Text>
            ))}
          </Stack>
        )}
      </Stack>
    </Paper>
  );
}
