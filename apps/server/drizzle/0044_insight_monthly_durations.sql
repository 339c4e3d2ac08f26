CREATE TABLE "insight_monthly_durations" (
	"month" date NOT NULL,
	"metric" text NOT NULL,
	"channel" text NOT NULL,
	"category_key" text NOT NULL,
	"team_key" text NOT NULL,
	"assignee_key" text NOT NULL,
	"language_key" text NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_monthly_durations_pkey" PRIMARY KEY("month","metric","channel","category_key","team_key","assignee_key","language_key","bucket")
);
--> statement-breakpoint
-- the months so far, from the daily histograms
INSERT INTO "insight_monthly_durations" ("month", "metric", "channel", "category_key", "team_key", "assignee_key",
  "language_key", "bucket", "count")
SELECT date_trunc('month', "day")::date, "metric", "channel", "category_key", "team_key", "assignee_key", "language_key",
       "bucket", sum("count")
  FROM "insight_daily_durations"
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
HAVING sum("count") <> 0;
