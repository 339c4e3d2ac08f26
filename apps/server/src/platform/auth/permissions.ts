/**
 * The permission policy: pure, unit-tested. Routes declare a permission; services apply row-level rules
 * (which tickets an actor may see) through `ticketVisibility`.
 */
export const ROLES = ['admin', 'supervisor', 'agent', 'collaborator'] as const;
export type StaffRole = (typeof ROLES)[number];

export const PERMISSIONS = [
  'tickets:read',
  'tickets:create',
  'tickets:update',
  'tickets:reply',
  'tickets:note',
  'tickets:merge',
  'tickets:assign',
  'messages:approve',
  'customers:read',
  'customers:write',
  'customers:merge',
  'search:read',
  'views:share',
  'staff:read',
  'staff:manage',
  'teams:manage',
  'categories:manage',
  'fields:manage',
  'settings:manage',
  'tokens:own',
  'tokens:manage',
  'reports:read',
  'quality:review',
  'improve:manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const AGENT: Permission[] = [
  'tickets:read',
  'tickets:create',
  'tickets:update',
  'tickets:reply',
  'tickets:note',
  'tickets:merge',
  'tickets:assign',
  'customers:read',
  'customers:write',
  'customers:merge',
  'search:read',
  'staff:read',
  'tokens:own',
];

export const ROLE_PERMISSIONS: Record<StaffRole, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  supervisor: new Set<Permission>([
    ...AGENT,
    'messages:approve',
    'views:share',
    'teams:manage',
    'categories:manage',
    'reports:read',
    'quality:review',
    'improve:manage',
  ]),
  agent: new Set(AGENT),
  // Any employee brought in on a ticket: sees and answers only tickets they are assigned or added to.
  collaborator: new Set<Permission>([
    'tickets:read',
    'tickets:reply',
    'tickets:note',
    'customers:read',
    'search:read',
    'staff:read',
    'tokens:own',
  ]),
};

/** API token scopes, and the permissions each one unlocks (a token can never exceed its user's role). */
export const TOKEN_SCOPES = {
  'tickets:read': ['tickets:read', 'search:read', 'staff:read', 'reports:read'],
  'tickets:write': [
    'tickets:create',
    'tickets:update',
    'tickets:reply',
    'tickets:note',
    'tickets:merge',
    'tickets:assign',
    // only effective for roles that have them (supervisors, admins)
    'messages:approve',
    'views:share',
    'quality:review',
  ],
  'customers:read': ['customers:read'],
  'customers:write': ['customers:write', 'customers:merge'],
  admin: [
    'staff:manage',
    'teams:manage',
    'categories:manage',
    'fields:manage',
    'settings:manage',
    'staff:read',
    'tokens:manage',
    'improve:manage',
  ],
} as const satisfies Record<string, readonly Permission[]>;
export type TokenScope = keyof typeof TOKEN_SCOPES;
export const TOKEN_SCOPE_NAMES = Object.keys(TOKEN_SCOPES) as TokenScope[];

export interface StaffActor {
  kind: 'staff';
  userId: string;
  role: StaffRole;
  name: string;
  email: string;
  locale: string;
  /** how the request authenticated */
  via: 'session' | 'token';
  /** for tokens: the scopes granted; undefined for sessions */
  scopes?: readonly TokenScope[];
}

export interface SystemActor {
  kind: 'system';
}

export type Actor = StaffActor | SystemActor;

export function hasPermission(actor: Actor, permission: Permission): boolean {
  if (actor.kind === 'system') return true;
  if (!ROLE_PERMISSIONS[actor.role].has(permission)) return false;
  if (actor.via === 'token') {
    const scopes = actor.scopes ?? [];
    return scopes.some((s) => (TOKEN_SCOPES[s] as readonly Permission[]).includes(permission));
  }
  return true;
}

/** Which tickets an actor may see: all, or only those assigned to them or where they collaborate. */
export type TicketVisibility = { all: true } | { all: false; userId: string };

export function ticketVisibility(actor: Actor): TicketVisibility {
  if (actor.kind === 'system') return { all: true };
  return actor.role === 'collaborator' ? { all: false, userId: actor.userId } : { all: true };
}

export function canSeeTicket(actor: Actor, ticket: { assigneeId: string | null }, isCollaborator: boolean): boolean {
  const v = ticketVisibility(actor);
  return v.all || ticket.assigneeId === v.userId || isCollaborator;
}
