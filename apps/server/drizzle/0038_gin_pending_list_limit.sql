-- drizzle-kit wrote DROP INDEX + CREATE INDEX for the new storage parameter; ALTER INDEX sets it in place (no rebuild
-- of a large index). A search reads a GIN index's whole pending list: 256 kB instead of the default 4 MB
-- (docs/decisions/0009-gin-pending-list.md).
ALTER INDEX "customers_search_trgm_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "messages_search_vector_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "tickets_tags_idx" SET (gin_pending_list_limit = 256);--> statement-breakpoint
ALTER INDEX "tickets_search_vector_idx" SET (gin_pending_list_limit = 256);
