#!/usr/bin/env bash
# A throw-away PostgreSQL server for the database tests and benchmarks:
# Debian's PostgreSQL 15 binaries, a cluster in a temporary directory, a
# private port on loopback only, fsync off (the data are disposable).
#   tools/postgres.sh start   initdb + pg_ctl start; creates database "zhetysu"
#   tools/postgres.sh stop    stops the server and removes the directory
# Settings (environment): ZHETYSU_PG_PORT (default 55432), ZHETYSU_PG_DIR
# (default /tmp/zhetysu-pg-$ZHETYSU_PG_PORT). The tests connect with
# ZHETYSU_PG_HOST=127.0.0.1 ZHETYSU_PG_PORT ZHETYSU_PG_USER=postgres
# ZHETYSU_PG_DB=zhetysu.
set -euo pipefail
PORT="${ZHETYSU_PG_PORT:-55432}"
DIR="${ZHETYSU_PG_DIR:-/tmp/zhetysu-pg-$PORT}"
BIN=/usr/lib/postgresql/15/bin
# No JIT compilation: it costs ~0.1 s per query, more than it saves on a
# GROUP BY of a few columns (bench/bench-database.R, 1e7 rows).
TUNE="-c jit=off"

# as the postgres user when we are root (initdb refuses to run as root)
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_server() {
  if [ -x "$BIN/initdb" ]; then return; fi
  if [ "$(id -u)" != 0 ]; then
    echo "postgres.sh: $BIN/initdb is missing; run as root to install postgresql-15" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # the binaries only: the Debian package would start its own cluster
  apt-get install -y -q --no-install-recommends postgresql-15 postgresql-client-15
}

start() {
  install_server
  if [ -f "$DIR/data/postmaster.pid" ] && as_pg "$BIN/pg_ctl" -D "$DIR/data" status >/dev/null 2>&1; then
    echo "postgres.sh: already running on port $PORT"
    return
  fi
  rm -rf "$DIR"
  mkdir -p "$DIR"
  [ "$(id -u)" = 0 ] && chown postgres: "$DIR"
  as_pg "$BIN/initdb" -D "$DIR/data" -U postgres -A trust -E UTF8 --locale=C >"$DIR/initdb.log"
  as_pg "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/server.log" -w -t 60 start \
    -o "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off $TUNE"
  as_pg "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres zhetysu
  echo "postgres.sh: PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT, database zhetysu"
}

stop() {
  if [ -d "$DIR/data" ]; then
    as_pg "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop || true
  fi
  rm -rf "$DIR"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
