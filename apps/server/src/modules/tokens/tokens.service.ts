import { sql } from 'drizzle-orm';
import type { Deps } from '../../platform/deps.ts';
import { apiTokens } from '../../platform/db/schema/index.ts';
import { AppError } from '../../platform/errors.ts';
import { type Actor, TOKEN_SCOPE_NAMES, type TokenScope } from '../../platform/auth/permissions.ts';
import { API_TOKEN_PREFIX, newSecret, sha256Hex } from '../../platform/auth/tokens.ts';
import { recordEvent } from '../../platform/events.ts';

export interface CreateTokenInput {
  actor: Actor;
  userId: string;
  name: string;
  scopes?: TokenScope[];
  expiresAt?: Date | null;
}

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
    await recordEvent(tx, { type: 'token.created', actor: input.actor, payload: { tokenId: row.id, userId: input.userId, scopes } });
    return { token: raw, record: row };
  });
}

export async function findStaffIdByEmail(deps: Pick<Deps, 'db'>, email: string): Promise<string | null> {
  const r = await deps.db.execute<{ id: string }>(sql`SELECT id FROM staff_users WHERE lower(email) = ${email.trim().toLowerCase()}`);
  return r.rows[0]?.id ?? null;
}
