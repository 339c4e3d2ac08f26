import { AvailabilityMenu } from '../features/routing/availability-menu.tsx';
import { AppShell, Burger, Center, Group, Loader, Menu, NavLink, ScrollArea, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDisclosure, useHotkeys } from '@mantine/hooks';
import { Link, Navigate, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeLocale, type Locale, SUPPORTED_LOCALES } from '../i18n/index.ts';
import { api } from '../lib/api.ts';
import { useSession } from '../lib/session.tsx';
import { InboxNav } from '../features/inbox/inbox-nav.tsx';
import { RealtimeBridge } from '../features/realtime/realtime-bridge.tsx';
import { ChatNavLink } from '../features/chat/chat-nav-link.tsx';
import { ChatOffers } from '../features/chat/chat-offers.tsx';
import { CallbacksNavLink } from '../features/callbacks/callbacks-nav-link.tsx';
import { NotificationBell } from '../features/notifications/notification-bell.tsx';

/** The signed-in shell: header with search, language and user menu; navigation; the page. */
export function AppLayout() {
  const { t, i18n } = useTranslation();
  const { session, isLoading, signOut } = useSession();
  const [opened, { toggle, close }] = useDisclosure();
  const navigate = useNavigate();
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const [q, setQ] = useState('');
  const searchRef = useRef<HTMLInputElement>(null);
  useHotkeys([['/', () => searchRef.current?.focus()]]);

  const setup = useQuery({
    queryKey: ['setup-status'],
    queryFn: () => api.get<{ needsSetup: boolean }>('/setup/status'),
    enabled: !session && !isLoading,
  });

  if (isLoading || (!session && setup.isLoading)) {
    return (
      <Center h="100vh">
        <Loader aria-label={t('common:states.loading')} />
      </Center>
    );
  }
  if (!session) {
    if (setup.data?.needsSetup) return <Navigate to="/setup" />;
    return <Navigate to="/login" search={pathname === '/' ? {} : { next: pathname }} />;
  }

  const onSearch = (e: FormEvent) => {
    e.preventDefault();
    if (q.trim()) void navigate({ to: '/search', search: { q: q.trim() } });
  };
  const canAdmin = ['staff:manage', 'teams:manage', 'categories:manage', 'fields:manage', 'settings:manage'].some((p) =>
    session.permissions.includes(p),
  );

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <RealtimeBridge />
      <ChatOffers />
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('common:nav.openMenu')} />
            <UnstyledButton component={Link} to="/">
              <Text fw={700} size="lg">
                {t('common:appName')}
              </Text>
            </UnstyledButton>
          </Group>
          <form onSubmit={onSearch} style={{ flex: 1, maxWidth: 420 }}>
            <TextInput
              ref={searchRef}
              value={q}
              onChange={(e) => setQ(e.currentTarget.value)}
              placeholder={t('common:nav.searchPlaceholder')}
              aria-label={t('common:nav.search')}
              name="global-search"
            />
          </form>
          <Group wrap="nowrap" gap="xs">
            <NotificationBell />
            <AvailabilityMenu />
            <Menu>
              <Menu.Target>
                <UnstyledButton aria-label={t('common:nav.language')} data-testid="language-menu">
                  <Text size="sm">{t(`common:languages.${i18n.language as Locale}`)}</Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                {SUPPORTED_LOCALES.map((l) => (
                  <Menu.Item
                    key={l}
                    data-testid={`language-${l}`}
                    onClick={() => {
                      changeLocale(l);
                      void api.patch('/me', { locale: l }).catch(() => undefined);
                    }}
                  >
                    {t(`common:languages.${l}`)}
                  </Menu.Item>
                ))}
              </Menu.Dropdown>
            </Menu>
            <Menu>
              <Menu.Target>
                <UnstyledButton data-testid="user-menu">
                  <Text size="sm" fw={500}>
                    {session.user.name}
                  </Text>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Item component={Link} to="/profile">
                  {t('common:nav.profile')}
                </Menu.Item>
                <Menu.Item
                  data-testid="sign-out"
                  onClick={() => {
                    void signOut().then(() => navigate({ to: '/login' }));
                  }}
                >
                  {t('common:nav.signOut')}
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <ScrollArea>
          <InboxNav onNavigate={close} />
          <ChatNavLink onNavigate={close} />
          <CallbacksNavLink onNavigate={close} />
          <NavLink component={Link} to="/search" label={t('common:nav.search')} onClick={close} />
          <NavLink component={Link} to="/kb" label={t('common:nav.kb')} onClick={close} />
          <NavLink component={Link} to="/following-up" label={t('routing:followUp.nav')} onClick={close} data-testid="nav-following-up" />
          <NavLink component={Link} to="/macros" label={t('macros:nav')} onClick={close} data-testid="nav-macros" />
          <NavLink component={Link} to="/improve/action-plans" label={t('improve:nav.actionPlans')} onClick={close} />
          <NavLink component={Link} to="/improve/playbooks" label={t('improve:nav.playbooks')} onClick={close} />
          <NavLink component={Link} to="/improve/practice" label={t('improve:nav.practice')} onClick={close} />
          <NavLink component={Link} to="/recognition" label={t('improve:nav.recognition')} onClick={close} />
          {session.permissions.includes('tickets:read') && <NavLink component={Link} to="/rating-followups" label={t('insights:followups.nav')} onClick={close} data-testid="nav-rating-followups" />}
          <NavLink component={Link} to="/quality" label={session.permissions.includes('quality:review') ? t('quality:nav') : t('quality:navMine')} onClick={close} data-testid="nav-quality" />
          {session.permissions.includes('reports:read') && <NavLink component={Link} to="/insights" label={t('insights:nav')} onClick={close} data-testid="nav-insights" />}
          {session.permissions.includes('settings:manage') && <NavLink component={Link} to="/channels" label={t('channels:nav')} onClick={close} data-testid="nav-channels" />}
          {canAdmin && <NavLink component={Link} to="/admin" label={t('common:nav.admin')} onClick={close} />}
          <NavLink component={Link} to="/profile" label={t('common:nav.profile')} onClick={close} />
        </ScrollArea>
      </AppShell.Navbar>
      <AppShell.Main>
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
