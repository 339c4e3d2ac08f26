import { describe, expect, it } from 'vitest';
import { canSeeTicket, hasPermission, PERMISSIONS, type StaffActor } from './permissions.ts';

const actor = (role: StaffActor['role'], extra: Partial<StaffActor> = {}): StaffActor => ({
  kind: 'staff',
  userId: 'u1',
  role,
  name: 'N',
  email: 'n@example.com',
  locale: 'en',
  via: 'session',
  ...extra,
});

describe('permission policy', () => {
  it('gives admins every permission', () => {
    for (const p of PERMISSIONS) expect(hasPermission(actor('admin'), p)).toBe(true);
  });

  it('keeps staff management and settings for admins only', () => {
    for (const role of ['supervisor', 'agent', 'collaborator'] as const) {
      expect(hasPermission(actor(role), 'staff:manage')).toBe(false);
      expect(hasPermission(actor(role), 'settings:manage')).toBe(false);
    }
  });

  it('lets only supervisors and admins approve collaborator replies', () => {
    expect(hasPermission(actor('supervisor'), 'messages:approve')).toBe(true);
    expect(hasPermission(actor('agent'), 'messages:approve')).toBe(false);
    expect(hasPermission(actor('collaborator'), 'messages:approve')).toBe(false);
  });

  it('does not let collaborators create, reassign or merge tickets', () => {
    const c = actor('collaborator');
    expect(hasPermission(c, 'tickets:create')).toBe(false);
    expect(hasPermission(c, 'tickets:assign')).toBe(false);
    expect(hasPermission(c, 'tickets:merge')).toBe(false);
    expect(hasPermission(c, 'tickets:reply')).toBe(true);
  });

  it('limits a token to its scopes and never beyond its role', () => {
    const readOnly = actor('admin', { via: 'token', scopes: ['tickets:read'] });
    expect(hasPermission(readOnly, 'tickets:read')).toBe(true);
    expect(hasPermission(readOnly, 'tickets:create')).toBe(false);
    const agentAdminScope = actor('agent', { via: 'token', scopes: ['admin'] });
    expect(hasPermission(agentAdminScope, 'staff:manage')).toBe(false);
  });

  it('shows collaborators only tickets assigned to them or where they collaborate', () => {
    const c = actor('collaborator');
    expect(canSeeTicket(c, { assigneeId: null }, false)).toBe(false);
    expect(canSeeTicket(c, { assigneeId: 'u1' }, false)).toBe(true);
    expect(canSeeTicket(c, { assigneeId: 'other' }, true)).toBe(true);
    expect(canSeeTicket(actor('agent'), { assigneeId: 'other' }, false)).toBe(true);
  });
});
