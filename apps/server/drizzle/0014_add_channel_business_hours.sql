ALTER TABLE "channels" ADD COLUMN "business_hours" jsonb;--> statement-breakpoint
ALTER TABLE "channels" ADD COLUMN "away_replies" jsonb DEFAULT '{}'::jsonb NOT NULL;