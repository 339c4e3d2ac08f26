import { type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.ts';
import { validationFailed } from '../../platform/errors.ts';

export interface Range {
  from: Date;
  to: Date;
}

const DAY_MS = 86_400_000;
export const MAX_RANGE_DAYS = 800;

/** The report range: `to` defaults to now, `from` to 30 days earlier; both are widened to whole UTC hours. */
export function resolveRange(
  q: { from?: string | undefined; to?: string | undefined },
  now: Date,
  defaultDays = 30,
): Range {
  const toRaw = q.to ? new Date(q.to) : now;
  const fromRaw = q.from ? new Date(q.from) : new Date(toRaw.getTime() - defaultDays * DAY_MS);
  const from = new Date(Math.floor(fromRaw.getTime() / 3_600_000) * 3_600_000);
  const to = new Date(Math.ceil(toRaw.getTime() / 3_600_000) * 3_600_000);
  if (!(from < to)) throw validationFailed([{ path: 'from', message: 'must be before to' }]);
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw validationFailed([{ path: 'from', message: `a report covers at most ${MAX_RANGE_DAYS} days` }]);
  }
  return { from, to };
}

export function resolveTimeZone(tz: string | undefined): string {
  const zone = tz ?? 'UTC';
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw validationFailed([{ path: 'tz', message: `unknown time zone ${zone}` }]);
  }
  return zone;
}

export interface DimensionFilters {
  channel?: string | undefined;
  categoryId?: string | undefined;
  teamId?: string | undefined;
  assigneeId?: string | undefined;
  language?: string | undefined;
}

const UUIDISH = /^[0-9a-f-]{36}$/i;

function checkId(field: string, v: string): void {
  if (v !== 'none' && !UUIDISH.test(v)) throw validationFailed([{ path: field, message: 'must be an id or none' }]);
}

/** WHERE fragments for the hourly rollup (`none` = no value). */
export function rollupFilters(f: DimensionFilters, alias = ''): SQL[] {
  const p = alias ? `${alias}.` : '';
  const out: SQL[] = [];
  const key = (v: string) => (v === 'none' ? '' : v);
  if (f.channel) out.push(sql`${sql.raw(`${p}channel`)} = ${f.channel}`);
  if (f.categoryId) {
    checkId('categoryId', f.categoryId);
    out.push(sql`${sql.raw(`${p}category_key`)} = ${key(f.categoryId)}`);
  }
  if (f.teamId) {
    checkId('teamId', f.teamId);
    out.push(sql`${sql.raw(`${p}team_key`)} = ${key(f.teamId)}`);
  }
  if (f.assigneeId) {
    checkId('assigneeId', f.assigneeId);
    out.push(sql`${sql.raw(`${p}assignee_key`)} = ${key(f.assigneeId)}`);
  }
  if (f.language) out.push(sql`${sql.raw(`${p}language_key`)} = ${key(f.language)}`);
  return out;
}

/** WHERE fragments for the per-ticket facts. */
export function factFilters(f: DimensionFilters): SQL[] {
  const out: SQL[] = [];
  const idCol = (col: string, field: string, v: string) => {
    checkId(field, v);
    return v === 'none' ? sql`${sql.raw(col)} IS NULL` : sql`${sql.raw(col)} = ${v}::uuid`;
  };
  if (f.channel) out.push(sql`channel = ${f.channel}`);
  if (f.categoryId) out.push(idCol('category_id', 'categoryId', f.categoryId));
  if (f.teamId) out.push(idCol('team_id', 'teamId', f.teamId));
  if (f.assigneeId) out.push(idCol('assignee_id', 'assigneeId', f.assigneeId));
  if (f.language) out.push(f.language === 'none' ? sql`language IS NULL` : sql`language = ${f.language}`);
  return out;
}

export function and(parts: SQL[]): SQL {
  return parts.length === 0 ? sql`TRUE` : sql.join(parts, sql` AND `);
}

/** CSV with RFC 4180 quoting; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function toCsv(header: string[], rows: Array<Array<string | number | null>>): string {
  const cell = (v: string | number | null) => {
    if (v === null) return '';
    let s = String(v);
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

export type Row = Record<string, unknown>;

/** Runs a query and returns its rows, typed by the caller. */
export async function rows<T = Row>(db: DbOrTx, q: SQL): Promise<T[]> {
  return (await db.execute(q)).rows as T[];
}

export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A dimension key as the API shows it ('' = none). */
export const keyOut = (k: string) => (k === '' ? 'none' : k);

/** Labels for dimension keys ('' = none) from the small config tables. */
export async function labelMaps(
  db: DbOrTx,
): Promise<{ category: Map<string, string>; team: Map<string, string>; staff: Map<string, string> }> {
  const [cats, teams, staff] = await Promise.all([
    rows<{ id: string; name: string }>(db, sql`SELECT id::text, name FROM categories`),
    rows<{ id: string; name: string }>(db, sql`SELECT id::text, name FROM teams`),
    rows<{ id: string; name: string }>(db, sql`SELECT id::text, name FROM staff_users`),
  ]);
  return {
    category: new Map(cats.map((r) => [r.id, r.name])),
    team: new Map(teams.map((r) => [r.id, r.name])),
    staff: new Map(staff.map((r) => [r.id, r.name])),
  };
}
