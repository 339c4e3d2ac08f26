import type { ActionPlan } from '@seva/contracts';
import { Badge, Button, Group, Modal, SegmentedControl, Select, Stack, Table, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { ActionPlanDrawer } from './action-plan-drawer.tsx';
import { PLAN_STATUS_COLOURS, useActionPlans, useCategories, useCreateActionPlan } from './improve-api.ts';

export interface ActionPlansSearch {
  /** open the "new action plan" form, prefilled from a hot button */
  new?: string;
  categoryId?: string;
  tag?: string;
  note?: string;
  plan?: string;
}

function NewPlanModal({ prefill, onClose, onCreated }: { prefill: ActionPlansSearch; onClose: () => void; onCreated: (p: ActionPlan) => void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  const create = useCreateActionPlan();
  const [title, setTitle] = useState('');
  const [problem, setProblem] = useState(prefill.note ?? '');
  const [ownerName, setOwnerName] = useState('');
  const [categoryId, setCategoryId] = useState<string | null>(prefill.categoryId ?? null);
  const [tag, setTag] = useState(prefill.tag ?? '');
  const [dueDate, setDueDate] = useState('');
  const [tickets, setTickets] = useState('');
  const problemOf = (field: string) => (create.error instanceof ApiError ? create.error.fieldError(field) : undefined);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      {
        title,
        problem,
        ownerName,
        categoryId,
        tag: tag.trim() || null,
        dueDate: dueDate || null,
        source: { kind: prefill.note ? 'spike' : categoryId ? 'category' : tag ? 'tag' : 'manual', ...(prefill.note ? { note: prefill.note } : {}) },
        tickets: tickets.split(/[\s,]+/).map((x) => x.replace(/^#/, '')).filter(Boolean),
      },
      { onSuccess: onCreated },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('improve:plans.new')} size="lg">
      <form onSubmit={submit}>
        <Stack>
          <TextInput label={t('improve:plans.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} required data-testid="plan-title" error={problemOf('title')} />
          <Textarea label={t('improve:plans.problem')} value={problem} onChange={(e) => setProblem(e.currentTarget.value)} required autosize minRows={3} data-testid="plan-problem" />
          <TextInput
            label={t('improve:plans.owner')}
            description={t('improve:plans.ownerHint')}
            value={ownerName}
            onChange={(e) => setOwnerName(e.currentTarget.value)}
            required
            data-testid="plan-owner"
          />
          <Group grow>
            <Select
              label={t('improve:plans.category')}
              data={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={categoryId}
              onChange={setCategoryId}
              clearable
              searchable
              error={problemOf('categoryId')}
              data-testid="plan-category"
            />
            <TextInput label={t('improve:plans.tag')} value={tag} onChange={(e) => setTag(e.currentTarget.value)} />
          </Group>
          <Group grow>
            <TextInput type="date" label={t('improve:plans.due')} value={dueDate} onChange={(e) => setDueDate(e.currentTarget.value)} />
            <TextInput label={t('improve:plans.linkTickets')} placeholder="1042, 1043" value={tickets} onChange={(e) => setTickets(e.currentTarget.value)} error={problemOf('tickets')} />
          </Group>
          {create.isError && !(create.error instanceof ApiError && create.error.problem.errors) && <Text c="red">{(create.error as Error).message}</Text>}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} data-testid="plan-create">
              {t('common:actions.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

/** Action plans: what the company is fixing because customers complained about it. */
export function ActionPlansPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const search = useSearch({ strict: false }) as ActionPlansSearch;
  const navigate = useNavigate();
  const [filter, setFilter] = useState<'active' | 'all'>('active');
  const plans = useActionPlans(filter === 'active' ? 'open,in_progress,fix_shipped' : undefined);
  const [creating, setCreating] = useState(search.new === '1');
  const openId = search.plan ?? null;
  const open = plans.data?.items.find((p) => p.id === openId) ?? null;
  const setOpen = (id: string | null) => void navigate({ to: '/improve/action-plans', search: id ? { plan: id } : {} });

  return (
    <Stack gap="md" maw={1100}>
      <Group justify="space-between">
        <Title order={2} size="h3">
          {t('improve:plans.heading')}
        </Title>
        {can('improve:manage') && (
          <Button onClick={() => setCreating(true)} data-testid="plan-new">
            {t('improve:plans.new')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        w="fit-content"
        value={filter}
        onChange={(v) => setFilter(v as 'active' | 'all')}
        data={[
          { value: 'active', label: t('improve:plans.active') },
          { value: 'all', label: t('improve:plans.all') },
        ]}
      />
      {plans.data && plans.data.items.length === 0 && <Text c="dimmed">{t('improve:plans.empty')}</Text>}
      {plans.data && plans.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={700}>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('improve:plans.title')}</Table.Th>
                <Table.Th>{t('improve:plans.target')}</Table.Th>
                <Table.Th>{t('improve:plans.owner')}</Table.Th>
                <Table.Th>{t('improve:plans.statusColumn')}</Table.Th>
                <Table.Th>{t('improve:plans.due')}</Table.Th>
                <Table.Th>{t('improve:plans.waiting')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {plans.data.items.map((p) => (
                <Table.Tr key={p.id} onClick={() => setOpen(p.id)} style={{ cursor: 'pointer' }} data-testid={`plan-row-${p.title}`}>
                  <Table.Td>{p.title}</Table.Td>
                  <Table.Td>{[p.category?.name, p.tag ? `#${p.tag}` : null].filter(Boolean).join(' · ')}</Table.Td>
                  <Table.Td>{p.ownerName}</Table.Td>
                  <Table.Td>
                    <Badge color={PLAN_STATUS_COLOURS[p.status]}>{t(`improve:status.${p.status}`)}</Badge>
                  </Table.Td>
                  <Table.Td c={p.overdue ? 'red' : undefined}>{p.dueDate ?? '—'}</Table.Td>
                  <Table.Td>
                    {p.waitingCount} / {p.ticketCount}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {creating && (
        <NewPlanModal
          prefill={search}
          onClose={() => setCreating(false)}
          onCreated={(p) => {
            setCreating(false);
            setOpen(p.id);
          }}
        />
      )}
      {open && <ActionPlanDrawer key={`${open.id}-${open.updatedAt}`} plan={open} onClose={() => setOpen(null)} />}
    </Stack>
  );
}
