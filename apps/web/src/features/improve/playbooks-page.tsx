import type { Playbook } from '@seva/contracts';
import { Anchor, Badge, Button, Card, Group, Modal, SegmentedControl, Select, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { useGeneratePlaybooks, usePlaybooks, useSavePlaybook } from './improve-api.ts';

type Locale = 'en' | 'bn' | 'hi';

function EditPlaybook({ playbook, onClose }: { playbook: Playbook; onClose: () => void }) {
  const { t } = useTranslation();
  const save = useSavePlaybook();
  const [title, setTitle] = useState(playbook.title);
  const [summary, setSummary] = useState(playbook.summary);
  const [steps, setSteps] = useState(playbook.steps.join('\n'));
  const [status, setStatus] = useState<'draft' | 'published'>(playbook.status);
  return (
    <Modal opened onClose={onClose} title={playbook.category.name} size="lg">
      <Stack>
        <TextInput label={t('improve:playbooks.titleField')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} />
        <Textarea label={t('improve:playbooks.summary')} value={summary} onChange={(e) => setSummary(e.currentTarget.value)} autosize minRows={2} />
        <Textarea
          label={t('improve:playbooks.steps')}
          description={t('improve:playbooks.stepsHint')}
          value={steps}
          onChange={(e) => setSteps(e.currentTarget.value)}
          autosize
          minRows={5}
          data-testid="playbook-steps"
        />
        <Select
          label={t('improve:playbooks.status')}
          value={status}
          onChange={(v) => v && setStatus(v as 'draft' | 'published')}
          data={[
            { value: 'draft', label: t('improve:playbooks.draft') },
            { value: 'published', label: t('improve:playbooks.published') },
          ]}
          allowDeselect={false}
          data-testid="playbook-status"
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            loading={save.isPending}
            data-testid="playbook-save"
            onClick={() =>
              save.mutate(
                {
                  categoryId: playbook.category.id,
                  locale: playbook.locale,
                  teamId: playbook.teamId,
                  title,
                  summary,
                  steps: steps.split('\n').map((s) => s.trim()).filter(Boolean),
                  macroId: playbook.macroId,
                  articleIds: playbook.articleIds,
                  status,
                },
                { onSuccess: onClose },
              )
            }
          >
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Playbooks: the agreed way to resolve each common complaint, per language; drafts generated from good replies. */
export function PlaybooksPage() {
  const { t, i18n } = useTranslation();
  const { can } = useSession();
  const [locale, setLocale] = useState<Locale>((['en', 'bn', 'hi'].includes(i18n.language) ? i18n.language : 'en') as Locale);
  const list = usePlaybooks(locale);
  const generate = useGeneratePlaybooks();
  const [editing, setEditing] = useState<Playbook | null>(null);
  return (
    <Stack gap="md" maw={1000}>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('improve:playbooks.heading')}
        </Title>
        <Group>
          <Anchor href={`/api/v1/playbooks/handbook?locale=${locale}`} target="_blank" rel="noopener">
            {t('improve:playbooks.handbook')}
          </Anchor>
          {can('improve:manage') && (
            <Button onClick={() => generate.mutate({ locale, top: 5 })} loading={generate.isPending} data-testid="playbooks-generate">
              {t('improve:playbooks.generate')}
            </Button>
          )}
        </Group>
      </Group>
      <SegmentedControl
        w="fit-content"
        value={locale}
        onChange={(v) => setLocale(v as Locale)}
        data={(['en', 'bn', 'hi'] as const).map((l) => ({ value: l, label: t(`common:languages.${l}`) }))}
      />
      {list.data?.items.length === 0 && <Text c="dimmed">{t('improve:playbooks.empty')}</Text>}
      {list.data?.items.map((p) => (
        <Card key={p.id} withBorder data-testid={`playbook-${p.category.name}`}>
          <Group justify="space-between">
            <Text fw={600}>{p.title}</Text>
            <Group gap="xs">
              <Badge color={p.status === 'published' ? 'green' : 'gray'}>{t(`improve:playbooks.${p.status}`)}</Badge>
              {p.generated && <Badge variant="outline">{t('improve:playbooks.generated')}</Badge>}
              {can('improve:manage') && (
                <Button size="xs" variant="light" onClick={() => setEditing(p)}>
                  {t('common:actions.edit')}
                </Button>
              )}
            </Group>
          </Group>
          {p.summary && (
            <Text size="sm" c="dimmed" mt={4}>
              {p.summary}
            </Text>
          )}
          <ol>
            {p.steps.map((s) => (
              <li key={s}>{s}</li>
            ))}
          </ol>
          {p.examples.map((e) => (
            <Text key={e.messageId} size="sm" style={{ borderLeft: '3px solid var(--mantine-color-violet-5)', paddingLeft: 8, whiteSpace: 'pre-wrap' }} mb={4}>
              {e.excerpt}
            </Text>
          ))}
        </Card>
      ))}
      {editing && <EditPlaybook playbook={editing} onClose={() => setEditing(null)} />}
    </Stack>
  );
}
