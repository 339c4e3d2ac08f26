import { credentialsChanged } from '../../platform/auth/credential-cache.ts';
import type { ApiToken } from '@seva/contracts';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import {
  type Actor,
  hasPermission,
  type StaffActor,
  TOKEN_SCOPE_NAMES,
  type TokenScope,
} from '../../platform/auth/permissions.ts';
import { API_TOKEN_PREFIX, newSecret, sha256Hex } from '../../platform/auth/tokens.ts';
import { apiTokens } from '../../platform/db/schema/index.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';

export interface CreateTokenInput {
  actor: Actor;
  userId: string;
  name: string;
  scopes?: TokenScope[];
  expiresAt?: Date | null;
}

export type ApiTokenRow = typeof apiTokens.$inferSelect;

/** Creates an API token and returns the raw value once; only its hash is stored. */
export async function createApiToken(deps: Pick<Deps, 'db'>, input: CreateTokenInput) {
  const scopes = input.scopes ?? TOKEN_SCOPE_NAMES.filter((s) => s !== 'admin');
  const unknown = scopes.filter((s) => !TOKEN_SCOPE_NAMES.includes(s));
  if (unknown.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Unknown scope(s): ${unknown.join(', ')}`, {
      errors: [{ path: 'scopes', message: `allowed: ${TOKEN_SCOPE_NAMES.join(', ')}` }],
    });
  }
  const raw = `${API_TOKEN_PREFIX}${newSecret(32)}`;
  return deps.db.transaction(async (tx) => {
    const [row] = await tx
      .insert(apiTokens)
      .values({
        userId: input.userId,
        name: input.name,
        prefix: raw.slice(0, API_TOKEN_PREFIX.length + 6),
        tokenHash: sha256Hex(raw),
        scopes,
        expiresAt: input.expiresAt ?? null,
      })
      .returning();
    if (!row) throw new Error('insert returned nothing');
    await recordEvent(tx, {
      type: 'token.created',
      actor: input.actor,
      payload: { tokenId: row.id, userId: input.userId, scopes },
    });
    return { token: raw, record: row };
  });
}

export async function findStaffIdByEmail(deps: Pick<Deps, 'db'>, email: string): Promise<string | null> {
  const r = await deps.db.execute<{ id: string }>(
    sql`SELECT id FROM staff_users WHERE lower(email) = ${email.trim().toLowerCase()}`,
  );
  return r.rows[0]?.id ?? null;
}

export function toApiTokenDto(row: ApiTokenRow): ApiToken {
  return {
    id: row.id,
    userId: row.userId,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes.filter((s): s is TokenScope => (TOKEN_SCOPE_NAMES as string[]).includes(s)),
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    expiresAt: row.expiresAt ? row.expiresAt.toISOString() : null,
    revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}

export interface ListTokensInput {
  actor: StaffActor;
  /** every staff member's tokens (needs tokens:manage) instead of one's own */
  all: boolean;
}

export async function listApiTokens(deps: Pick<Deps, 'db'>, input: ListTokensInput): Promise<ApiTokenRow[]> {
  if (input.all && !hasPermission(input.actor, 'tokens:manage')) {
    throw new AppError('FORBIDDEN', "Only admins can list other people's tokens");
  }
  return deps.db
    .select()
    .from(apiTokens)
    .where(input.all ? undefined : eq(apiTokens.userId, input.actor.userId))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(1000);
}

export interface CreateOwnTokenInput {
  actor: StaffActor;
  name: string;
  scopes: TokenScope[];
  expiresAt?: string | null | undefined;
}

/**
 * Creates a token for the signed-in staff member. The 'admin' scope is for admins only (a token can never do more
 * than its owner's role allows anyway), and an expiry must lie in the future.
 */
export async function createOwnApiToken(deps: Pick<Deps, 'db' | 'clock'>, input: CreateOwnTokenInput) {
  const scopes = [...new Set(input.scopes)];
  if (scopes.includes('admin') && input.actor.role !== 'admin') {
    throw new AppError('FORBIDDEN', "Only admins can create tokens with the 'admin' scope");
  }
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && expiresAt.getTime() <= deps.clock.now().getTime()) {
    throw new AppError('VALIDATION_FAILED', 'The expiry must be in the future', {
      errors: [{ path: 'expiresAt', message: 'must be in the future' }],
    });
  }
  return createApiToken(deps, {
    actor: input.actor,
    userId: input.actor.userId,
    name: input.name.trim(),
    scopes,
    expiresAt,
  });
}

export interface RevokeTokenInput {
  actor: StaffActor;
  tokenId: string;
}

/** Revokes one's own token, or anyone's with tokens:manage. Someone else's token is "not found" otherwise. */
export async function revokeApiToken(deps: Pick<Deps, 'db' | 'clock'>, input: RevokeTokenInput): Promise<void> {
  const now = deps.clock.now();
  await deps.db.transaction(async (tx) => {
    const [row] = await tx.select().from(apiTokens).where(eq(apiTokens.id, input.tokenId)).for('update');
    const mayManage = hasPermission(input.actor, 'tokens:manage');
    if (!row || (row.userId !== input.actor.userId && !mayManage)) throw notFound('API token');
    if (row.revokedAt) return;
    await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, row.id), isNull(apiTokens.revokedAt)));
    credentialsChanged(tx);
    await recordEvent(tx, {
      type: 'token.revoked',
      actor: input.actor,
      payload: { tokenId: row.id, userId: row.userId },
      at: now,
    });
  });
}
