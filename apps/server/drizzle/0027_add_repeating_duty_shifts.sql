CREATE TABLE "duty_shift_series" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"team_id" uuid,
	"weekdays" integer[] NOT NULL,
	"start_time" text NOT NULL,
	"end_time" text NOT NULL,
	"time_zone" text NOT NULL,
	"starts_on" date NOT NULL,
	"until" date NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "duty_shifts" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "duty_shift_series" ADD CONSTRAINT "duty_shift_series_user_id_staff_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "duty_shift_series" ADD CONSTRAINT "duty_shift_series_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_shift_series_user_idx" ON "duty_shift_series" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "duty_shifts" ADD CONSTRAINT "duty_shifts_series_id_duty_shift_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."duty_shift_series"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "duty_shifts_user_idx" ON "duty_shifts" USING btree ("user_id","starts_at");--> statement-breakpoint
CREATE INDEX "duty_shifts_series_idx" ON "duty_shifts" USING btree ("series_id");