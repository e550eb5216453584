#!/usr/bin/env bash
# Project-local PostgreSQL/PostGIS and Redis under var/, on Unix sockets.
#
#   scripts/services.sh start   start (or reuse) both services, write var/local.env
#                               (their URLs only)
#   scripts/services.sh stop    stop both
#   scripts/services.sh status  say what runs
#
# DATABASE_URL / CELERY_BROKER_URL in the environment mean "use that server
# instead": the matching local service is then neither created nor started.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR="$ROOT/var"
DB_NAME=${PANOPTIC_DB_NAME:-panoptic}
mkdir -p "$VAR"

say() { echo "services: $*"; }
die() { echo "services: $*" >&2; exit 1; }

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
IS_ROOT=0; [ "$(id -u)" = 0 ] && IS_ROOT=1

# Run a command as the cluster owner: the postgres system user when we are
# root (initdb refuses root), ourselves otherwise.
as_owner() {
  if [ "$IS_ROOT" = 1 ]; then
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The cluster lives in var/pg unless the postgres user cannot reach that
# folder (a checkout inside a mode-700 home, say) or the socket path would
# be too long for a Unix socket; then it lives in a per-checkout folder
# under /var/tmp, recorded in var/pg.location so every later run finds it.
pg_dir() {
  if [ -f "$VAR/pg.location" ]; then cat "$VAR/pg.location"; return; fi
  local dir="$VAR/pg" reachable=1
  if [ "$IS_ROOT" = 1 ] && ! runuser -u postgres -- test -x "$VAR"; then reachable=0; fi
  if [ "${#dir}" -gt 80 ]; then reachable=0; fi
  if [ "$reachable" = 0 ]; then
    dir="/var/tmp/panoptic-pg-$(printf '%s' "$ROOT" | sha1sum | cut -c1-12)"
  fi
  echo "$dir" > "$VAR/pg.location"
  echo "$dir"
}

pg_start() {
  [ -n "$PG_BIN" ] || die "PostgreSQL server binaries not found (install postgresql-15 and postgresql-15-postgis-3)"
  local dir data
  dir=$(pg_dir); data="$dir/data"
  mkdir -p "$dir"
  [ "$IS_ROOT" = 1 ] && chown postgres:postgres "$dir"
  chmod 700 "$dir"
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating PostgreSQL cluster in $data"
    as_owner "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
      || die "initdb failed, see $dir/initdb.log"
    cat >>"$data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
unix_socket_permissions = 0700
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
work_mem = 32MB
CONF
  fi
  if as_owner "$PG_BIN/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "PostgreSQL already running ($dir)"
  else
    rm -f "$data/postmaster.pid"
    as_owner "$PG_BIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 start >/dev/null \
      || die "PostgreSQL did not start, see $dir/postgres.log"
    say "PostgreSQL started ($dir)"
  fi
  local psql=("$PG_BIN/psql" -h "$dir" -U postgres -v ON_ERROR_STOP=1 -qAt)
  # The site's tables are read from memory (or an SSD): a page read out of order costs
  # about what the next one does, and the planner should know it, or a common search word
  # reads the whole table instead of the search index (clusters made before this line
  # get it too).
  if [ "$("${psql[@]}" -d postgres -c "SHOW random_page_cost")" != "1.1" ]; then
    "${psql[@]}" -d postgres -c "ALTER SYSTEM SET random_page_cost = 1.1" -c "SELECT pg_reload_conf()" >/dev/null
  fi
  "${psql[@]}" -d template1 -c "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null \
    || die "the PostGIS extension is missing (install postgresql-15-postgis-3)"
  if [ -z "$("${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname='$DB_NAME'")" ]; then
    "${psql[@]}" -d postgres -c "CREATE DATABASE $DB_NAME" >/dev/null
    say "database $DB_NAME created"
  fi
  echo "DATABASE_URL=postgis://postgres@/$DB_NAME?host=$dir" >>"$VAR/local.env.new"
}

pg_stop() {
  [ -f "$VAR/pg.location" ] || return 0
  local data; data="$(cat "$VAR/pg.location")/data"
  [ -f "$data/PG_VERSION" ] || return 0
  as_owner "$PG_BIN/pg_ctl" -D "$data" -m fast stop >/dev/null 2>&1 && say "PostgreSQL stopped" || true
}

redis_start() {
  command -v redis-server >/dev/null || die "redis-server not found (install redis-server)"
  local dir="$VAR/redis" sock
  mkdir -p "$dir"; sock="$dir/redis.sock"
  if [ -S "$sock" ] && redis-cli -s "$sock" ping >/dev/null 2>&1; then
    say "Redis already running ($sock)"
  else
    rm -f "$sock"
    redis-server --port 0 --unixsocket "$sock" --unixsocketperm 700 --daemonize yes \
      --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
      --save '' --appendonly no --maxmemory 512mb --maxmemory-policy volatile-lru >/dev/null
    for _ in $(seq 50); do redis-cli -s "$sock" ping >/dev/null 2>&1 && break; sleep 0.1; done
    redis-cli -s "$sock" ping >/dev/null 2>&1 || die "Redis did not start, see $dir/redis.log"
    say "Redis started ($sock)"
  fi
  echo "CELERY_BROKER_URL=redis+socket://$sock" >>"$VAR/local.env.new"
}

redis_stop() {
  local sock="$VAR/redis/redis.sock"
  [ -S "$sock" ] && redis-cli -s "$sock" shutdown nosave >/dev/null 2>&1 && say "Redis stopped" || true
}

case "${1:-start}" in
  start)
    rm -f "$VAR/local.env.new"; touch "$VAR/local.env.new"
    if [ -n "${DATABASE_URL:-}" ]; then say "using DATABASE_URL from the environment"; else pg_start; fi
    if [ -n "${CELERY_BROKER_URL:-}" ]; then say "using CELERY_BROKER_URL from the environment"; else redis_start; fi
    # Only the services' addresses: the development switch PANOPTIC_DEV=1 is never read
    # from this file (config/settings.py); the Makefile's development targets export it.
    mv "$VAR/local.env.new" "$VAR/local.env"
    ;;
  stop) redis_stop; pg_stop ;;
  status)
    [ -f "$VAR/local.env" ] && cat "$VAR/local.env" || say "not started" ;;
  *) die "usage: $0 start|stop|status" ;;
esac
