CREATE TABLE "recognition_awards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"ticket_id" uuid,
	"reason" text NOT NULL,
	"points" integer NOT NULL,
	"key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "recognition_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"enabled" integer DEFAULT 1 NOT NULL,
	"leaderboard_visibility" text DEFAULT 'everyone' NOT NULL,
	"first_names_only" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "recognition_awards" ADD CONSTRAINT "recognition_awards_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "recognition_awards" ADD CONSTRAINT "recognition_awards_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "recognition_awards_key" ON "recognition_awards" USING btree ("key");--> statement-breakpoint
CREATE INDEX "recognition_awards_staff_idx" ON "recognition_awards" USING btree ("staff_id","created_at");--> statement-breakpoint
CREATE INDEX "recognition_awards_created_idx" ON "recognition_awards" USING btree ("created_at");