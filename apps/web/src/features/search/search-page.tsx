import type { SearchResult, SearchType } from '@seva/contracts';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRelative } from '../../i18n/index.ts';
import { api } from '../../lib/api.ts';
import { StatusBadge } from '../ticket/ticket-badges.tsx';
import { sanitizeSnippet } from './sanitize-snippet.ts';

function Snippet({ html }: { html: string }) {
  // Safe by construction: sanitizeSnippet lets through nothing but text and bare <mark> tags (see its tests).
  const clean = useMemo(() => sanitizeSnippet(html), [html]);
  return (
    <Text size="sm" c="dimmed" lineClamp={2} data-testid="search-snippet" dangerouslySetInnerHTML={{ __html: clean }} />
  );
}

/** Empty pages fetched one after another without a click (each is one bounded walk on the server). */
const AUTO_CONTINUE_PAGES = 5;

/** Full-text search over tickets (including internal notes for staff) and customers. */
export function SearchPage() {
  const { t, i18n } = useTranslation();
  const search = useSearch({ from: '/app/search' }) as { q?: string };
  const navigate = useNavigate();
  const q = search.q?.trim() ?? '';
  const [input, setInput] = useState(q);
  const [type, setType] = useState<SearchType>('all');
  useEffect(() => setInput(q), [q]);

  const results = useInfiniteQuery({
    queryKey: ['search', q, type],
    queryFn: ({ pageParam }) => api.get<SearchResult>('/search', { q, type, limit: 20, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: q.length > 0,
  });
  const tickets = results.data?.pages.flatMap((p) => p.tickets) ?? [];
  const customers = results.data?.pages.flatMap((p) => p.customers) ?? [];
  const nothingYet = tickets.length === 0 && customers.length === 0;
  // A very common word's walk stops after a bounded number of tickets (docs/api.md), so a word common long ago but
  // not lately can come back empty with a next page: go on by itself a few times before asking.
  const pagesSoFar = results.data?.pages.length ?? 0;
  useEffect(() => {
    if (nothingYet && results.hasNextPage && !results.isFetching && pagesSoFar < AUTO_CONTINUE_PAGES) {
      void results.fetchNextPage();
    }
  }, [nothingYet, results.hasNextPage, results.isFetching, pagesSoFar, results.fetchNextPage]);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (input.trim()) void navigate({ to: '/search', search: { q: input.trim() } });
  };

  return (
    <Stack gap="md" maw={900}>
      <Title order={2} size="h3">
        {t('search:title')}
      </Title>
      <form onSubmit={onSubmit}>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            leftSection={<IconSearch size={16} />}
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
            aria-label={t('search:inputLabel')}
            placeholder={t('search:placeholder')}
            maxLength={200}
            data-testid="search-input"
          />
          <Button type="submit">{t('search:submit')}</Button>
        </Group>
      </form>
      <SegmentedControl
        value={type}
        onChange={(v) => setType(v as SearchType)}
        data={[
          { value: 'all', label: t('search:types.all') },
          { value: 'tickets', label: t('search:types.tickets') },
          { value: 'customers', label: t('search:types.customers') },
        ]}
        w="fit-content"
      />
      {!q && <Text c="dimmed">{t('search:hint')}</Text>}
      {(results.isLoading || (nothingYet && results.isFetchingNextPage)) && (
        <Center py="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {results.isError && <Alert color="red">{t('common:states.error')}</Alert>}
      {results.isSuccess && nothingYet && !results.hasNextPage && (
        <Text c="dimmed" data-testid="search-empty">
          {t('search:noResults', { q })}
        </Text>
      )}
      {results.isSuccess && nothingYet && results.hasNextPage && pagesSoFar >= AUTO_CONTINUE_PAGES && (
        <Text c="dimmed" data-testid="search-none-recent">
          {t('search:noRecentResults', { q })}
        </Text>
      )}
      {tickets.length > 0 && (
        <Stack gap="xs" data-testid="search-tickets">
          <Title order={3} size="h5">
            {t('search:types.tickets')}
          </Title>
          {tickets.map((hit) => (
            <Paper key={hit.id} withBorder p="sm" data-testid="search-ticket">
              <Group justify="space-between" wrap="nowrap">
                <Anchor
                  fw={600}
                  renderRoot={(props) => (
                    <Link {...props} to="/tickets/$ticketId" params={{ ticketId: String(hit.number) }} />
                  )}
                >
                  #{hit.number} {hit.subject}
                </Anchor>
                <Group gap={6} wrap="nowrap">
                  {hit.matchedIn === 'internal_note' && (
                    <Badge size="xs" color="yellow">
                      {t('search:matchedIn.internal_note')}
                    </Badge>
                  )}
                  <StatusBadge status={hit.status} />
                </Group>
              </Group>
              <Snippet html={hit.snippet} />
              <Text size="xs" c="dimmed" mt={4}>
                {hit.customer.name} · {formatRelative(hit.updatedAt, i18n.language)}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {customers.length > 0 && (
        <Stack gap="xs" data-testid="search-customers">
          <Title order={3} size="h5">
            {t('search:types.customers')}
          </Title>
          {customers.map((c) => (
            <Paper key={c.id} withBorder p="sm" data-testid="search-customer">
              <Anchor
                fw={600}
                renderRoot={(props) => <Link {...props} to="/customers/$customerId" params={{ customerId: c.id }} />}
              >
                {c.name || c.email}
              </Anchor>
              <Text size="sm" c="dimmed">
                {[c.email, c.phone, c.organisation?.name].filter(Boolean).join(' · ')}
              </Text>
            </Paper>
          ))}
        </Stack>
      )}
      {results.hasNextPage && (
        <Center>
          <Button variant="light" loading={results.isFetchingNextPage} onClick={() => void results.fetchNextPage()}>
            {nothingYet ? t('search:searchOlder') : t('common:actions.loadMore')}
          </Button>
        </Center>
      )}
    </Stack>
  );
}
