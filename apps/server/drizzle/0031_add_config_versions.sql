CREATE TABLE "config_versions" (
	"table_name" text PRIMARY KEY NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
-- Any change to a cached configuration table bumps its version in the same transaction (platform/config-cache.ts).
-- Versions come from a sequence, which never hands out a number twice: a change that rolls back leaves a version
-- no committed state will ever have, so a process that saw it inside that transaction cannot mistake it later.
CREATE SEQUENCE seva_config_version_seq;
--> statement-breakpoint
CREATE FUNCTION seva_bump_config_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO config_versions (table_name, version) VALUES (TG_TABLE_NAME, nextval('seva_config_version_seq'))
    ON CONFLICT (table_name) DO UPDATE SET version = EXCLUDED.version;
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER custom_fields_config_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON custom_fields
  FOR EACH STATEMENT EXECUTE FUNCTION seva_bump_config_version();
--> statement-breakpoint
CREATE TRIGGER routing_rules_config_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON routing_rules
  FOR EACH STATEMENT EXECUTE FUNCTION seva_bump_config_version();
--> statement-breakpoint
CREATE TRIGGER sla_policies_config_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sla_policies
  FOR EACH STATEMENT EXECUTE FUNCTION seva_bump_config_version();
--> statement-breakpoint
-- a rule's run count and last run are not configuration: counting a run must not empty every process's cache
CREATE TRIGGER automation_rules_config_version
  AFTER INSERT OR DELETE OR TRUNCATE OR UPDATE OF id, kind, name, description, position, active, events, conditions, actions, created_at, updated_at
  ON automation_rules FOR EACH STATEMENT EXECUTE FUNCTION seva_bump_config_version();
--> statement-breakpoint
INSERT INTO config_versions (table_name, version)
  SELECT t, nextval('seva_config_version_seq') FROM unnest(ARRAY['custom_fields', 'routing_rules', 'sla_policies', 'automation_rules']) AS t;
