import {
  ActionIcon,
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Grid,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { Customer, TicketList } from '@seva/contracts';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatRelative } from '../../i18n/index.ts';
import { ApiError, api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { CustomerChannelContacts } from '../channels/customer-channel-contacts.tsx';
import { PriorityBadge, StatusBadge } from '../ticket/ticket-badges.tsx';
import { CustomerPicker, type PickedCustomer, PickerActions } from './customer-picker.tsx';
import { customerKey, useCustomer } from './customers-api.ts';

function errorText(err: unknown, fallback: string): string {
  return err instanceof ApiError ? err.message : fallback;
}

function Details({ customer }: { customer: Customer }) {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(customer.name);
  const [notes, setNotes] = useState(customer.notes);
  useEffect(() => {
    setName(customer.name);
    setNotes(customer.notes);
  }, [customer]);
  const save = useMutation({
    mutationFn: () => api.patch<Customer>(`/customers/${customer.id}`, { name: name.trim(), notes }),
    onSuccess: (c) => {
      qc.setQueryData(customerKey(c.id), c);
      void qc.invalidateQueries({ queryKey: customerKey(c.id) });
      setEditing(false);
      notifications.show({ color: 'teal', message: t('common:states.saved') });
    },
  });
  return (
    <Paper withBorder p="md" radius="md" data-testid="customer-details">
      <Group justify="space-between" wrap="nowrap">
        {editing ? (
          <TextInput
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            aria-label={t('customers:fields.name')}
            maxLength={200}
            style={{ flex: 1 }}
          />
        ) : (
          <Title order={2} size="h3" data-testid="customer-name">
            {customer.name || customer.email}
          </Title>
        )}
        {can('customers:write') && !editing && (
          <ActionIcon
            variant="subtle"
            aria-label={t('customers:actions.edit')}
            onClick={() => setEditing(true)}
            data-testid="edit-customer"
          >
            <IconPencil size={16} />
          </ActionIcon>
        )}
      </Group>
      <Stack gap={4} mt="xs">
        {customer.organisation && (
          <Text size="sm">
            {t('customers:fields.organisation')}: {customer.organisation.name}
          </Text>
        )}
        {customer.locale && (
          <Text size="sm">
            {t('customers:fields.language')}:{' '}
            {t(`common:languages.${customer.locale}`, { defaultValue: customer.locale })}
          </Text>
        )}
        <Text size="sm" c="dimmed">
          {t('customers:fields.since', { when: formatDateTime(customer.createdAt, i18n.language) })}
        </Text>
        <Text size="sm" c="dimmed">
          {t('customers:fields.ticketCounts', { open: customer.openTicketCount, total: customer.ticketCount })}
        </Text>
        {customer.mergedIntoId && (
          <Alert color="gray">
            {t('customers:merge.mergedInto')}{' '}
            <Anchor
              renderRoot={(props) => (
                <Link {...props} to="/customers/$customerId" params={{ customerId: customer.mergedIntoId as string }} />
              )}
            >
              {t('customers:merge.open')}
            </Anchor>
          </Alert>
        )}
        {editing ? (
          <Textarea
            label={t('customers:fields.notes')}
            value={notes}
            onChange={(e) => setNotes(e.currentTarget.value)}
            autosize
            minRows={3}
            maxLength={10_000}
          />
        ) : (
          customer.notes && (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {customer.notes}
            </Text>
          )
        )}
        {editing && (
          <Group justify="flex-end" mt="xs">
            {save.isError && (
              <Text c="red" size="sm">
                {errorText(save.error, t('common:states.error'))}
              </Text>
            )}
            <Button variant="default" size="xs" onClick={() => setEditing(false)}>
              {t('common:actions.cancel')}
            </Button>
            <Button size="xs" loading={save.isPending} disabled={!name.trim()} onClick={() => save.mutate()}>
              {t('common:actions.save')}
            </Button>
          </Group>
        )}
      </Stack>
    </Paper>
  );
}

function Identities({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const { can } = useSession();
  const qc = useQueryClient();
  const [kind, setKind] = useState<string>('email');
  const [value, setValue] = useState('');
  const refresh = () => qc.invalidateQueries({ queryKey: customerKey(customer.id) });
  const add = useMutation({
    mutationFn: () => api.post(`/customers/${customer.id}/identities`, { kind, value: value.trim() }),
    onSuccess: () => {
      setValue('');
      void refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (identityId: string) => api.delete(`/customers/${customer.id}/identities/${identityId}`),
    onSuccess: () => void refresh(),
    onError: (err) => notifications.show({ color: 'red', message: errorText(err, t('common:states.error')) }),
  });
  const writable = can('customers:write');
  return (
    <Paper withBorder p="md" radius="md" data-testid="customer-identities">
      <Title order={3} size="h5" mb="xs">
        {t('customers:identities.title')}
      </Title>
      <Stack gap={6}>
        {customer.identities.map((i) => (
          <Group key={i.id} justify="space-between" wrap="nowrap" data-testid="identity">
            <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
              <Badge size="xs" variant="light">
                {t(`customers:identities.kind.${i.kind}`, { defaultValue: i.kind })}
              </Badge>
              <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                {i.value}
              </Text>
              {i.isPrimary && (
                <Badge size="xs" color="teal">
                  {t('customers:identities.primary')}
                </Badge>
              )}
              {i.isVerified && (
                <Badge size="xs" color="gray" variant="outline">
                  {t('customers:identities.verified')}
                </Badge>
              )}
            </Group>
            {writable && customer.identities.length > 1 && (
              <ActionIcon
                size="sm"
                variant="subtle"
                color="gray"
                aria-label={t('customers:identities.remove', { value: i.value })}
                onClick={() =>
                  window.confirm(t('customers:identities.confirmRemove', { value: i.value })) && remove.mutate(i.id)
                }
              >
                <IconTrash size={14} />
              </ActionIcon>
            )}
          </Group>
        ))}
        {writable && (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              if (value.trim()) add.mutate();
            }}
          >
            <Group gap="xs" align="flex-end" wrap="nowrap" mt="xs">
              <Select
                aria-label={t('customers:identities.kindLabel')}
                data={['email', 'phone', 'external'].map((k) => ({
                  value: k,
                  label: t(`customers:identities.kind.${k}`),
                }))}
                value={kind}
                onChange={(v) => v && setKind(v)}
                allowDeselect={false}
                w={110}
                size="xs"
              />
              <TextInput
                aria-label={t('customers:identities.value')}
                placeholder={t('customers:identities.value')}
                value={value}
                onChange={(e) => setValue(e.currentTarget.value)}
                error={add.isError ? errorText(add.error, t('common:states.error')) : undefined}
                size="xs"
                style={{ flex: 1 }}
                data-testid="identity-value"
              />
              <Button type="submit" size="xs" loading={add.isPending} disabled={!value.trim()}>
                {t('common:actions.add')}
              </Button>
            </Group>
          </form>
        )}
      </Stack>
    </Paper>
  );
}

function MergeDuplicate({ customer }: { customer: Customer }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [chosen, setChosen] = useState<PickedCustomer | null>(null);
  const merge = useMutation({
    mutationFn: () => api.post<Customer>(`/customers/${customer.id}/merge`, { duplicateId: chosen?.id }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: customerKey(customer.id) });
      void qc.invalidateQueries({ queryKey: ['customer-tickets'] });
      void qc.invalidateQueries({ queryKey: ['tickets'] });
      notifications.show({ color: 'teal', message: t('customers:merge.done') });
      setOpened(false);
      setChosen(null);
    },
  });
  return (
    <>
      <Button variant="light" color="orange" size="xs" onClick={() => setOpened(true)} data-testid="merge-customer">
        {t('customers:merge.action')}
      </Button>
      <Modal opened={opened} onClose={() => setOpened(false)} title={t('customers:merge.title')}>
        <Stack>
          <Text size="sm">{t('customers:merge.explain', { name: customer.name })}</Text>
          <CustomerPicker
            excludeId={customer.id}
            value={chosen}
            onChange={setChosen}
            findLabel={t('customers:merge.find')}
            selectLabel={t('customers:merge.duplicate')}
            testId="merge-customer"
          />
          {chosen && (
            <Alert color="orange">
              {t('customers:merge.warning', { duplicate: chosen.name, target: customer.name })}
            </Alert>
          )}
          <PickerActions
            error={merge.isError ? errorText(merge.error, t('common:states.error')) : null}
            pending={merge.isPending}
            disabled={!chosen}
            confirmLabel={t('customers:merge.confirm')}
            onCancel={() => setOpened(false)}
            onConfirm={() => merge.mutate()}
            testId="merge-customer"
          />
        </Stack>
      </Modal>
    </>
  );
}

