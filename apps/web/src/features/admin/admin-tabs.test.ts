import { describe, expect, it } from 'vitest';
import { activeAdminTab, visibleAdminTabs } from './admin-tabs.ts';

const holder = (perms: string[]) => (p: string) => perms.includes(p);

describe('admin tabs', () => {
  it('shows an admin every tab', () => {
    const all = [
      'staff:manage',
      'teams:manage',
      'categories:manage',
      'fields:manage',
      'tokens:manage',
      'settings:manage',
    ];
    expect(visibleAdminTabs(holder(all))).toEqual(['staff', 'teams', 'routing', 'categories', 'fields', 'tokens', 'settings', 'mailboxes', 'sla', 'rules', 'webhooks', 'widgets']);
  });

  it('shows a supervisor only teams and categories', () => {
    expect(visibleAdminTabs(holder(['teams:manage', 'categories:manage', 'tickets:read']))).toEqual([
      'teams',
      'routing',
      'categories',
    ]);
  });

  it('never opens a tab the person may not see, even when the URL asks for it', () => {
    expect(activeAdminTab('staff', ['teams', 'categories'])).toBe('teams');
    expect(activeAdminTab('categories', ['teams', 'categories'])).toBe('categories');
    expect(activeAdminTab(undefined, [])).toBeNull();
  });
});
