import type { CreateTeamBody, Team, UpdateTeamBody } from '@seva/contracts';
import { sql } from 'drizzle-orm';
import type { Actor } from '../../platform/auth/permissions.ts';
import type { DbOrTx } from '../../platform/db/client.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { recordEvent } from '../../platform/events.ts';
import { isUniqueViolation } from '../customers/index.ts';
import { iso, rows } from './admin.shared.ts';

type ServiceDeps = Pick<Deps, 'db'>;

interface TeamRow {
  id: string;
  name: string;
  description: string;
  lead_id: string | null;
  member_ids: string[] | null;
  created_at: Date;
}

function toTeam(r: TeamRow): Team {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    leadId: r.lead_id,
    memberIds: [...(r.member_ids ?? [])].sort(),
    createdAt: iso(r.created_at),
  };
}

const SELECT_TEAMS = sql`SELECT tm.id, tm.name, tm.description, tm.lead_id, tm.created_at,
  (SELECT array_agg(m.user_id) FROM team_members m WHERE m.team_id = tm.id) AS member_ids
  FROM teams tm`;

export async function listTeams(deps: ServiceDeps): Promise<{ items: Team[] }> {
  const found = await rows<TeamRow>(deps.db, sql`${SELECT_TEAMS} ORDER BY lower(tm.name), tm.id`);
  return { items: found.map(toTeam) };
}

async function getTeam(db: DbOrTx, id: string, lock = false): Promise<Team> {
  const [row] = await rows<TeamRow>(
    db,
    sql`${SELECT_TEAMS} WHERE tm.id = ${id} ${lock ? sql`FOR UPDATE OF tm` : sql``}`,
  );
  if (!row) throw notFound('Team');
  return toTeam(row);
}

/** Every id must be an existing staff member (not disabled); the problem names the offending entry. */
async function assertStaff(db: DbOrTx, ids: string[], path: string): Promise<void> {
  if (ids.length === 0) return;
  const found = await rows<{ id: string }>(
    db,
    sql`SELECT id FROM staff_users WHERE id IN (${sql.join(
      ids.map((i) => sql`${i}`),
      sql`, `,
    )}) AND status <> 'disabled'`,
  );
  const ok = new Set(found.map((r) => r.id));
  const bad = ids.findIndex((i) => !ok.has(i));
  if (bad >= 0) {
    throw new AppError('VALIDATION_FAILED', 'Team members must be active staff members', {
      errors: [
        {
          path: ids.length === 1 && path === 'leadId' ? path : `${path}.${bad}`,
          message: 'no such active staff member',
        },
      ],
    });
  }
}

async function assertNameFree(db: DbOrTx, name: string, exceptId?: string): Promise<void> {
  const [clash] = await rows(
    db,
    sql`SELECT 1 FROM teams WHERE lower(name) = lower(${name}) ${exceptId ? sql`AND id <> ${exceptId}` : sql``}`,
  );
  if (clash) throw new AppError('ALREADY_EXISTS', `A team named ${name} already exists`);
}

async function addMembers(db: DbOrTx, teamId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  await db.execute(sql`INSERT INTO team_members (team_id, user_id)
    SELECT ${teamId}::uuid, u FROM unnest(${sql`ARRAY[${sql.join(
      userIds.map((u) => sql`${u}`),
      sql`, `,
    )}]::uuid[]`}) u
    ON CONFLICT DO NOTHING`);
}

function nameTaken(err: unknown): never {
  if (isUniqueViolation(err)) throw new AppError('ALREADY_EXISTS', 'A team with this name already exists');
  throw err;
}

