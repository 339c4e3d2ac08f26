CREATE TABLE "classifier_models" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"source" text NOT NULL,
	"trained_on" integer NOT NULL,
	"labels" integer NOT NULL,
	"held_out_accuracy" double precision,
	"model" jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"category_key" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"count" integer NOT NULL,
	"baseline" double precision NOT NULL,
	"ratio" double precision NOT NULL,
	"recipient_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_hourly" (
	"hour" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"category_key" text NOT NULL,
	"team_key" text NOT NULL,
	"assignee_key" text NOT NULL,
	"language_key" text NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	"solved" integer DEFAULT 0 NOT NULL,
	"first_responses" integer DEFAULT 0 NOT NULL,
	"first_response_seconds_sum" bigint DEFAULT 0 NOT NULL,
	"resolution_seconds_sum" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_hourly_hour_channel_category_key_team_key_assignee_key_language_key_pk" PRIMARY KEY("hour","channel","category_key","team_key","assignee_key","language_key")
);
--> statement-breakpoint
CREATE TABLE "insight_hourly_tags" (
	"hour" timestamp with time zone NOT NULL,
	"tag" text NOT NULL,
	"channel" text NOT NULL,
	"created" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_hourly_tags_hour_tag_channel_pk" PRIMARY KEY("hour","tag","channel")
);
--> statement-breakpoint
CREATE TABLE "insight_shifts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"staff_id" uuid NOT NULL,
	"weekday" smallint NOT NULL,
	"start_hour" smallint NOT NULL,
	"end_hour" smallint NOT NULL,
	"channel" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "insight_ticket_facts" (
	"ticket_id" uuid PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"channel" text NOT NULL,
	"category_id" uuid,
	"team_id" uuid,
	"assignee_id" uuid,
	"language" text,
	"tags" text[] DEFAULT '{}'::text[] NOT NULL,
	"customer_id" uuid,
	"status" text NOT NULL,
	"first_response_at" timestamp with time zone,
	"first_response_seconds" integer,
	"solved_at" timestamp with time zone,
	"resolution_seconds" integer,
	"reopen_count" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "survey_followups" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"survey_id" uuid NOT NULL,
	"ticket_id" uuid,
	"owner_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "survey_requests" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" uuid,
	"customer_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"channel" text,
	"team_id" uuid,
	"assignee_id" uuid,
	"category_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"rating" integer,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "quality_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scorecard_id" uuid NOT NULL,
	"ticket_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"scores" jsonb NOT NULL,
	"score" double precision NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quality_scorecards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"criteria" jsonb NOT NULL,
	"is_active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "insight_shifts" ADD CONSTRAINT "insight_shifts_staff_id_staff_users_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff_users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "survey_followups" ADD CONSTRAINT "survey_followups_survey_id_survey_requests_id_fk" FOREIGN KEY ("survey_id") REFERENCES "public"."survey_requests"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "quality_reviews" ADD CONSTRAINT "quality_reviews_scorecard_id_quality_scorecards_id_fk" FOREIGN KEY ("scorecard_id") REFERENCES "public"."quality_scorecards"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "classifier_models_kind_idx" ON "classifier_models" USING btree ("kind","id");--> statement-breakpoint
CREATE UNIQUE INDEX "insight_alerts_category_hour_key" ON "insight_alerts" USING btree ("kind","category_key","hour");--> statement-breakpoint
CREATE INDEX "insight_alerts_created_idx" ON "insight_alerts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "insight_hourly_category_hour_idx" ON "insight_hourly" USING btree ("category_key","hour");--> statement-breakpoint
CREATE INDEX "insight_hourly_tags_tag_hour_idx" ON "insight_hourly_tags" USING btree ("tag","hour");--> statement-breakpoint
CREATE INDEX "insight_shifts_weekday_idx" ON "insight_shifts" USING btree ("weekday");--> statement-breakpoint
CREATE INDEX "insight_facts_created_idx" ON "insight_ticket_facts" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "insight_facts_solved_idx" ON "insight_ticket_facts" USING btree ("solved_at");--> statement-breakpoint
CREATE INDEX "insight_facts_first_response_idx" ON "insight_ticket_facts" USING btree ("first_response_at");--> statement-breakpoint
CREATE INDEX "insight_facts_open_idx" ON "insight_ticket_facts" USING btree ("status") WHERE status NOT IN ('solved', 'closed');--> statement-breakpoint
CREATE INDEX "survey_followups_owner_idx" ON "survey_followups" USING btree ("owner_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "survey_requests_token_key" ON "survey_requests" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "survey_requests_customer_idx" ON "survey_requests" USING btree ("customer_id","created_at");--> statement-breakpoint
CREATE INDEX "survey_requests_answered_idx" ON "survey_requests" USING btree ("kind","answered_at");--> statement-breakpoint
CREATE INDEX "survey_requests_ticket_idx" ON "survey_requests" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "quality_reviews_agent_idx" ON "quality_reviews" USING btree ("agent_id","created_at");--> statement-breakpoint
CREATE INDEX "quality_reviews_ticket_idx" ON "quality_reviews" USING btree ("ticket_id");