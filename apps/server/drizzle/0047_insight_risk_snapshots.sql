CREATE TABLE "insight_risk_snapshots" (
	"days" integer PRIMARY KEY NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	"basis" jsonb NOT NULL,
	"at_risk" jsonb NOT NULL,
	"low_engagement" jsonb NOT NULL
);
