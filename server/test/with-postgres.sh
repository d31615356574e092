#!/usr/bin/env bash
# Runs CMD… with SLOTLOCK_TEST_PG pointing at a throw-away PostgreSQL cluster:
# created in a temporary folder, listening on 127.0.0.1 only, run by an
# unprivileged user, and stopped and removed on exit whatever CMD did.
#   server/test/with-postgres.sh ctest --test-dir build
# An SLOTLOCK_TEST_PG already set is used as it is (no cluster is started).
set -euo pipefail

if [ -n "${SLOTLOCK_TEST_PG:-}" ]; then
  "$@"
  exit $?
fi

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  echo "with-postgres: PostgreSQL's server is not installed (Debian package postgresql)" >&2
  exit 1
fi

# PostgreSQL refuses to run as root: run it as its own unprivileged user.
as_owner=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  as_owner=(runuser -u postgres --)
fi

dir=$(mktemp -d /tmp/slotlock-pg.XXXXXX)
chmod 755 "$dir"
[ "$(id -u)" = 0 ] && chown postgres "$dir"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

stop_cluster() {
  "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap stop_cluster EXIT
trap 'exit 130' INT TERM

"${as_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -U slotlock --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
  >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
# Durability is worthless for a cluster that lives as long as the tests.
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
"$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U slotlock slotlock_test

export SLOTLOCK_TEST_PG="postgres://slotlock@127.0.0.1:$port/slotlock_test"
echo "with-postgres: $SLOTLOCK_TEST_PG" >&2
rc=0
"$@" || rc=$?
exit $rc
