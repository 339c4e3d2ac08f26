#!/usr/bin/env bash
# Starts a throwaway Debian PostgreSQL cluster on a free loopback port (as the postgres user), runs the server
# integration tests against it through DATABASE_URL, and removes the cluster again.
set -euo pipefail
cd "$(dirname "$0")/.."

pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
work=$(mktemp -d /tmp/seva-ci-pg.XXXXXX)
chown postgres:postgres "$work"
port=$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
password=$(node -e "console.log(require('crypto').randomBytes(18).toString('base64url'))")
printf '%s\n' "$password" > "$work/pw"
chown postgres:postgres "$work/pw"

runuser -u postgres -- "$pgbin/initdb" -D "$work/data" -U seva --pwfile="$work/pw" --auth=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 >/dev/null
cleanup() {
  runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
runuser -u postgres -- "$pgbin/pg_ctl" -D "$work/data" -l "$work/log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work -c max_connections=200" start \
  || { cat "$work/log"; exit 1; }

DATABASE_URL="postgres://seva:${password}@127.0.0.1:${port}/postgres" npx vitest run --project server "$@"
