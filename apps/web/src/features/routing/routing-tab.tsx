import type { StaffRouting } from '@seva/contracts';
import { ActionIcon, Badge, Button, Card, Group, Modal, MultiSelect, NumberInput, Select, SimpleGrid, Stack, Switch, Table, TagsInput, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/index.ts';
import { adminApi, adminKeys } from '../admin/admin-api.ts';
import { errorMessage } from '../auth/auth-errors.ts';
import { routingApi, routingKeys } from './routing-api.ts';

const STRATEGIES = ['manual', 'round_robin', 'least_loaded', 'skills'] as const;

/** Admin → Routing: each team's strategy, people's skills/languages/capacity, routing rules, fairness and follow-ups. */
export function RoutingTab() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const teams = useQuery({ queryKey: adminKeys.teams, queryFn: adminApi.listTeams });
  const strategies = useQuery({ queryKey: routingKeys.teams, queryFn: routingApi.teamStrategies });
  const staff = useQuery({ queryKey: routingKeys.staff, queryFn: routingApi.staff });
  const rules = useQuery({ queryKey: routingKeys.rules, queryFn: routingApi.rules });
  const [person, setPerson] = useState<StaffRouting | null>(null);
  const [ruleOpen, setRuleOpen] = useState(false);
  const onError = (err: unknown) => notifications.show({ color: 'red', title: t('admin:common.notSaved'), message: errorMessage(t, err) });
  const setStrategy = useMutation({
    mutationFn: ({ id, s }: { id: string; s: string }) => routingApi.setStrategy(id, s),
    onSuccess: () => void qc.invalidateQueries({ queryKey: routingKeys.teams }),
    onError,
  });
  const removeRule = useMutation({ mutationFn: routingApi.deleteRule, onSuccess: () => void qc.invalidateQueries({ queryKey: routingKeys.rules }), onError });
  const teamName = (id: string | undefined) => (teams.data ?? []).find((x) => x.id === id)?.name ?? '—';
  const today = new Date().toISOString().slice(0, 10);
  const monthStart = `${today.slice(0, 8)}01`;
  const assignments = useQuery({ queryKey: routingKeys.report('assignments', monthStart, today), queryFn: () => routingApi.assignmentReport(monthStart, today) });
  const transfers = useQuery({ queryKey: routingKeys.report('transfers', monthStart, today), queryFn: () => routingApi.transferReport(monthStart, today) });
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
                      <Badge size="xs" variant="light" color={p.status === 'online' ? 'teal' : p.status === 'away' ? 'orange' : 'gray'}>
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
          <Button leftSection={<IconPlus size={16} />} onClick={() => setRuleOpen(true)} data-testid="routing-rule-create">
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
                <Text size="xs" c="dimmed">
                  {r.keywords.join(', ')} → {teamName(r.actions.teamId)}
                  {r.actions.skills?.length ? ` · ${r.actions.skills.join(', ')}` : ''}
                </Text>
              </div>
              <ActionIcon variant="subtle" color="red" aria-label={t('common:actions.delete')} onClick={() => removeRule.mutate(r.id)}>
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          </Card>
        ))}
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
              <Text size="xs">{t('routing:admin.followUpLine', { transfers: r.transfers, kept: r.followupsKept, missed: r.followupsMissed })}</Text>
            </Group>
          ))}
          {(transfers.data?.rows.length ?? 0) === 0 && <Text c="dimmed">{t('routing:admin.noData')}</Text>}
        </Card>
      </SimpleGrid>
      {person && <PersonModal person={person} onClose={() => setPerson(null)} />}
      {ruleOpen && <RuleModal teams={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))} onClose={() => setRuleOpen(false)} />}
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
        <TagsInput label={t('routing:admin.skills')} description={t('routing:admin.levelHelp')} value={skills} onChange={setSkills} data-testid="person-skills" />
        <TagsInput label={t('routing:admin.languages')} description={t('routing:admin.levelHelp')} value={languages} onChange={setLanguages} data-testid="person-languages" />
        <NumberInput label={t('routing:admin.capacity')} value={max} onChange={(v) => setMax(Number(v) || 0)} min={0} max={1000} />
        <Switch label={t('routing:admin.routable')} checked={routable} onChange={(e) => setRoutable(e.currentTarget.checked)} />
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

function RuleModal({ teams, onClose }: { teams: Array<{ value: string; label: string }>; onClose: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [name, setName] = useState('');
  const [keywords, setKeywords] = useState<string[]>([]);
  const [teamId, setTeamId] = useState<string | null>(null);
  const [skills, setSkills] = useState<string[]>([]);
  const [languages, setLanguages] = useState<string[]>([]);
  const save = useMutation({
    mutationFn: () =>
      routingApi.saveRule(null, {
        name: name.trim(),
        keywords,
        conditions: { all: languages.length ? [{ field: 'language', op: 'in', value: languages }] : [], any: [] },
        actions: { ...(teamId ? { teamId } : {}), ...(skills.length ? { skills } : {}) },
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: routingKeys.rules });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} centered title={t('routing:admin.newRule')}>
      <Stack gap="sm">
        {save.error && <Text c="red">{errorMessage(t, save.error)}</Text>}
        <TextInput label={t('routing:admin.ruleName')} value={name} onChange={(e) => setName(e.currentTarget.value)} data-testid="routing-rule-name" />
        <TagsInput label={t('routing:admin.keywords')} description={t('routing:admin.keywordsHelp')} value={keywords} onChange={setKeywords} />
        <MultiSelect label={t('routing:admin.onlyLanguages')} data={['en', 'bn', 'hi'].map((l) => ({ value: l, label: t(`common:languages.${l}`) }))} value={languages} onChange={setLanguages} clearable />
        <Select label={t('routing:admin.setTeam')} data={teams} value={teamId} onChange={setTeamId} clearable />
        <TagsInput label={t('routing:admin.needSkills')} value={skills} onChange={setSkills} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button onClick={() => save.mutate()} disabled={!name.trim() || (!teamId && skills.length === 0)} loading={save.isPending} data-testid="routing-rule-save">
            {t('common:actions.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