export async function createTeam(deps: ServiceDeps, opts: { actor: Actor; body: CreateTeamBody }): Promise<Team> {
  const { body } = opts;
  const members = [...new Set([...(body.memberIds ?? []), ...(body.leadId ? [body.leadId] : [])])];
  try {
    return await deps.db.transaction(async (tx) => {
      await assertNameFree(tx, body.name);
      if (body.leadId) await assertStaff(tx, [body.leadId], 'leadId');
      await assertStaff(tx, body.memberIds ?? [], 'memberIds');
      const [row] = await rows<{ id: string }>(
        tx,
        sql`INSERT INTO teams (name, description, lead_id) VALUES (${body.name}, ${body.description ?? ''}, ${body.leadId ?? null})
            RETURNING id`,
      );
      if (!row) throw new Error('team insert returned nothing');
      // the lead is always a member
      await addMembers(tx, row.id, members);
      await recordEvent(tx, {
        type: 'team.created',
        actor: opts.actor,
        payload: { teamId: row.id, name: body.name, leadId: body.leadId ?? null, memberIds: members },
      });
      return getTeam(tx, row.id);
    });
  } catch (err) {
    return nameTaken(err);
  }
}

export async function updateTeam(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; body: UpdateTeamBody },
): Promise<Team> {
  const { body } = opts;
  try {
    return await deps.db.transaction(async (tx) => {
      await getTeam(tx, opts.id, true);
      if (body.name !== undefined) await assertNameFree(tx, body.name, opts.id);
      if (body.leadId) await assertStaff(tx, [body.leadId], 'leadId');
      const sets = [];
      if (body.name !== undefined) sets.push(sql`name = ${body.name}`);
      if (body.description !== undefined) sets.push(sql`description = ${body.description}`);
      if (body.leadId !== undefined) sets.push(sql`lead_id = ${body.leadId}`);
      if (sets.length === 0) return getTeam(tx, opts.id);
      await tx.execute(sql`UPDATE teams SET ${sql.join(sets, sql`, `)} WHERE id = ${opts.id}`);
      // a new lead who was not a member becomes one
      if (body.leadId) await addMembers(tx, opts.id, [body.leadId]);
      await recordEvent(tx, {
        type: 'team.updated',
        actor: opts.actor,
        payload: { teamId: opts.id, fields: Object.keys(body) },
      });
      return getTeam(tx, opts.id);
    });
  } catch (err) {
    return nameTaken(err);
  }
}

/** Replaces the member list; the team's lead stays a member whether or not the list names them. */
export async function setTeamMembers(
  deps: ServiceDeps,
  opts: { actor: Actor; id: string; userIds: string[] },
): Promise<Team> {
  return deps.db.transaction(async (tx) => {
    const before = await getTeam(tx, opts.id, true);
    const wanted = [...new Set(opts.userIds)];
    await assertStaff(tx, wanted, 'userIds');
    const members = before.leadId && !wanted.includes(before.leadId) ? [...wanted, before.leadId] : wanted;
    if (members.length === 0) {
      await tx.execute(sql`DELETE FROM team_members WHERE team_id = ${opts.id}`);
    } else {
      await tx.execute(sql`DELETE FROM team_members WHERE team_id = ${opts.id}
        AND user_id <> ALL(${sql`ARRAY[${sql.join(
          members.map((u) => sql`${u}`),
          sql`, `,
        )}]::uuid[]`})`);
      await addMembers(tx, opts.id, members);
    }
    const added = members.filter((m) => !before.memberIds.includes(m));
    const removed = before.memberIds.filter((m) => !members.includes(m));
    if (added.length > 0 || removed.length > 0) {
      await recordEvent(tx, {
        type: 'team.members_changed',
        actor: opts.actor,
        payload: { teamId: opts.id, added, removed },
      });
    }
    return getTeam(tx, opts.id);
  });
}

/** Deletes a team; its tickets stay, without a team. */
export async function deleteTeam(deps: ServiceDeps, opts: { actor: Actor; id: string }): Promise<void> {
  await deps.db.transaction(async (tx) => {
    const team = await getTeam(tx, opts.id, true);
    await tx.execute(sql`DELETE FROM teams WHERE id = ${opts.id}`);
    await recordEvent(tx, { type: 'team.deleted', actor: opts.actor, payload: { teamId: opts.id, name: team.name } });
  });
}
