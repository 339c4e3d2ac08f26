CREATE TABLE "email_message_ids" (
	"message_id_header" text NOT NULL,
	"message_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"direction" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "email_message_ids_message_id_header_message_id_pk" PRIMARY KEY("message_id_header","message_id")
);
--> statement-breakpoint
CREATE TABLE "email_threads" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"mailbox_id" uuid,
	"reply_token" text NOT NULL,
	"participants" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "event_cursors" (
	"name" text PRIMARY KEY NOT NULL,
	"last_event_id" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "inbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"mailbox_id" uuid NOT NULL,
	"source" text NOT NULL,
	"envelope_from" text DEFAULT '' NOT NULL,
	"envelope_to" text[] DEFAULT '{}'::text[] NOT NULL,
	"remote_address" text,
	"message_id_header" text DEFAULT '' NOT NULL,
	"content_hash" text NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" bigint NOT NULL,
	"raw" "bytea" NOT NULL,
	"status" text DEFAULT 'received' NOT NULL,
	"outcome" text,
	"ticket_id" uuid,
	"message_id" uuid,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mailboxes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"address" text NOT NULL,
	"name" text NOT NULL,
	"from_name" text DEFAULT '' NOT NULL,
	"signature" text DEFAULT '' NOT NULL,
	"team_id" uuid,
	"is_team_default" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"last_error" text,
	"last_error_at" timestamp with time zone,
	"last_received_at" timestamp with time zone,
	"is_smtp_enabled" boolean DEFAULT true NOT NULL,
	"is_imap_enabled" boolean DEFAULT false NOT NULL,
	"imap_host" text,
	"imap_port" integer,
	"imap_user" text,
	"imap_password_enc" text,
	"imap_folder" text DEFAULT 'INBOX' NOT NULL,
	"is_ack_enabled" boolean DEFAULT true NOT NULL,
	"ack_templates" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"allow_list" text[] DEFAULT '{}'::text[] NOT NULL,
	"block_list" text[] DEFAULT '{}'::text[] NOT NULL,
	"trusted_authserv_id" text,
	"hook_secret_enc" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbound_emails" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"idempotency_key" text NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" uuid,
	"message_id" uuid,
	"mailbox_id" uuid,
	"recipient" text NOT NULL,
	"message_id_header" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "email_message_ids" ADD CONSTRAINT "email_message_ids_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_message_ids" ADD CONSTRAINT "email_message_ids_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_threads" ADD CONSTRAINT "email_threads_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_threads" ADD CONSTRAINT "email_threads_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inbound_emails" ADD CONSTRAINT "inbound_emails_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mailboxes" ADD CONSTRAINT "mailboxes_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_emails" ADD CONSTRAINT "outbound_emails_mailbox_id_mailboxes_id_fk" FOREIGN KEY ("mailbox_id") REFERENCES "public"."mailboxes"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_message_ids_ticket_idx" ON "email_message_ids" USING btree ("ticket_id");--> statement-breakpoint
CREATE UNIQUE INDEX "email_threads_reply_token_key" ON "email_threads" USING btree ("reply_token");--> statement-breakpoint
CREATE UNIQUE INDEX "inbound_emails_dedupe_key" ON "inbound_emails" USING btree ("mailbox_id","message_id_header","content_hash");--> statement-breakpoint
CREATE INDEX "inbound_emails_status_idx" ON "inbound_emails" USING btree ("status","received_at");--> statement-breakpoint
CREATE INDEX "inbound_emails_mailbox_idx" ON "inbound_emails" USING btree ("mailbox_id","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mailboxes_address_key" ON "mailboxes" USING btree (lower("address"));--> statement-breakpoint
CREATE INDEX "mailboxes_team_idx" ON "mailboxes" USING btree ("team_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_emails_idempotency_key" ON "outbound_emails" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "outbound_emails_recipient_idx" ON "outbound_emails" USING btree ("kind","recipient","created_at");--> statement-breakpoint
CREATE INDEX "outbound_emails_message_id_header_idx" ON "outbound_emails" USING btree ("message_id_header");