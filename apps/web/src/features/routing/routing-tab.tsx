import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Group,
  Modal,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import type { StaffRouting } from '@seva/contracts';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import { adminApi, adminKeys } from '../admin/admin-api.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { RotaSection } from './rota-section.tsx';
import { routingApi, routingKeys } from './routing-api.ts';
import { RoutingRuleModal } from './routing-rule-modal.tsx';

const STRATEGIES = ['manual', 'round_robin', 'least_loaded', 'skills'] as const;

/** Admin → Routing: each team's strategy, people's skills/languages/capacity, routing rules, time off and duty shifts, fairness and follow-ups. */
export function RoutingTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const strategies = useQuery({ queryKey: routingKeys.teams, queryFn: routingApi.teamStrategies });
  const staff = useQuery({ queryKey: routingKeys.staff, queryFn: routingApi.staff });
  const rules = useQuery({ queryKey: routingKeys.rules, queryFn: routingApi.rules });
  const [person, setPerson] = useState<StaffRouting | null>(null);
  type Rule = NonNullable<typeof rules.data>[number];
  const [ruleOpen, setRuleOpen] = useState<{ rule: Rule | null } | null>(null);
  const onError = (err: unknown) =>
    notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  const setStrategy = useMutation({
    mutationFn: ({ id, s }: { id: string; s: string }) => routingApi.setStrategy(id, s),
    onSuccess: () => void qc.invalidateQueries({ queryKey: routingKeys.teams }),
    onError,
  });
  const removeRule = useMutation({
    mutationFn: routingApi.deleteRule,
    onSuccess: () => void qc.invalidateQueries({ queryKey: routingKeys.rules }),
    onError,
  });
  const teamName = (id: string | undefined) => (teams.data ?? []).find((x) => x.id === id)?.name ?? '—';
  const today = new Date().toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 8)}01`;
  const assignments = useQuery({
    queryKey: routingKeys.report('assignments', monthStart, today),
    queryFn: () => routingApi.assignmentReport(monthStart, today),
  });
  const transfers = useQuery({
    queryKey: routingKeys.report('transfers', monthStart, today),
    queryFn: () => routingApi.transferReport(monthStart, today),
  });
  const perPerson = new Map<string, number>();
  for (const r of assignments.data?.rows ?? []) perPerson.set(r.name, (perPerson.get(r.name) ?? 0) + r.assigned);

  return (
    <Stack gap="lg" data-testid="routing-admin">
      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('routing:admin.teams')}
        </Title>
        <Text size="sm" c="dimmed">
          {t('routing:admin.teamsHelp')}
        </Text>
        <SimpleGrid cols={{ base: 1, md: 3 }}>
          {(teams.data ?? []).map((tm) => (
            <Card key={tm.id} withBorder padding="sm">
              <Text fw={600}>{tm.name}</Text>
              <Select
                aria-label={t('routing:admin.strategy')}
                data={STRATEGIES.map((s) => ({ value: s, label: t(`routing:strategy.${s}`) }))}
                value={strategies.data?.[tm.id] ?? 'manual'}
                onChange={(v) => v && setStrategy.mutate({ id: tm.id, s: v })}
                allowDeselect={false}
                data-testid={`strategy-${tm.name}`}
              />
            </Card>
          ))}
        </SimpleGrid>
      </Stack>

      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('routing:admin.people')}
        </Title>
        <Table.ScrollContainer minWidth={700}>
          <Table>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('routing:admin.person')}</Table.Th>
                <Table.Th>{t('routing:admin.skills')}</Table.Th>
                <Table.Th>{t('routing:admin.languages')}</Table.Th>
                <Table.Th>{t('routing:admin.load')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(staff.data ?? []).map((p) => (
                <Table.Tr key={p.userId} data-testid={`routing-person-${p.name}`}>
                  <Table.Td>
                    <Group gap={6}>
                      <Text size="sm">{p.name}</Text>
                      <Badge
                        size="xs"
                        variant="light"
                        color={p.status === 'online' ? 'teal' : p.status === 'away' ? 'orange' : 'gray'}
                      >
                        {t(`routing:availability.${p.status}`)}
                      </Badge>
                      {!p.routable && (
                        <Badge size="xs" variant="outline">
                          {t('routing:admin.rotaOnly')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{p.skills.map((s) => `${s.skill} ${s.level}`).join(', ') || '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">{p.languages.map((l) => `${l.language} ${l.level}`).join(', ') || '—'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs">
                      {formatNumber(p.openTickets, i18n.language)} / {formatNumber(p.maxOpenTickets, i18n.language)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <ActionIcon variant="subtle" aria-label={t('common:actions.edit')} onClick={() => setPerson(p)}>
                      <IconPencil size={16} />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Stack>

      <Stack gap="xs">
        <Group justify="space-between">
          <div>
            <Title order={2} size="h4">
              {t('routing:admin.rules')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('routing:admin.rulesHelp')}
            </Text>
          </div>
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={() => setRuleOpen({ rule: null })}
            data-testid="routing-rule-create"
          >
            {t('routing:admin.newRule')}
          </Button>
        </Group>
        {(rules.data ?? []).map((r) => (
          <Card key={r.id} withBorder padding="xs" data-testid={`routing-rule-${r.name}`}>
            <Group justify="space-between" wrap="nowrap">
              <div>
                <Text size="sm" fw={500}>
                  {r.name}
                </Text>
                <Text size="xs" c="dimmed" data-testid="routing-rule-summary">
                  {[
                    r.keywords.join(', '),
                    ...[...(r.conditions.all ?? []), ...(r.conditions.any ?? [])].map(
                      (c) => `${t(`desk-rules:rules.fields.${c.field}`)}${c.key ? ` “${c.key}”` : ''}`,
                    ),
                    (r.mailboxIds ?? []).length
                      ? t('routing:rule.mailboxCount', { count: (r.mailboxIds ?? []).length })
                      : '',
                    (r.widgetIds ?? []).length
                      ? t('routing:rule.widgetCount', { count: (r.widgetIds ?? []).length })
                      : '',
                  ]
                    .filter(Boolean)
                    .join(' · ') || t('routing:rule.everyTicket')}{' '}
                  → {teamName(r.actions.teamId)}
                  {r.actions.skills?.length ? ` · ${r.actions.skills.join(', ')}` : ''}
                  {r.actions.priority ? ` · ${t(`ticket:priority.${r.actions.priority}`)}` : ''}
                  {r.actions.addTags?.length ? ` · #${r.actions.addTags.join(' #')}` : ''}
                </Text>
              </div>
              <Group gap={4} wrap="nowrap">
                {r.active === false && (
                  <Badge size="xs" variant="outline" color="gray">
                    {t('routing:rule.inactive')}
                  </Badge>
                )}
                <ActionIcon
                  variant="subtle"
                  aria-label={t('common:actions.edit')}
                  onClick={() => setRuleOpen({ rule: r })}
                  data-testid="routing-rule-edit"
                >
                  <IconPencil size={16} />
                </ActionIcon>
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('common:actions.delete')}
                  onClick={() => removeRule.mutate(r.id)}
                >
                  <IconTrash size={16} />
                </ActionIcon>
              </Group>
            </Group>
          </Card>
        ))}
      </Stack>

      <Stack gap="xs">
        <Title order={2} size="h4">
          {t('routing:rota.title')}
        </Title>
        <RotaSection
          people={(staff.data ?? []).map((p) => ({ value: p.userId, label: p.name }))}
          teams={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
        />
      </Stack>

      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            {t('routing:admin.fairness')}
          </Title>
          {[...perPerson.entries()].map(([name, n]) => (
            <Group key={name} justify="space-between">
              <Text size="sm">{name}</Text>
              <Text size="sm">{formatNumber(n, i18n.language)}</Text>
            </Group>
          ))}
          {perPerson.size === 0 && <Text c="dimmed">{t('routing:admin.noData')}</Text>}
        </Card>
        <Card withBorder>
          <Title order={3} size="h5" mb="xs">
            {t('routing:admin.followUps')}
          </Title>
          {(transfers.data?.rows ?? []).map((r) => (
            <Group key={r.userId} justify="space-between">
              <Text size="sm">{r.name}</Text>
              <Text size="xs">
                {t('routing:admin.followUpLine', {
                  transfers: r.transfers,
                  kept: r.followupsKept,
                  missed: r.followupsMissed,
                })}
              </Text>
            </Group>
          ))}
          {(transfers.data?.rows.length ?? 0) === 0 && <Text c="dimmed">{t('routing:admin.noData')}</Text>}
        </Card>
      </SimpleGrid>
      {person && <PersonModal person={person} onClose={() => setPerson(null)} />}
      {ruleOpen && (
        <RoutingRuleModal
          rule={ruleOpen.rule}
          teams={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
          onClose={() => setRuleOpen(null)}
        />
      )}
    </Stack>
  );
}

