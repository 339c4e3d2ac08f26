ALTER TABLE "tickets" ADD COLUMN "scripts" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Hand-written (drizzle cannot express functions or triggers). The writing systems a text uses, as bits: 1 Latin,
-- 2 Bengali, 4 Devanagari — the ranges of platform/text/scripts.ts textScripts (a test holds the two to each other).
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
-- Tickets written before this migration: their subject's and every message's scripts.
UPDATE tickets t SET scripts = seva_text_scripts(t.search_text)
  | COALESCE((SELECT bit_or(seva_text_scripts(strip(m.search_vector)::text)) FROM messages m WHERE m.ticket_id = t.id),
             0::smallint);
--> statement-breakpoint
CREATE TRIGGER tickets_subject_scripts BEFORE INSERT OR UPDATE OF search_text ON tickets
  FOR EACH ROW EXECUTE FUNCTION seva_ticket_subject_scripts();
--> statement-breakpoint
CREATE TRIGGER messages_scripts AFTER INSERT OR UPDATE OF search_text, ticket_id ON messages
  FOR EACH ROW EXECUTE FUNCTION seva_message_scripts();
