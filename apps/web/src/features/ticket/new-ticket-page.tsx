import { TICKET_TYPES, type CustomerList, type TicketPriority, type TicketType } from '@seva/contracts';
import { Alert, Autocomplete, Button, Group, Paper, Select, SimpleGrid, Stack, TagsInput, Textarea, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { LANGUAGES } from '../inbox/filter-bar.tsx';
import { localized, useCategories, useStaff } from './desk-config.ts';
import { createTicket } from './ticket-api.ts';
import { PRIORITY_ORDER } from './ticket-status.ts';

/** Open a ticket on a customer's behalf (phone call, walk-in, forwarded mail): POST /tickets, then open it. */
export function NewTicketPage() {
  const { t, i18n } = useTranslation();
  const { can, session } = useSession();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const categories = useCategories();
  const staff = useStaff();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [priority, setPriority] = useState<TicketPriority>('normal');
  const [type, setType] = useState<TicketType>('question');
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const [language, setLanguage] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [debouncedEmail] = useDebouncedValue(email.trim(), 250);

  const matches = useQuery({
    queryKey: ['customers', { q: debouncedEmail }],
    queryFn: () => api.get<CustomerList>('/customers', { q: debouncedEmail, limit: 8 }),
    enabled: debouncedEmail.length >= 2 && can('customers:read'),
  });
  const suggestions = (matches.data?.items ?? []).filter((c) => c.email);

  const create = useMutation({
    mutationFn: () =>
      createTicket({
        subject: subject.trim(),
        customer: { email: email.trim(), ...(name.trim() ? { name: name.trim() } : {}) },
        message: { body: body.trim() },
        priority,
        type,
        categoryId,
        language,
        assigneeId,
        tags: tags.length ? tags : undefined,
        channel: 'web',
      }),
    onSuccess: (ticket) => {
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      notifications.show({ color: 'teal', message: t('ticket:new.created', { number: ticket.number }) });
      void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(ticket.number) } });
    },
  });
  const err = create.error instanceof ApiError ? create.error : null;
  const fieldError = (path: string) => err?.fieldError(path);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (email.trim() && subject.trim() && body.trim()) create.mutate();
  };

  if (!can('tickets:create')) return <Alert color="gray">{t('common:states.forbidden')}</Alert>;

  return (
    <Paper withBorder p="md" radius="md" maw={820}>
      <Title order={2} size="h3" mb="md">
        {t('ticket:new.title')}
      </Title>
      <form onSubmit={onSubmit} data-testid="new-ticket-form">
        <Stack>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Autocomplete
              label={t('ticket:new.customerEmail')}
              type="email"
              required
              value={email}
              onChange={setEmail}
              data={suggestions.map((c) => ({ value: c.email as string, label: `${c.email} — ${c.name}` }))}
              onOptionSubmit={(value) => {
                const c = suggestions.find((s) => s.email === value);
                if (c && !name) setName(c.name);
              }}
              error={fieldError('customer.email') ?? fieldError('email')}
              autoComplete="off"
              data-testid="new-customer-email"
            />
            <TextInput
              label={t('ticket:new.customerName')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              maxLength={200}
              data-testid="new-customer-name"
            />
          </SimpleGrid>
          <TextInput
            label={t('ticket:new.subject')}
            required
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            maxLength={500}
            error={fieldError('subject')}
            data-testid="new-subject"
          />
          <Textarea
            label={t('ticket:new.body')}
            required
            autosize
            minRows={6}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={fieldError('message.body') ?? fieldError('body')}
            data-testid="new-body"
          />
          <SimpleGrid cols={{ base: 1, sm: 3 }}>
            <Select
              label={t('ticket:properties.priority')}
              data={PRIORITY_ORDER.map((p) => ({ value: p, label: t(`ticket:priority.${p}`) }))}
              value={priority}
              onChange={(v) => v && setPriority(v as TicketPriority)}
              allowDeselect={false}
              data-testid="new-priority"
            />
            <Select
              label={t('ticket:properties.type')}
              data={TICKET_TYPES.map((ty) => ({ value: ty, label: t(`ticket:type.${ty}`) }))}
              value={type}
              onChange={(v) => v && setType(v as TicketType)}
              allowDeselect={false}
            />
            <Select
              label={t('ticket:properties.category')}
              placeholder={t('ticket:properties.noCategory')}
              data={(categories.data ?? []).filter((c) => c.isActive !== false).map((c) => ({ value: c.id, label: localized(c, i18n.language) }))}
              value={categoryId}
              onChange={setCategoryId}
              clearable
              searchable
              data-testid="new-category"
            />
            <Select
              label={t('ticket:properties.language')}
              placeholder={t('ticket:new.detectLanguage')}
              data={LANGUAGES.map((l) => ({ value: l, label: t(`common:languages.${l}`) }))}
              value={language}
              onChange={setLanguage}
              clearable
            />
            {can('tickets:assign') && (
              <Select
                label={t('ticket:properties.assignee')}
                placeholder={t('ticket:properties.unassigned')}
                data={(staff.data ?? [])
                  .filter((s) => s.status === 'active')
                  .map((s) => ({ value: s.id, label: s.id === session?.user.id ? t('ticket:new.me', { name: s.name }) : s.name }))}
                value={assigneeId}
                onChange={setAssigneeId}
                clearable
                searchable
              />
            )}
            <TagsInput label={t('ticket:properties.tags')} value={tags} onChange={setTags} maxTags={50} clearable data-testid="new-tags" />
          </SimpleGrid>
          {err && !fieldError('subject') && !fieldError('customer.email') && (
            <Alert color="red" role="alert">
              {err.message}
            </Alert>
          )}
          {create.isError && !err && <Alert color="red">{t('common:states.error')}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={() => window.history.back()}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!email.trim() || !subject.trim() || !body.trim()} data-testid="create-ticket">
              {t('ticket:new.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
