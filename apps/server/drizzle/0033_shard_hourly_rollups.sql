ALTER TABLE "insight_hourly" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "insight_hourly_tags" ADD COLUMN "shard" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "insight_hourly" DROP CONSTRAINT "insight_hourly_hour_channel_category_key_team_key_assignee_key_language_key_pk";--> statement-breakpoint
ALTER TABLE "insight_hourly_tags" DROP CONSTRAINT "insight_hourly_tags_hour_tag_channel_pk";--> statement-breakpoint
ALTER TABLE "insight_hourly" ADD CONSTRAINT "insight_hourly_hour_channel_category_key_team_key_assignee_key_language_key_shard_pk" PRIMARY KEY("hour","channel","category_key","team_key","assignee_key","language_key","shard");--> statement-breakpoint
ALTER TABLE "insight_hourly_tags" ADD CONSTRAINT "insight_hourly_tags_hour_tag_channel_shard_pk" PRIMARY KEY("hour","tag","channel","shard");
