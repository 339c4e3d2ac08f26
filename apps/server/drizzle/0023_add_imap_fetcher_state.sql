ALTER TABLE "mailboxes" ADD COLUMN "imap_security" text DEFAULT 'tls' NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_uid_validity" bigint;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_last_uid" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD COLUMN "imap_last_sync_at" timestamp with time zone;