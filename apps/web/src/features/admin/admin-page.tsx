import { Alert, Stack, Tabs, Title } from '@mantine/core';
import { IconAdjustments, IconCategory, IconClockHour4, IconForms, IconKey, IconMail, IconRobot, IconRoute, IconUsers, IconUsersGroup, IconWebhook, IconMessageChatbot } from '@tabler/icons-react';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../lib/session.tsx';
import { RulesTab } from '../desk-rules/rules-tab.tsx';
import { MailboxesTab } from '../email-admin/mailboxes-tab.tsx';
import { RoutingTab } from '../routing/routing-tab.tsx';
import { SlaTab } from '../desk-rules/sla-tab.tsx';
import { WebhooksTab } from '../desk-rules/webhooks-tab.tsx';
import { ApiTokensPanel } from '../profile/api-tokens-panel.tsx';
import { type AdminTabId, activeAdminTab, visibleAdminTabs } from './admin-tabs.ts';
import { CategoriesTab } from './categories-tab.tsx';
import { CustomFieldsTab } from './custom-fields-tab.tsx';
import { SettingsTab } from './settings-tab.tsx';
import { StaffTab } from './staff-tab.tsx';
import { TeamsTab } from './teams-tab.tsx';
import { WidgetsTab } from '../widgets-admin/widgets-tab.tsx';

const ICONS: Record<AdminTabId, typeof IconUsers> = {
  staff: IconUsers,
  teams: IconUsersGroup,
  routing: IconRoute,
  categories: IconCategory,
  fields: IconForms,
  tokens: IconKey,
  settings: IconAdjustments,
  mailboxes: IconMail,
  sla: IconClockHour4,
  rules: IconRobot,
  webhooks: IconWebhook,
  widgets: IconMessageChatbot,
};

function TabBody({ tab }: { tab: AdminTabId }) {
  switch (tab) {
    case 'staff':
      return <StaffTab />;
    case 'teams':
      return <TeamsTab />;
    case 'routing':
      return <RoutingTab />;
    case 'categories':
      return <CategoriesTab />;
    case 'fields':
      return <CustomFieldsTab />;
    case 'tokens':
      return <ApiTokensPanel all />;
    case 'settings':
      return <SettingsTab />;
    case 'mailboxes':
      return <MailboxesTab />;
    case 'sla':
      return <SlaTab />;
    case 'rules':
      return <RulesTab />;
    case 'webhooks':
      return <WebhooksTab />;
    case 'widgets':
      return <WidgetsTab />;
  }
}

/** Admin: one tab per area, only those the signed-in person may manage; the open tab is in the URL (?tab=). */
export function AdminPage() {
  const { t } = useTranslation();
  const { can } = useSession();
  const search = useSearch({ from: '/app/admin' });
  const navigate = useNavigate({ from: '/admin' });
  const visible = visibleAdminTabs(can);
  const active = activeAdminTab(search.tab, visible);

  if (!active) return <Alert color="yellow">{t('common:states.forbidden')}</Alert>;

  return (
    <Stack gap="md">
      <Title order={1} size="h2">
        {t('admin:title')}
      </Title>
      <Tabs value={active} onChange={(v) => v && void navigate({ search: { tab: v } })} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'nowrap', overflowX: 'auto', overflowY: 'hidden' }}>
          {visible.map((id) => {
            const Icon = ICONS[id];
            return (
              <Tabs.Tab key={id} value={id} leftSection={<Icon size={16} />} data-testid={`admin-tab-${id}`}>
                {t(`admin:tabs.${id}`)}
              </Tabs.Tab>
            );
          })}
        </Tabs.List>
        {visible.map((id) => (
          <Tabs.Panel key={id} value={id} pt="md">
            {id === active && <TabBody tab={id} />}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
