CREATE TABLE "insight_daily" (
	"day" timestamp with time zone NOT NULL,
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
	"shard" smallint DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_daily_pkey" PRIMARY KEY("day","channel","category_key","team_key","assignee_key","language_key","shard")
);
--> statement-breakpoint
-- the days so far, from the hourly rollup (a row per day and combination of dimensions; shard 0)
INSERT INTO "insight_daily" ("day", "channel", "category_key", "team_key", "assignee_key", "language_key", "shard",
  "created", "solved", "first_responses", "first_response_seconds_sum", "resolution_seconds_sum")
SELECT date_trunc('day', "hour", 'UTC'), "channel", "category_key", "team_key", "assignee_key", "language_key", 0,
       sum("created"), sum("solved"), sum("first_responses"), sum("first_response_seconds_sum"), sum("resolution_seconds_sum")
  FROM "insight_hourly"
 GROUP BY 1, 2, 3, 4, 5, 6
HAVING sum("created") <> 0 OR sum("solved") <> 0 OR sum("first_responses") <> 0
    OR sum("first_response_seconds_sum") <> 0 OR sum("resolution_seconds_sum") <> 0;
