CREATE TABLE "search_words" (
	"word" text COLLATE "C" NOT NULL
);
--> statement-breakpoint
CREATE INDEX "search_words_word_idx" ON "search_words" USING btree ("word");--> statement-breakpoint
CREATE INDEX "search_words_trgm_idx" ON "search_words" USING gin ("word" gin_trgm_ops);--> statement-breakpoint
-- Hand-written: drizzle cannot express triggers. The vocabulary for typo tolerance is filled from every subject and
-- message as it is written (words of 4–40 letters without digits, each kept once; no unique constraint, so two
-- writers adding the same new word never wait on each other — a rare duplicate is harmless).
CREATE FUNCTION search_words_collect() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_words (word)
  SELECT DISTINCT w FROM unnest(tsvector_to_array(NEW.search_vector)) AS w
  WHERE char_length(w) BETWEEN 4 AND 40 AND w !~ '[[:digit:]]'
    AND NOT EXISTS (SELECT 1 FROM search_words s WHERE s.word = w);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER messages_search_words AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION search_words_collect();--> statement-breakpoint
CREATE TRIGGER messages_search_words_update AFTER UPDATE OF search_text ON messages FOR EACH ROW
  WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text) EXECUTE FUNCTION search_words_collect();--> statement-breakpoint
CREATE TRIGGER tickets_search_words AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION search_words_collect();--> statement-breakpoint
CREATE TRIGGER tickets_search_words_update AFTER UPDATE OF search_text ON tickets FOR EACH ROW
  WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text) EXECUTE FUNCTION search_words_collect();--> statement-breakpoint
-- Backfill for existing data directories: every word already stored (filtered before de-duplication, so codes and
-- numbers never reach the hash; ts_stat() was far slower on millions of messages).
INSERT INTO search_words (word)
SELECT DISTINCT w FROM (
  SELECT unnest(tsvector_to_array(search_vector)) AS w FROM messages
  UNION ALL
  SELECT unnest(tsvector_to_array(search_vector)) AS w FROM tickets
) words
WHERE char_length(w) BETWEEN 4 AND 40 AND w !~ '[[:digit:]]';
