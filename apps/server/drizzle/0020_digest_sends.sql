CREATE TABLE "digest_sends" (
	"user_id" uuid NOT NULL,
	"week" date NOT NULL,
	"status" text DEFAULT 'sending' NOT NULL,
	"error" text,
	"sent_at" timestamp with time zone,
	CONSTRAINT "digest_sends_user_id_week_pk" PRIMARY KEY("user_id","week")
);
--> statement-breakpoint
ALTER TABLE "digest_sends" ADD CONSTRAINT "digest_sends_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;