function CustomerTickets({ customerId }: { customerId: string }) {
  const { t, i18n } = useTranslation();
  const tickets = useInfiniteQuery({
    queryKey: ['customer-tickets', customerId, 'all'],
    queryFn: ({ pageParam }) =>
      api.get<TicketList>(`/customers/${customerId}/tickets`, { limit: 50, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const items = tickets.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Paper withBorder p="md" radius="md" data-testid="customer-tickets">
      <Title order={3} size="h5" mb="xs">
        {t('customers:tickets.title')}
      </Title>
      {tickets.isLoading && <Loader size="sm" aria-label={t('common:states.loading')} />}
      {tickets.isError && <Alert color="red">{t('common:states.error')}</Alert>}
      {tickets.isSuccess && items.length === 0 && <Text c="dimmed">{t('customers:tickets.none')}</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={500}>
          <Table verticalSpacing="xs" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('inbox:list.subject')}</Table.Th>
                <Table.Th>{t('inbox:list.status')}</Table.Th>
                <Table.Th>{t('inbox:list.priority')}</Table.Th>
                <Table.Th>{t('inbox:list.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((tk) => (
                <Table.Tr key={tk.id} data-testid="customer-ticket">
                  <Table.Td>
                    <Anchor
                      size="sm"
                      renderRoot={(props) => (
                        <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(tk.number) }} />
                      )}
                    >
                      #{tk.number} {tk.subject}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={tk.status} />
                  </Table.Td>
                  <Table.Td>
                    <PriorityBadge priority={tk.priority} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatRelative(tk.updatedAt, i18n.language)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {tickets.hasNextPage && (
        <Button
          variant="subtle"
          size="xs"
          mt="xs"
          loading={tickets.isFetchingNextPage}
          onClick={() => void tickets.fetchNextPage()}
        >
          {t('common:actions.loadMore')}
        </Button>
      )}
    </Paper>
  );
}

/** A customer: details and notes, identities (emails, phones, external ids), tickets, and merging a duplicate in. */
export function CustomerPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const { customerId } = useParams({ from: '/app/customers/$customerId' });
  const customer = useCustomer(customerId);
  if (customer.isLoading) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (customer.isError || !customer.data) {
    const notFound = customer.error instanceof ApiError && customer.error.status === 404;
    return (
      <Alert color={notFound ? 'gray' : 'red'}>{notFound ? t('customers:notFound') : t('common:states.error')}</Alert>
    );
  }
  const c = customer.data;
  return (
    <Stack gap="md" data-testid="customer-page">
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Details customer={c} />
            <Identities customer={c} />
            <CustomerChannelContacts customerId={c.id} customerName={c.name} />
            {can('customers:merge') && !c.mergedIntoId && <MergeDuplicate customer={c} />}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <CustomerTickets customerId={c.id} />
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
