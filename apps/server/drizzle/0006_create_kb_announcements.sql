CREATE TABLE "kb_announcement_receipts" (
	"announcement_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"acknowledged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "kb_announcement_receipts_announcement_id_user_id_pk" PRIMARY KEY("announcement_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "kb_announcements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"title" text NOT NULL,
	"body_html" text NOT NULL,
	"body_source" text NOT NULL,
	"source_format" text NOT NULL,
	"severity" text DEFAULT 'info' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"audience_roles" text[] DEFAULT '{}'::text[] NOT NULL,
	"article_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"macro_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"ack_due_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"last_reminded_at" timestamp with time zone,
	"created_by_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "kb_announcement_receipts" ADD CONSTRAINT "kb_announcement_receipts_announcement_id_kb_announcements_id_fk" FOREIGN KEY ("announcement_id") REFERENCES "public"."kb_announcements"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_announcement_receipts" ADD CONSTRAINT "kb_announcement_receipts_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "kb_announcements" ADD CONSTRAINT "kb_announcements_created_by_id_staff_users_id_fk" FOREIGN KEY ("created_by_id") REFERENCES "public"."staff_users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "kb_announcement_receipts_user_idx" ON "kb_announcement_receipts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "kb_announcements_status_idx" ON "kb_announcements" USING btree ("status","published_at");