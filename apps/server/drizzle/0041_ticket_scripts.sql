-- Tickets written before this migration start at 15 (every script, and 8: "not yet worked out"): a constant default
-- is kept in the catalogue, not written into each row, so this is instant on any table. 15 passes every script test
-- of the search's walk, so no ticket is hidden while its value is unknown; the triggers below keep it (OR-ing bits
-- into 15 leaves 15), and the search module's job (modules/search/refine-ticket-scripts.job.ts) works the real bits
-- out in batches after start-up. Computing them here instead took 157 s at 1M tickets and 4M messages, and
-- migrations run at start-up (`seva serve --migrate`). New tickets start at 0, as the schema says.
ALTER TABLE "tickets" ADD COLUMN "scripts" smallint DEFAULT 15 NOT NULL;--> statement-breakpoint
ALTER TABLE "tickets" ALTER COLUMN "scripts" SET DEFAULT 0;--> statement-breakpoint
-- The job's cursor (ticket ids are walked in order from here); the row exists while work is left, so a desk with no
-- tickets yet has none and its workers never start the job.
INSERT INTO "settings" ("key", "value")
SELECT 'ticket_scripts_refine', '{"after":"00000000-0000-0000-0000-000000000000"}'::jsonb
WHERE EXISTS (SELECT 1 FROM "tickets");
--> statement-breakpoint
-- Hand-written (drizzle cannot express functions or triggers). The writing systems a text uses, as bits: 1 Latin,
-- 2 Bengali, 4 Devanagari — the ranges of platform/text/scripts.ts textScripts (a test holds the two to each other).
-- The function never sets 8 (unknown): only the column's initial value for existing tickets has it.
CREATE FUNCTION seva_text_scripts(t text) RETURNS smallint LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((CASE WHEN t ~ '[a-zA-Z\u00C0-\u024F\u1E00-\u1EFF]' THEN 1 ELSE 0 END)
      | (CASE WHEN t ~ '[\u0980-\u09FF]' THEN 2 ELSE 0 END)
      | (CASE WHEN t ~ '[\u0900-\u097F\uA8E0-\uA8FF]' THEN 4 ELSE 0 END))::smallint;
--> statement-breakpoint
-- A ticket's subject (its search text) adds its scripts whenever it is written (BEFORE: the row is written once).
CREATE FUNCTION seva_ticket_subject_scripts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.scripts := NEW.scripts | seva_text_scripts(NEW.search_text);
  RETURN NEW;
END $$;
--> statement-breakpoint
-- A message written or moved adds the scripts of its words (its distinct lexemes: shorter than the text) to its
-- ticket's. The ticket row is written only when a bit is new, so most messages cost a lookup, not a write; a message
-- inserted by appendMessageRow finds its ticket already locked by the same statement.
CREATE FUNCTION seva_message_scripts() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  s smallint := seva_text_scripts(strip(NEW.search_vector)::text);
BEGIN
  IF s <> 0 THEN
    UPDATE tickets SET scripts = scripts | s WHERE id = NEW.ticket_id AND (scripts & s) <> s;
  END IF;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER tickets_subject_scripts BEFORE INSERT OR UPDATE OF search_text ON tickets
  FOR EACH ROW EXECUTE FUNCTION seva_ticket_subject_scripts();
--> statement-breakpoint
CREATE TRIGGER messages_scripts AFTER INSERT OR UPDATE OF search_text, ticket_id ON messages
  FOR EACH ROW EXECUTE FUNCTION seva_message_scripts();
