import type pg from 'pg';
import { normaliseForSearch } from '../apps/server/src/platform/text/normalise.ts';
import { PHRASES } from './phrases.ts';

/**
 * Seeds N tickets (with customers, 4 messages each and events) using set-based SQL in PostgreSQL itself
 * (generate_series), not the API. Every ticket carries a rare word (its order code "ordNNNNNN") so the benchmark can
 * query both rare and very common words. Tickets that are not new have a first response, solved and closed ones a solve
 * time, so the insights reports (rebuilt from the tickets afterwards, as after any bulk import) have real work to do.
 * Secondary indexes are dropped during the load and rebuilt afterwards.
 */
export interface SeedResult {
  tickets: number;
  messages: number;
  customers: number;
  seconds: number;
}

const LANGS = ['en', 'bn', 'hi'] as const;

function arrayLiteral(values: string[]): string {
  return `ARRAY[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(',')}]::text[]`;
}

export async function seedTickets(
  client: pg.Client,
  tickets: number,
  log: (m: string) => void = () => {},
): Promise<SeedResult> {
  const started = Date.now();
  const customers = Math.max(10, Math.floor(tickets / 3));
  const subj = LANGS.map((l) => arrayLiteral(PHRASES[l].subjects));
  const body = LANGS.map((l) => arrayLiteral(PHRASES[l].bodies));
  const subjN = LANGS.map((l) => arrayLiteral(PHRASES[l].subjects.map(normaliseForSearch)));
  const bodyN = LANGS.map((l) => arrayLiteral(PHRASES[l].bodies.map(normaliseForSearch)));
  const pick = (arrs: string[], lang: string, idx: string) =>
    `(CASE ${lang} WHEN 0 THEN (${arrs[0]})[1 + ${idx} % array_length(${arrs[0]},1)] WHEN 1 THEN (${arrs[1]})[1 + ${idx} % array_length(${arrs[1]},1)] ELSE (${arrs[2]})[1 + ${idx} % array_length(${arrs[2]},1)] END)`;

  const { rows: idx } = await client.query<{ indexname: string; indexdef: string }>(
    `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename IN ('tickets','messages','events','customers','customer_identities')
       AND indexname NOT LIKE '%_pkey' AND indexdef NOT LIKE 'CREATE UNIQUE%'`,
  );
  for (const i of idx) await client.query(`DROP INDEX IF EXISTS ${i.indexname}`);
  log(`dropped ${idx.length} secondary indexes for the load`);

  // deterministic v4-shaped UUIDs (the API validates UUID versions)
  await client.query(
    `CREATE OR REPLACE FUNCTION pg_temp.u(t text) RETURNS uuid LANGUAGE sql IMMUTABLE AS
     $$ SELECT overlay(overlay(md5(t) placing '4' from 13) placing '8' from 17)::uuid $$`,
  );
  const base = await client.query<{ n: number }>('SELECT coalesce(max(number), 999)::int AS n FROM tickets');
  const offset = (base.rows[0]?.n ?? 999) + 1;

  await client.query(
    `INSERT INTO customers (id, name, search_text, created_at)
     SELECT pg_temp.u('bench-c' || g), 'Customer ' || g, 'customer ' || g || ' customer' || g || '@example.com', now() - (g % 180) * interval '1 day'
     FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING`,
    [customers],
  );
  await client.query(
    `INSERT INTO customer_identities (customer_id, kind, value, is_primary)
     SELECT pg_temp.u('bench-c' || g), 'email', 'customer' || g || '@example.com', true
     FROM generate_series(1, $1::int) g ON CONFLICT DO NOTHING`,
    [customers],
  );
  log(`customers: ${customers}`);

  const statuses = `(ARRAY['new','open','pending','on_hold','solved','closed','solved','closed'])`;
  const priorities = `(ARRAY['low','normal','normal','normal','high','urgent'])`;
  const channels = `(ARRAY['email','chat','web','api','phone','sms','whatsapp'])`;
  const batch = 100_000;
  // each ticket's insert gives its messages' writing systems (tickets.scripts), so the per-message trigger that keeps
  // them for live writes has nothing to add during the load
  await client.query('ALTER TABLE messages DISABLE TRIGGER messages_scripts');
  try {
    for (let from = 1; from <= tickets; from += batch) {
      const to = Math.min(tickets, from + batch - 1);
      await client.query(
        `INSERT INTO tickets (id, number, subject, status, priority, type, tags, language, channel, customer_id, last_seq,
                            message_count, search_text, scripts, created_at, updated_at, last_message_at, first_response_at, solved_at)
       SELECT pg_temp.u('bench-t' || g), $3::int + g, ${pick(subj, 'g % 3', '(g / 3)')} || ' ord' || lpad(g::text, 7, '0'),
              ${statuses}[1 + g % 8], ${priorities}[1 + g % 6], 'question',
              CASE WHEN g % 5 = 0 THEN ARRAY['vip'] ELSE ARRAY[]::text[] END,
              (ARRAY['en','bn','hi'])[1 + g % 3], ${channels}[1 + g % 7], pg_temp.u('bench-c' || (1 + g % $4::int)), 4, 4,
              ${pick(subjN, 'g % 3', '(g / 3)')} || ' ord' || lpad(g::text, 7, '0'),
              -- the writing systems of its four messages (the trigger adds the subject's)
              (SELECT bit_or(seva_text_scripts(${pick(bodyN, 'g % 3', '(g + s)')} || CASE WHEN s = 1 THEN ' ord' ELSE '' END))
                 FROM generate_series(1, 4) s),
              now() - ((${tickets} - g) * interval '15 seconds'), now() - ((${tickets} - g) * interval '15 seconds'),
              now() - ((${tickets} - g) * interval '15 seconds'),
              CASE WHEN g % 8 = 0 THEN NULL ELSE now() - ((${tickets} - g) * interval '15 seconds') + (1 + g % 240) * interval '1 minute' END,
              CASE WHEN g % 8 IN (4, 5, 6, 7) THEN now() - ((${tickets} - g) * interval '15 seconds') + (30 + g % 2880) * interval '1 minute' END
       FROM generate_series($1::int, $2::int) g`,
        [from, to, offset, customers],
      );
      await client.query(
        `INSERT INTO messages (id, ticket_id, seq, kind, author_type, channel, body_text, search_text, created_at)
       SELECT pg_temp.u('bench-m' || g || '-' || s), pg_temp.u('bench-t' || g), s,
              CASE WHEN s = 3 THEN 'internal' ELSE 'public' END,
              CASE WHEN s % 2 = 1 THEN 'customer' ELSE 'staff' END,
              'email',
              ${pick(body, 'g % 3', '(g + s)')} || CASE WHEN s = 1 THEN ' ord' || lpad(g::text, 7, '0') ELSE '' END,
              ${pick(bodyN, 'g % 3', '(g + s)')} || CASE WHEN s = 1 THEN ' ord' || lpad(g::text, 7, '0') ELSE '' END,
              now() - ((${tickets} - g) * interval '15 seconds') + s * interval '1 minute'
       FROM generate_series($1::int, $2::int) g, generate_series(1, 4) s`,
        [from, to],
      );
      await client.query(
        `INSERT INTO events (type, ticket_id, actor_type, payload, created_at)
       SELECT 'ticket.created', pg_temp.u('bench-t' || g), 'system', '{}'::jsonb, now() - ((${tickets} - g) * interval '15 seconds')
       FROM generate_series($1::int, $2::int) g`,
        [from, to],
      );
      log(`tickets ${to}/${tickets}`);
    }
  } finally {
    await client.query('ALTER TABLE messages ENABLE TRIGGER messages_scripts');
  }
  await client.query(`SELECT setval(pg_get_serial_sequence('tickets','number'), (SELECT max(number) FROM tickets))`);

  for (const i of idx) {
    const t = Date.now();
    await client.query(i.indexdef);
    log(`index ${i.indexname} rebuilt in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  // what autovacuum would otherwise do during the first scenarios (a fresh bulk load is vacuumed for its visibility
  // map, and the tables analysed): done here, as after any bulk import, so the scenarios measure Seva and not it
  const v = Date.now();
  await client.query('VACUUM (ANALYZE)');
  await client.query('CHECKPOINT');
  log(`vacuumed, analysed and checkpointed in ${((Date.now() - v) / 1000).toFixed(1)} s`);
  return { tickets, messages: tickets * 4, customers, seconds: (Date.now() - started) / 1000 };
}
