import type { TicketList as TicketListPage, TicketSummary } from '@seva/contracts';
import { Alert, Button, Center, Group, Kbd, Loader, Stack, Text, Title } from '@mantine/core';
import { useDisclosure, useHotkeys, useMediaQuery } from '@mantine/hooks';
import { IconDeviceFloppy, IconFilter, IconPlus } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InboxSearch } from '../../app/router.tsx';
import { api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { useSavedViews } from '../ticket/desk-config.ts';
import { ticketKeys } from '../ticket/ticket-api.ts';
import { BulkActions } from './bulk-actions.tsx';
import { FilterBar } from './filter-bar.tsx';
import { activeFilterCount, rememberInboxSearch, toTicketListQuery } from './inbox-filters.ts';
import { SaveViewModal } from './save-view-modal.tsx';
import { TicketList } from './ticket-list.tsx';

const PAGE_SIZE = 50;

/** Is the key press aimed at something that handles Enter itself (a link, button or form control)? */
function isInteractive(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && !!target.closest('a,button,input,textarea,select,[contenteditable="true"],[role="menuitem"]');
}

/** The inbox: a view, filters in the URL, the ticket list with cursor paging and keyboard navigation. */
export function InboxPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const search = useSearch({ from: '/app/' }) as InboxSearch;
  const navigate = useNavigate();
  const compact = useMediaQuery('(max-width: 48em)') ?? false;
  const [saveOpened, saveModal] = useDisclosure(false);
  const [filtersOpened, filtersToggle] = useDisclosure(false);
  const savedViews = useSavedViews();
  const query = useMemo(() => toTicketListQuery(search), [search]);
  useEffect(() => rememberInboxSearch(search), [search]);

  const list = useInfiniteQuery({
    queryKey: ticketKeys.list({ ...query }),
    queryFn: ({ pageParam }) => api.get<TicketListPage>('/tickets', { ...query, limit: PAGE_SIZE, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const tickets = useMemo(() => list.data?.pages.flatMap((p) => p.items) ?? [], [list.data]);

  const [cursor, setCursor] = useState(0);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  useEffect(() => {
    setCursor(0);
    setSelected(new Set());
  }, [query]);
  useEffect(() => {
    if (cursor >= tickets.length && tickets.length > 0) setCursor(tickets.length - 1);
  }, [cursor, tickets.length]);

  const open = (tk: TicketSummary | undefined) => {
    if (tk) void navigate({ to: '/tickets/$ticketId', params: { ticketId: String(tk.number) } });
  };
  const toggle = (id: string) =>
    setSelected((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  useHotkeys([
    ['j', () => setCursor((c) => Math.min(c + 1, Math.max(tickets.length - 1, 0)))],
    ['k', () => setCursor((c) => Math.max(c - 1, 0))],
    ['x', () => tickets[cursor] && toggle(tickets[cursor].id)],
    [
      'Enter',
      (e) => {
        if (!isInteractive(e.target)) open(tickets[cursor]);
      },
      { preventDefault: false },
    ],
    ['c', () => can('tickets:create') && void navigate({ to: '/tickets/new' })],
  ]);

  const onChange = (patch: Partial<InboxSearch>) =>
    void navigate({ to: '/', search: (prev: InboxSearch) => ({ ...prev, ...patch, savedViewId: undefined }) });

  const savedView = savedViews.data?.find((v) => v.id === search.savedViewId);
  const title = savedView?.name ?? t(`inbox:views.${query.view}`, { defaultValue: t('common:nav.inbox') });

  return (
    <Stack gap="sm">
      <Group justify="space-between" wrap="wrap">
        <Title order={2} size="h3" data-testid="inbox-title">
          {title}
        </Title>
        <Group gap="xs">
          <Button variant="default" size="xs" leftSection={<IconDeviceFloppy size={14} />} onClick={saveModal.open} data-testid="save-view">
            {t('inbox:actions.saveView')}
          </Button>
          {can('tickets:create') && (
            <Button component={Link} to="/tickets/new" size="xs" leftSection={<IconPlus size={14} />} data-testid="new-ticket">
              {t('inbox:actions.newTicket')}
            </Button>
          )}
        </Group>
      </Group>
      {compact && (
        <Button
          variant="default"
          size="xs"
          leftSection={<IconFilter size={14} />}
          onClick={filtersToggle.toggle}
          aria-expanded={filtersOpened}
          data-testid="toggle-filters"
          w="fit-content"
        >
          {t('inbox:filters.toggle', { count: activeFilterCount(search) })}
        </Button>
      )}
      {(!compact || filtersOpened) && <FilterBar search={search} onChange={onChange} />}
      {selected.size > 0 && <BulkActions ids={[...selected]} onDone={() => setSelected(new Set())} />}
      {list.isLoading ? (
        <Center py="xl">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      ) : list.isError ? (
        <Alert color="red" title={t('common:states.error')}>
          <Button size="xs" variant="light" onClick={() => void list.refetch()}>
            {t('common:actions.retry')}
          </Button>
        </Alert>
      ) : tickets.length === 0 ? (
        <Center py="xl" data-testid="inbox-empty">
          <Text c="dimmed">{t('inbox:list.empty')}</Text>
        </Center>
      ) : (
        <TicketList
          tickets={tickets}
          cursor={cursor}
          selected={selected}
          compact={compact}
          onToggle={can('tickets:update') ? toggle : undefined}
          onToggleAll={() => setSelected((prev) => (tickets.every((tk) => prev.has(tk.id)) ? new Set() : new Set(tickets.map((tk) => tk.id))))}
          onOpen={open}
          onFocusRow={setCursor}
        />
      )}
      {list.hasNextPage && (
        <Center>
          <Button variant="light" onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage} data-testid="load-more">
            {t('common:actions.loadMore')}
          </Button>
        </Center>
      )}
      {!compact && (
        <Text size="xs" c="dimmed" ta="center">
          <Kbd>j</Kbd> / <Kbd>k</Kbd> {t('inbox:keys.move')} · <Kbd>Enter</Kbd> {t('inbox:keys.open')} · <Kbd>x</Kbd> {t('inbox:keys.select')} ·{' '}
          <Kbd>c</Kbd> {t('inbox:keys.new')} · <Kbd>/</Kbd> {t('inbox:keys.search')}
        </Text>
      )}
      <SaveViewModal opened={saveOpened} onClose={saveModal.close} search={search} />
    </Stack>
  );
}
