#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster: initdb in a temporary directory, start it on
# a Unix socket only (no TCP port), export DATABASE_URL for the command, then stop the cluster and
# delete it, whatever the command's outcome. Used by `make test` for the database-touching tests.
# Needs Debian's postgresql package (scripts/ensure-debs.sh installs it). As root, the cluster runs
# as the `postgres` user, since PostgreSQL refuses to run as root.
set -euo pipefail
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "with-postgres: PostgreSQL server binaries not found (install Debian's postgresql package)" >&2
  exit 2
fi
DIR=$(mktemp -d "${TMPDIR:-/tmp}/hostpolicy-pg.XXXXXX")
chmod 755 "$DIR"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$DIR"
  AS=(runuser -u postgres --)
  DBUSER=postgres
else
  AS=()
  DBUSER=$(id -un)
fi
PORT=$(( 20000 + RANDOM % 20000 ))
cleanup() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap cleanup EXIT INT TERM
"${AS[@]}" "$BIN/initdb" -D "$DIR/data" -U "$DBUSER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
  || { cat "$DIR/initdb.log" >&2; exit 2; }
"${AS[@]}" "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 \
  -o "-k $DIR -p $PORT -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null \
  || { cat "$DIR/server.log" >&2; exit 2; }
"${AS[@]}" "$BIN/createdb" -h "$DIR" -p "$PORT" -U "$DBUSER" hostpolicy

export DATABASE_URL="postgres://$DBUSER@/hostpolicy?host=$DIR&port=$PORT"
echo "with-postgres: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on $DIR (port $PORT)"
"$@"
