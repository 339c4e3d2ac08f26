-- Every process keeps signed-in credentials in memory (platform/auth/credential-cache.ts, decision 0012). Any change
-- that may end or narrow one — a session ended, a token revoked, re-scoped or expired, a staff member disabled or
-- given another role — NOTIFYs seva_credentials when it commits, and every process empties its cache. The columns
-- written on every use (a session's last_seen_at, a token's last_used_at, a sign-in's last_login_at) are left out,
-- so using a credential never empties anyone's cache; any other column, including one added later, counts.
-- Inserts change nothing cached (only credentials that exist are kept). Identical notifications of one transaction
-- are delivered once.
CREATE FUNCTION seva_notify_credentials() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('seva_credentials', '');
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER sessions_credentials_updated AFTER UPDATE ON sessions FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_seen_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_seen_at'))
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER sessions_credentials_deleted AFTER DELETE ON sessions FOR EACH ROW
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER sessions_credentials_truncated AFTER TRUNCATE ON sessions FOR EACH STATEMENT
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER api_tokens_credentials_updated AFTER UPDATE ON api_tokens FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_used_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_used_at'))
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER api_tokens_credentials_deleted AFTER DELETE ON api_tokens FOR EACH ROW
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER api_tokens_credentials_truncated AFTER TRUNCATE ON api_tokens FOR EACH STATEMENT
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER staff_users_credentials_updated AFTER UPDATE ON staff_users FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_login_at' - 'updated_at') IS DISTINCT FROM (to_jsonb(NEW) - 'last_login_at' - 'updated_at'))
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER staff_users_credentials_deleted AFTER DELETE ON staff_users FOR EACH ROW
  EXECUTE FUNCTION seva_notify_credentials();
--> statement-breakpoint
CREATE TRIGGER staff_users_credentials_truncated AFTER TRUNCATE ON staff_users FOR EACH STATEMENT
  EXECUTE FUNCTION seva_notify_credentials();