function PersonModal({ person, onClose }: { person: StaffRouting; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [skills, setSkills] = useState<string[]>(person.skills.map((s) => `${s.skill}:${s.level}`));
  const [languages, setLanguages] = useState<string[]>(person.languages.map((l) => `${l.language}:${l.level}`));
  const [max, setMax] = useState<number>(person.maxOpenTickets);
  const [routable, setRoutable] = useState(person.routable);
  const parse = (items: string[]) =>
    items.map((x) => {
      const [name, lvl] = x.split(':');
      return { name: (name ?? '').trim().toLowerCase(), level: Math.min(5, Math.max(1, Number(lvl) || 3)) };
    });
  const save = useMutation({
    mutationFn: () =>
      routingApi.updateStaff(person.userId, {
        skills: parse(skills).map((s) => ({ skill: s.name, level: s.level })),
        languages: parse(languages).map((s) => ({ language: s.name, level: s.level })),
        maxOpenTickets: max,
        routable,
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: routingKeys.staff });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} centered title={person.name}>
      <Stack gap="sm">
        <TagsInput
          label={t('routing:admin.skills')}
          description={t('routing:admin.levelHelp')}
          value={skills}
          onChange={setSkills}
          data-testid="person-skills"
        />
        <TagsInput
          label={t('routing:admin.languages')}
          description={t('routing:admin.levelHelp')}
          value={languages}
          onChange={setLanguages}
          data-testid="person-languages"
        />
        <NumberInput
          label={t('routing:admin.capacity')}
          value={max}
          onChange={(v) => setMax(Number(v) || 0)}
          min={0}
          max={1000}
        />
        <Switch
          label={t('routing:admin.routable')}
          checked={routable}
          onChange={(e) => setRoutable(e.currentTarget.checked)}
        />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} loading={save.isPending} data-testid="person-save">
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
