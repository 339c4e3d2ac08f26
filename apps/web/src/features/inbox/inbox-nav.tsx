import { ActionIcon, Group, NavLink, Text, Tooltip } from '@mantine/core';
import { IconInbox, IconStar, IconUsers, IconUser, IconUserQuestion, IconUsersGroup, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useRouterState } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '@seva/contracts';
import { api } from '../../lib/api.ts';
import { useSession } from '../../lib/session.tsx';
import { useSavedViews } from '../ticket/desk-config.ts';
import { DEFAULT_VIEW, fromViewFilters, INBOX_VIEWS } from './inbox-filters.ts';

const VIEW_ICON: Record<TicketView, typeof IconInbox> = {
  mine: IconUser,
  unassigned: IconUserQuestion,
  my_teams: IconUsersGroup,
  collaborating: IconUsers,
  all: IconInbox,
};

/** The inbox views in the navigation: the built-in views, then the agent's own and shared saved views. */
export function InboxNav({ onNavigate }: { onNavigate?: () => void }) {
  const { t } = useTranslation();
  const { session } = useSession();
  const navigate = useNavigate();
  const location = useRouterState({ select: (s) => s.location });
  const search = location.search as { view?: string; savedViewId?: string };
  const onInbox = location.pathname === '/';
  const views = useSavedViews();
  const qc = useQueryClient();
  const remove = useMutation({
    mutationFn: (id: string) => api.delete(`/views/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['views'] }),
  });

  const currentView = search.view ?? DEFAULT_VIEW;
  return (
    <nav aria-label={t('inbox:nav.label')} data-testid="inbox-nav">
      <Group justify="space-between" px="sm" pt="xs" pb={4}>
        <Text size="xs" fw={700} c="dimmed" tt="uppercase">
          {t('common:nav.inbox')}
        </Text>
        <Tooltip label={t('inbox:actions.newTicket')}>
          <ActionIcon component={Link} to="/tickets/new" variant="subtle" size="sm" aria-label={t('inbox:actions.newTicket')} onClick={onNavigate}>
            <IconPlus size={16} />
          </ActionIcon>
        </Tooltip>
      </Group>
      {INBOX_VIEWS.map((v) => {
        const Icon = VIEW_ICON[v];
        return (
          <NavLink
            key={v}
            renderRoot={(props) => <Link {...props} to="/" search={{ view: v }} />}
            label={t(`inbox:views.${v}`)}
            leftSection={<Icon size={16} />}
            active={onInbox && !search.savedViewId && currentView === v}
            onClick={onNavigate}
            data-testid={`view-${v}`}
          />
        );
      })}
      {(views.data?.length ?? 0) > 0 && (
        <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" pt="sm" pb={4}>
          {t('inbox:nav.savedViews')}
        </Text>
      )}
      {views.data?.map((view) => (
        <NavLink
          key={view.id}
          label={view.name}
          leftSection={<IconStar size={16} />}
          active={onInbox && search.savedViewId === view.id}
          data-testid="saved-view"
          description={view.isShared ? t('inbox:nav.shared') : undefined}
          onClick={() => {
            onNavigate?.();
            void navigate({ to: '/', search: fromViewFilters(view.filters ?? {}, view.id) });
          }}
          rightSection={
            view.ownerId === undefined || view.ownerId === null || view.ownerId === session?.user.id ? (
              <ActionIcon
                component="span"
                role="button"
                size="xs"
                variant="subtle"
                color="gray"
                aria-label={t('inbox:nav.deleteView', { name: view.name })}
                onClick={(e) => {
                  e.stopPropagation();
                  if (window.confirm(t('inbox:nav.confirmDelete', { name: view.name }))) remove.mutate(view.id);
                }}
              >
                <IconTrash size={12} />
              </ActionIcon>
            ) : undefined
          }
        />
      ))}
    </nav>
  );
}
