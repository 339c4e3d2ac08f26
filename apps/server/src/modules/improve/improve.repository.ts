import type { ActionPlan, ActionPlanStatus } from '@seva/contracts';
import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';

/** SQL only: typed rows for the improve module. */

export async function rows<T>(db: DbOrTx, query: SQL): Promise<T[]> {
  const res = await db.execute(query);
  return res.rows as T[];
}

export interface ActionPlanRow {
  id: string;
  title: string;
  problem: string;
  owner_name: string;
  owner_staff_id: string | null;
  owner_staff_name: string | null;
  category_id: string | null;
  category_name: string | null;
  tag: string | null;
  source: Record<string, unknown>;
  status: string;
  due_date: string | null;
  fix: string;
  fix_shipped_at: Date | null;
  ticket_count: number;
  waiting_count: number;
  created_by_id: string | null;
  created_by_name: string | null;
  created_at: Date;
  updated_at: Date;
}

export const PLAN_SELECT = sql`SELECT p.id, p.title, p.problem, p.owner_name, p.owner_staff_id, o.name AS owner_staff_name,
    p.category_id, c.name AS category_name, p.tag, p.source, p.status, to_char(p.due_date, 'YYYY-MM-DD') AS due_date,
    p.fix, p.fix_shipped_at, p.created_by_id, cb.name AS created_by_name, p.created_at, p.updated_at,
    (SELECT count(*) FROM action_plan_tickets l WHERE l.plan_id = p.id)::int AS ticket_count,
    (SELECT count(*) FROM action_plan_tickets l JOIN tickets t ON t.id = l.ticket_id
      WHERE l.plan_id = p.id AND t.status NOT IN ('solved', 'closed'))::int AS waiting_count
  FROM action_plans p
  LEFT JOIN staff_users o ON o.id = p.owner_staff_id
  LEFT JOIN staff_users cb ON cb.id = p.created_by_id
  LEFT JOIN categories c ON c.id = p.category_id`;

export function actionPlanDto(r: ActionPlanRow, now: Date): ActionPlan {
  const today = now.toISOString().slice(0, 10);
  const finished = r.status === 'done' || r.status === 'dropped' || r.status === 'fix_shipped';
  return {
    id: r.id,
    title: r.title,
    problem: r.problem,
    ownerName: r.owner_name,
    owner: r.owner_staff_id && r.owner_staff_name ? { id: r.owner_staff_id, name: r.owner_staff_name } : null,
    category: r.category_id && r.category_name ? { id: r.category_id, name: r.category_name } : null,
    tag: r.tag,
    source: r.source,
    status: r.status as ActionPlanStatus,
    dueDate: r.due_date,
    overdue: !finished && r.due_date !== null && r.due_date < today,
    fix: r.fix,
    fixShippedAt: r.fix_shipped_at ? iso(r.fix_shipped_at) : null,
    ticketCount: r.ticket_count,
    waitingCount: r.waiting_count,
    createdBy: r.created_by_id && r.created_by_name ? { id: r.created_by_id, name: r.created_by_name } : null,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** node-postgres returns timestamps as strings through drizzle's execute(); accept both. */
export const iso = (d: Date | string): string => (d instanceof Date ? d : new Date(d)).toISOString();
export const toDate = (d: Date | string): Date => (d instanceof Date ? d : new Date(d));
