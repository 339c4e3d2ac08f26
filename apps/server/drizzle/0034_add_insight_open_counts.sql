CREATE TABLE "insight_open_counts" (
	"channel" text NOT NULL,
	"category_key" text NOT NULL,
	"team_key" text NOT NULL,
	"assignee_key" text NOT NULL,
	"language_key" text NOT NULL,
	"open" integer DEFAULT 0 NOT NULL,
	"shard" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_open_counts_channel_category_key_team_key_assignee_key_language_key_shard_pk" PRIMARY KEY("channel","category_key","team_key","assignee_key","language_key","shard")
);
--> statement-breakpoint
-- backfill from the facts (afterwards maintained with them, see modules/insights/maintain-open-counts.ts)
INSERT INTO "insight_open_counts" ("channel", "category_key", "team_key", "assignee_key", "language_key", "open")
SELECT channel, coalesce(category_id::text, ''), coalesce(team_id::text, ''), coalesce(assignee_id::text, ''),
       coalesce(language, ''), count(*)
  FROM insight_ticket_facts WHERE status NOT IN ('solved', 'closed')
 GROUP BY 1, 2, 3, 4, 5;
