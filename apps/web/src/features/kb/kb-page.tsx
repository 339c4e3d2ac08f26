import {
  Alert,
  Anchor,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import type { KbArticleStatus, KbLocale } from '@seva/contracts';
import { KB_ARTICLE_STATUSES, KB_LOCALES } from '@seva/contracts';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { Link, useRouterState } from '@tanstack/react-router';
import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatRelative } from '../../i18n/index.ts';
import { sanitizeSnippet } from '../search/sanitize-snippet.ts';
import { ANNOUNCEMENT_ANCHOR_PREFIX, announcementFromHash } from './announcement-reminder.ts';
import { useAcknowledgeAnnouncement, useKbArticles, useKbSearch, useUnreadAnnouncements } from './kb-api.ts';
import { KbDeflectionReport } from './kb-deflection-report.tsx';
import { STATUS_COLOURS } from './kb-labels.ts';

function Snippet({ html }: { html: string }) {
  // Safe by construction: sanitizeSnippet lets through nothing but text and bare <mark> tags.
  const clean = useMemo(() => sanitizeSnippet(html), [html]);
  return <Text size="sm" c="dimmed" lineClamp={2} dangerouslySetInnerHTML={{ __html: clean }} />;
}

function Announcements() {
  const { t } = useTranslation();
  const unread = useUnreadAnnouncements();
  const ack = useAcknowledgeAnnouncement();
  const items = unread.data?.items ?? [];
  // a reminder (notification or email) links to /kb#announcement-<id>: bring that one into view
  const target = announcementFromHash(useRouterState({ select: (s) => s.location.hash }));
  const found = items.some((a) => a.id === target);
  useEffect(() => {
    if (target && found)
      document.getElementById(`${ANNOUNCEMENT_ANCHOR_PREFIX}${target}`)?.scrollIntoView({ block: 'center' });
  }, [target, found]);
  if (items.length === 0) return null;
  return (
    <Stack gap="xs" data-testid="kb-announcements">
      {items.map((a) => (
        <Alert
          key={a.id}
          id={`${ANNOUNCEMENT_ANCHOR_PREFIX}${a.id}`}
          data-testid="kb-announcement"
          color={a.severity === 'important' ? 'red' : 'blue'}
          title={a.title}
          variant={a.id === target ? 'outline' : 'light'}
        >
          {/* bodyHtml is sanitised on the server with the article allow-list */}
          <div dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
          <Button mt="xs" size="xs" onClick={() => ack.mutate(a.id)} loading={ack.isPending && ack.variables === a.id}>
            {t('kb:announcements.acknowledge')}
          </Button>
        </Alert>
      ))}
    </Stack>
  );
}

/** Knowledge base: unread announcements, search, and the article list by language and status. */
export function KbPage() {
  const { t, i18n } = useTranslation();
  const [input, setInput] = useState('');
  const [q, setQ] = useState('');
  const [locale, setLocale] = useState<KbLocale | undefined>(undefined);
  const [status, setStatus] = useState<KbArticleStatus | undefined>(undefined);
  const articles = useKbArticles({ locale, status });
  const results = useKbSearch(q, locale);

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    setQ(input.trim());
  };

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('kb:title')}
        </Title>
        <Button
          renderRoot={(props) => <Link {...props} to="/kb/$articleId" params={{ articleId: 'new' }} />}
          leftSection={<IconPlus size={16} />}
        >
          {t('kb:newArticle')}
        </Button>
      </Group>
      <Announcements />
      <KbDeflectionReport />
      <form onSubmit={onSearch}>
        <Group gap="xs" wrap="nowrap">
          <TextInput
            style={{ flex: 1 }}
            leftSection={<IconSearch size={16} />}
            value={input}
            onChange={(e) => setInput(e.currentTarget.value)}
            aria-label={t('kb:searchLabel')}
            placeholder={t('kb:searchPlaceholder')}
            maxLength={200}
          />
          <Button type="submit">{t('kb:search')}</Button>
        </Group>
      </form>
      <Group gap="xs">
        <Select
          aria-label={t('kb:filters.language')}
          placeholder={t('kb:filters.allLanguages')}
          clearable
          value={locale ?? null}
          onChange={(v) => setLocale((v as KbLocale | null) ?? undefined)}
          data={KB_LOCALES.map((l) => ({ value: l, label: t(`common:languages.${l}`) }))}
        />
        <Select
          aria-label={t('kb:filters.status')}
          placeholder={t('kb:filters.allStatuses')}
          clearable
          value={status ?? null}
          onChange={(v) => setStatus((v as KbArticleStatus | null) ?? undefined)}
          data={KB_ARTICLE_STATUSES.map((s) => ({ value: s, label: t(`kb:status.${s}`) }))}
        />
      </Group>

      {q && (
        <Paper withBorder p="sm">
          <Text fw={600} mb="xs">
            {t('kb:resultsFor', { q })}
          </Text>
          {results.isLoading && <Loader size="sm" aria-label={t('common:states.loading')} />}
          {results.data && results.data.items.length === 0 && <Text c="dimmed">{t('kb:noResults')}</Text>}
          <Stack gap="xs">
            {results.data?.items.map((hit) => (
              <div key={`${hit.id}-${hit.locale}`}>
                <Group gap="xs">
                  <Anchor
                    renderRoot={(props) => <Link {...props} to="/kb/$articleId" params={{ articleId: hit.id }} />}
                  >
                    {hit.title}
                  </Anchor>
                  <Badge size="xs" variant="light">
                    {t(`common:languages.${hit.locale}`)}
                  </Badge>
                  <Badge size="xs" color={STATUS_COLOURS[hit.status]}>
                    {t(`kb:status.${hit.status}`)}
                  </Badge>
                  <Badge size="xs" variant="outline">
                    {t(`kb:visibility.${hit.visibility}`)}
                  </Badge>
                </Group>
                <Snippet html={hit.snippet} />
              </div>
            ))}
          </Stack>
        </Paper>
      )}

      {articles.isLoading && (
        <Center py="lg">
          <Loader aria-label={t('common:states.loading')} />
        </Center>
      )}
      {articles.isError && <Alert color="red">{t('common:states.error')}</Alert>}
      {articles.data && articles.data.items.length === 0 && <Text c="dimmed">{t('kb:empty')}</Text>}
      {articles.data && articles.data.items.length > 0 && (
        <Table striped highlightOnHover data-testid="kb-articles">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('kb:columns.title')}</Table.Th>
              <Table.Th>{t('kb:columns.translations')}</Table.Th>
              <Table.Th>{t('kb:columns.visibility')}</Table.Th>
              <Table.Th>{t('kb:columns.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {articles.data.items.map((a) => {
              const first = a.translations.find((x) => x.locale === i18n.language) ?? a.translations[0];
              return (
                <Table.Tr key={a.id}>
                  <Table.Td>
                    <Anchor
                      renderRoot={(props) => <Link {...props} to="/kb/$articleId" params={{ articleId: a.id }} />}
                    >
                      {first?.title ?? a.id}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {a.translations.map((x) => (
                        <Badge
                          key={x.locale}
                          size="sm"
                          color={STATUS_COLOURS[x.status]}
                          title={t(`kb:status.${x.status}`)}
                        >
                          {x.locale} · {t(`kb:status.${x.status}`)}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{t(`kb:visibility.${a.visibility}`)}</Table.Td>
                  <Table.Td>{formatRelative(a.updatedAt, i18n.language)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}
