-- pg_trgm: partial-word and typo-tolerant search (needs a UTF-8 ctype for Bengali and Hindi)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS btree_gin;
