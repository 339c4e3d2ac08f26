import type { KbArticle, KbArticleStatus, KbBodyFormat, KbLocale, KbVisibility } from '@seva/contracts';
import { KB_LOCALES, KB_VISIBILITIES } from '@seva/contracts';
import { Alert, Anchor, Badge, Button, Center, Group, Loader, Paper, SegmentedControl, Select, Stack, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { Link, RichTextEditor } from '@mantine/tiptap';
import { useNavigate, useParams } from '@tanstack/react-router';
import { useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { useCreateKbArticle, useKbArticle, useKbVersions, useRestoreKbVersion, useSaveKbTranslation, useUpdateKbArticle } from './kb-api.ts';
import { allowedStatuses, STATUS_COLOURS } from './kb-labels.ts';

type EditorMode = 'rich' | 'markdown';

interface TranslationEditorProps {
  article: KbArticle | null;
  locale: KbLocale;
  isEditor: boolean;
  onCreated: (id: string) => void;
}

/** One translation: title, status, body (rich text → HTML, or Markdown source), save, version history. */
function TranslationEditor({ article, locale, isEditor, onCreated }: TranslationEditorProps) {
  const { t, i18n } = useTranslation();
  const current = article?.translations.find((x) => x.locale === locale) ?? null;
  const [title, setTitle] = useState(current?.title ?? '');
  const [status, setStatus] = useState<KbArticleStatus>(current?.status ?? 'draft');
  const [mode, setMode] = useState<EditorMode>(current?.sourceFormat === 'markdown' ? 'markdown' : 'rich');
  const [markdown, setMarkdown] = useState(current?.sourceFormat === 'markdown' ? current.bodySource : '');
  const [visibility, setVisibility] = useState<KbVisibility>(article?.visibility ?? 'public');
  const [error, setError] = useState<string | null>(null);
  const [showVersions, setShowVersions] = useState(false);
  const create = useCreateKbArticle();
  const save = useSaveKbTranslation(article?.id ?? '');
  const restore = useRestoreKbVersion(article?.id ?? '');
  const versions = useKbVersions(article?.id ?? null, locale, showVersions && current !== null);

  const editor = useEditor({
    extensions: [StarterKit.configure({ link: false }), Link.configure({ openOnClick: false, autolink: true })],
    content: current?.bodyHtml ?? '',
    immediatelyRender: true,
    shouldRerenderOnTransaction: true,
    editorProps: { attributes: { 'aria-label': t('kb:editor.body'), 'data-testid': 'kb-body-editor' } },
  });

  useEffect(() => {
    if (!current) return;
    setTitle(current.title);
    setStatus(current.status);
    editor?.commands.setContent(current.bodyHtml);
    if (current.sourceFormat === 'markdown') setMarkdown(current.bodySource);
  }, [current?.version, current, editor]);

  const labels = useMemo(
    () => ({
      boldControlLabel: t('kb:editor.bold'),
      italicControlLabel: t('kb:editor.italic'),
      codeControlLabel: t('kb:editor.code'),
      codeBlockControlLabel: t('kb:editor.codeBlock'),
      h2ControlLabel: t('kb:editor.heading'),
      h3ControlLabel: t('kb:editor.subheading'),
      bulletListControlLabel: t('kb:editor.bulletList'),
      orderedListControlLabel: t('kb:editor.orderedList'),
      blockquoteControlLabel: t('kb:editor.quote'),
      linkControlLabel: t('kb:editor.link'),
      unlinkControlLabel: t('kb:editor.unlink'),
      linkEditorInputLabel: t('kb:editor.linkUrl'),
      linkEditorInputPlaceholder: 'https://…',
      linkEditorSave: t('common:actions.save'),
    }),
    [t],
  );

  const body = (): { body: string; format: KbBodyFormat } =>
    mode === 'markdown' ? { body: markdown, format: 'markdown' } : { body: editor?.getHTML() ?? '', format: 'html' };

  const onSave = async () => {
    setError(null);
    try {
      if (!article) {
        const created = await create.mutateAsync({ title, ...body(), locale, status, visibility, tags: [], position: 0 });
        onCreated(created.id);
      } else {
        await save.mutateAsync({ locale, body: { title, ...body(), status, baseVersion: current?.version } });
      }
      notifications.show({ message: t('common:states.saved') });
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) setError(t('kb:errors.conflict'));
      else if (err instanceof ApiError && err.status === 403) setError(t('kb:errors.needsEditor'));
      else setError(err instanceof ApiError ? err.message : t('common:states.error'));
    }
  };

  const publicUrl = article && current && current.status === 'published' && article.visibility === 'public' ? `/help/${locale}/articles/${article.id}/${encodeURIComponent(current.slug)}` : null;

  return (
    <Stack gap="sm" pt="sm">
      <Group gap="xs">
        {current ? (
          <>
            <Badge color={STATUS_COLOURS[current.status]}>{t(`kb:status.${current.status}`)}</Badge>
            <Text size="sm" c="dimmed">
              {t('kb:editor.version', { version: current.version })}
            </Text>
            {publicUrl && (
              <Anchor href={publicUrl} target="_blank" rel="noopener" size="sm">
                {t('kb:editor.viewPublic')}
              </Anchor>
            )}
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('kb:editor.newTranslation')}
          </Text>
        )}
      </Group>
      <TextInput label={t('kb:editor.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required maxLength={300} lang={locale} />
      <Group gap="sm" align="end">
        <Select
          label={t('kb:editor.status')}
          value={status}
          onChange={(v) => v && setStatus(v as KbArticleStatus)}
          data={allowedStatuses(isEditor).map((s) => ({ value: s, label: t(`kb:status.${s}`) }))}
          allowDeselect={false}
        />
        {!article && (
          <Select
            label={t('kb:editor.visibility')}
            value={visibility}
            onChange={(v) => v && setVisibility(v as KbVisibility)}
            data={KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb:visibility.${v}`) }))}
            allowDeselect={false}
          />
        )}
        <SegmentedControl
          value={mode}
          onChange={(v) => setMode(v as EditorMode)}
          data={[
            { value: 'rich', label: t('kb:editor.richText') },
            { value: 'markdown', label: t('kb:editor.markdown') },
          ]}
        />
      </Group>
      {mode === 'rich' ? (
        <RichTextEditor editor={editor} labels={labels}>
          <RichTextEditor.Toolbar>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.H2 />
              <RichTextEditor.H3 />
              <RichTextEditor.Bold />
              <RichTextEditor.Italic />
              <RichTextEditor.Code />
            </RichTextEditor.ControlsGroup>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.BulletList />
              <RichTextEditor.OrderedList />
              <RichTextEditor.Blockquote />
              <RichTextEditor.CodeBlock />
            </RichTextEditor.ControlsGroup>
            <RichTextEditor.ControlsGroup>
              <RichTextEditor.Link />
              <RichTextEditor.Unlink />
            </RichTextEditor.ControlsGroup>
          </RichTextEditor.Toolbar>
          <RichTextEditor.Content mih={240} lang={locale} />
        </RichTextEditor>
      ) : (
        <Textarea
          label={t('kb:editor.markdownLabel')}
          description={t('kb:editor.markdownHint')}
          value={markdown}
          onChange={(e) => setMarkdown(e.currentTarget.value)}
          autosize
          minRows={12}
          lang={locale}
          styles={{ input: { fontFamily: 'monospace' } }}
        />
      )}
      {error && (
        <Alert color="red" role="alert">
          {error}
        </Alert>
      )}
      <Group>
        <Button onClick={() => void onSave()} loading={create.isPending || save.isPending} disabled={title.trim() === ''} data-testid="kb-save">
          {t('common:actions.save')}
        </Button>
        {current && (
          <Button variant="subtle" onClick={() => setShowVersions((s) => !s)}>
            {t('kb:editor.history')}
          </Button>
        )}
      </Group>
      {showVersions && (
        <Paper withBorder p="sm">
          {versions.isLoading && <Loader size="sm" aria-label={t('common:states.loading')} />}
          <Stack gap={6}>
            {versions.data?.items.map((v) => (
              <Group key={v.version} justify="space-between">
                <Text size="sm">
                  {t('kb:editor.version', { version: v.version })} · {v.title} · {v.createdBy?.name ?? '—'} · {formatDateTime(v.createdAt, i18n.language)}
                  {v.restoredFrom !== null ? ` · ${t('kb:editor.restoredFrom', { version: v.restoredFrom })}` : ''}
                </Text>
                {v.version !== current?.version && (
                  <Button size="xs" variant="light" loading={restore.isPending} onClick={() => restore.mutate({ locale, version: v.version })}>
                    {t('kb:editor.restore')}
                  </Button>
                )}
              </Group>
            ))}
          </Stack>
        </Paper>
      )}
    </Stack>
  );
}

/** Create or edit one article: a tab per language, and (for editors) who may see it. */
export function KbArticlePage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const isEditor = can('categories:manage');
  const { articleId } = useParams({ strict: false }) as { articleId: string };
  const navigate = useNavigate();
  const isNew = articleId === 'new';
  const article = useKbArticle(isNew ? null : articleId);
  const update = useUpdateKbArticle(isNew ? '' : articleId);
  const [tab, setTab] = useState<KbLocale>('en');

  if (!isNew && article.isLoading) {
    return (
      <Center py="lg">
        <Loader aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (!isNew && article.isError) return <Alert color="red">{t('common:states.notFound')}</Alert>;
  const data = isNew ? null : (article.data ?? null);

  return (
    <Stack gap="md" maw={1000}>
      <Title order={2} size="h3">
        {isNew ? t('kb:newArticle') : (data?.translations[0]?.title ?? t('kb:title'))}
      </Title>
      {data && isEditor && (
        <Select
          w={260}
          label={t('kb:editor.visibility')}
          value={data.visibility}
          onChange={(v) => v && update.mutate({ visibility: v as KbVisibility })}
          data={KB_VISIBILITIES.map((v) => ({ value: v, label: t(`kb:visibility.${v}`) }))}
          allowDeselect={false}
        />
      )}
      <Tabs value={tab} onChange={(v) => v && setTab(v as KbLocale)}>
        <Tabs.List>
          {KB_LOCALES.map((l) => {
            const tr = data?.translations.find((x) => x.locale === l);
            return (
              <Tabs.Tab key={l} value={l} disabled={isNew && l !== tab} rightSection={tr ? <Badge size="xs" color={STATUS_COLOURS[tr.status]}>{t(`kb:status.${tr.status}`)}</Badge> : null}>
                {t(`common:languages.${l}`)}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {KB_LOCALES.map((l) => (
          <Tabs.Panel key={l} value={l}>
            {tab === l && (
              <TranslationEditor
                key={`${data?.id ?? 'new'}-${l}`}
                article={data}
                locale={l}
                isEditor={isEditor}
                onCreated={(id) => void navigate({ to: '/kb/$articleId', params: { articleId: id } })}
              />
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
