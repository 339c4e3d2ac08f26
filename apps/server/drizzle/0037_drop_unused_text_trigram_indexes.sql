-- Hand-written note: since migration 0025 ticket search reads the tsvector indexes and the search_words vocabulary
-- (typos); no query used these trigram indexes on ticket and message text (idx_scan 0 on a 1M-ticket database),
-- and they were the dearest indexes to keep up on every new message (444 MB + 88 MB at 1M tickets).
DROP INDEX "messages_search_trgm_idx";--> statement-breakpoint
DROP INDEX "tickets_search_trgm_idx";