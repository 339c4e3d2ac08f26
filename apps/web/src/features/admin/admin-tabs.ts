/** The admin tabs and the permission each needs; a tab is shown only to someone who holds it. */
export const ADMIN_TABS = [
  { id: 'staff', permission: 'staff:manage' },
  { id: 'teams', permission: 'teams:manage' },
  { id: 'routing', permission: 'teams:manage' },
  { id: 'categories', permission: 'categories:manage' },
  { id: 'fields', permission: 'fields:manage' },
  { id: 'tokens', permission: 'tokens:manage' },
  { id: 'settings', permission: 'settings:manage' },
  { id: 'mailboxes', permission: 'settings:manage' },
  { id: 'sla', permission: 'settings:manage' },
  { id: 'rules', permission: 'settings:manage' },
  { id: 'webhooks', permission: 'settings:manage' },
  { id: 'widgets', permission: 'settings:manage' },
] as const;

export type AdminTabId = (typeof ADMIN_TABS)[number]['id'];

export function visibleAdminTabs(can: (permission: string) => boolean): AdminTabId[] {
  return ADMIN_TABS.filter((tab) => can(tab.permission)).map((tab) => tab.id);
}

/** The tab to open: the one asked for if allowed, else the first allowed one, else none. */
export function activeAdminTab(requested: string | undefined, visible: readonly AdminTabId[]): AdminTabId | null {
  if (requested && (visible as readonly string[]).includes(requested)) return requested as AdminTabId;
  return visible[0] ?? null;
}
