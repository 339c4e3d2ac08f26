CREATE TABLE "insight_daily_durations" (
	"day" date NOT NULL,
	"metric" text NOT NULL,
	"channel" text NOT NULL,
	"category_key" text NOT NULL,
	"team_key" text NOT NULL,
	"assignee_key" text NOT NULL,
	"language_key" text NOT NULL,
	"bucket" smallint NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "insight_daily_durations_pkey" PRIMARY KEY("day","metric","channel","category_key","team_key","assignee_key","language_key","bucket")
);
--> statement-breakpoint
CREATE INDEX "messages_handled_created_idx" ON "messages" USING btree ("created_at") WHERE handle_seconds > 0;--> statement-breakpoint
-- the histograms of the tickets already answered or solved (modules/insights/maintain-duration-histograms.ts
-- rebuilds them the same way; the thresholds are duration-buckets.ts's WIDTH_BUCKET_THRESHOLDS)
INSERT INTO "insight_daily_durations" ("day", "metric", "channel", "category_key", "team_key", "assignee_key", "language_key", "bucket", "count")
SELECT day, metric, channel, c, tm, a, l, bucket, count(*)
  FROM (
    SELECT (first_response_at AT TIME ZONE 'UTC')::date AS day, 'first_response' AS metric, channel,
           coalesce(category_id::text, '') AS c, coalesce(team_id::text, '') AS tm, coalesce(assignee_id::text, '') AS a,
           coalesce(language, '') AS l, width_bucket(first_response_seconds, '{1,2,3,4,5,6,7,8,9,10,11,13,16,19,21,23,28,31,34,41,46,49,59,61,71,85,91,102,121,123,148,178,181,214,257,301,309,371,445,534,601,641,769,901,923,1108,1201,1330,1596,1801,1915,2298,2701,2758,3310,3601,3972,4767,5401,5721,6865,7201,8238,9886,10801,11863,14236,14401,17083,20500,21601,24600,28801,29520,35424,42509,43201,51011,61213,73456,86401,88147,105777,126933,152320,172801,182784,219341,259201,263209,315851,345601,379021,432001,454825,545790,604801,654948,785938,943126,1131751,1209601,1358101,1629721,1955665,2346798,2592001,2816158,3379390,4055268,4866322,5839587,7007505,8409006,10090807,12108969,14530763,17436916,20924299,25109159,30130991,36157189,43388627,52066353,62479624,74975549,89970659,107964791,129557749,155469299,186563159,223875791,268650949,322381139,386857367,464228841,557074609,668489531,802187437,962624925,1155149910,1386179892,1663415871}'::int[]) AS bucket
      FROM insight_ticket_facts WHERE first_response_at IS NOT NULL
    UNION ALL
    SELECT (solved_at AT TIME ZONE 'UTC')::date, 'resolution', channel, coalesce(category_id::text, ''),
           coalesce(team_id::text, ''), coalesce(assignee_id::text, ''), coalesce(language, ''),
           width_bucket(resolution_seconds, '{1,2,3,4,5,6,7,8,9,10,11,13,16,19,21,23,28,31,34,41,46,49,59,61,71,85,91,102,121,123,148,178,181,214,257,301,309,371,445,534,601,641,769,901,923,1108,1201,1330,1596,1801,1915,2298,2701,2758,3310,3601,3972,4767,5401,5721,6865,7201,8238,9886,10801,11863,14236,14401,17083,20500,21601,24600,28801,29520,35424,42509,43201,51011,61213,73456,86401,88147,105777,126933,152320,172801,182784,219341,259201,263209,315851,345601,379021,432001,454825,545790,604801,654948,785938,943126,1131751,1209601,1358101,1629721,1955665,2346798,2592001,2816158,3379390,4055268,4866322,5839587,7007505,8409006,10090807,12108969,14530763,17436916,20924299,25109159,30130991,36157189,43388627,52066353,62479624,74975549,89970659,107964791,129557749,155469299,186563159,223875791,268650949,322381139,386857367,464228841,557074609,668489531,802187437,962624925,1155149910,1386179892,1663415871}'::int[])
      FROM insight_ticket_facts WHERE solved_at IS NOT NULL) x
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
