#!/usr/bin/env bash
# Local PostgreSQL server for development and tests, no Docker.
#
#   deploy/local/postgres.sh start          initdb once, start, wait until ready, ensure role + databases
#   deploy/local/postgres.sh stop           pg_ctl stop -m fast
#   deploy/local/postgres.sh status         exit 0 running and accepting connections, 3 stopped, 1 otherwise
#   deploy/local/postgres.sh createdb NAME  create database NAME (owner huhang) if missing; server must run
#   deploy/local/postgres.sh psql ARGS...   psql as huhang over 127.0.0.1 (default database huhang_test)
#
# Connect with: postgresql://huhang:huhang@127.0.0.1:5433/huhang_test  (trust auth on loopback)
#
# Environment (all optional):
#   HUHANG_VAR        state root                               default <repo>/var
#   PG_DIR            cluster dir (data/, run/, postgres.log)  default $HUHANG_VAR/pg
#   PG_PORT           TCP port on 127.0.0.1                    default 5433
#   PG_BIN            PostgreSQL bin dir                       default newest /usr/lib/postgresql/*/bin
#   PG_DATABASES      databases ensured at start               default "huhang_intake huhang_review huhang_notify huhang_test"
#   PG_START_TIMEOUT  seconds to wait for readiness            default 60
#
# PostgreSQL refuses to run as root: when run as root the cluster belongs to the `postgres` system user
# and every server command goes through `runuser -u postgres --`. Run as another user, it is that user's.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"

HUHANG_VAR="${HUHANG_VAR:-$REPO_ROOT/var}"
mkdir -p "$HUHANG_VAR"
HUHANG_VAR="$(cd "$HUHANG_VAR" && pwd -P)"
PG_DIR="${PG_DIR:-$HUHANG_VAR/pg}"
PG_PORT="${PG_PORT:-5433}"
PG_HOST=127.0.0.1
PG_START_TIMEOUT="${PG_START_TIMEOUT:-60}"
PG_DATABASES="${PG_DATABASES:-huhang_intake huhang_review huhang_notify huhang_test}"
APP_ROLE=huhang
APP_PASSWORD=huhang
PG_OS_USER=postgres

# Keep the caller's libpq settings from redirecting our own psql/pg_isready calls.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE PGOPTIONS PGDATA

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- binaries and user

find_pg_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/pg_ctl" ]] || die "PG_BIN=$PG_BIN has no pg_ctl"
    return 0
  fi
  local ctl
  ctl="$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1 || true)"
  if [[ -z "$ctl" ]]; then
    [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 \
      || die "PostgreSQL server binaries not found; install them (Debian: apt-get install -y postgresql)"
    log "PostgreSQL server not installed: apt-get install -y postgresql"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    ctl="$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -n1 || true)"
    [[ -n "$ctl" ]] || die "apt-get install postgresql did not provide pg_ctl"
  fi
  PG_BIN="$(dirname "$ctl")"
}

# Run a command as the cluster owner (from / so that the cwd is always accessible to it).
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# ---------------------------------------------------------------- layout

DATA=""; RUN=""; LOGFILE=""

fallback_dir() { echo "/var/lib/huhang-pg/$(printf '%s' "$1" | sha256sum | cut -c1-12)"; }

# For stop/status/createdb: follow a fallback chosen by an earlier start (see prepare_dirs).
resolve_dir() {
  local fb
  fb="$(fallback_dir "$PG_DIR")"
  if [[ ! -d "$PG_DIR/data" && -d "$fb/data" ]]; then PG_DIR="$fb"; fi
  set_layout
}

set_layout() {
  DATA="$PG_DIR/data"
  RUN="$PG_DIR/run"
  LOGFILE="$PG_DIR/postgres.log"
  # A unix socket path must fit in sun_path (107 bytes); fall back to /tmp for very deep checkouts.
  if (( ${#RUN} + ${#PG_PORT} + 12 > 100 )); then
    RUN="/tmp/huhang-pg-$(printf '%s' "$PG_DIR" | sha256sum | cut -c1-12)"
  fi
}

# Make $PG_DIR reachable and owned by the postgres user (root only).
prepare_dirs() {
  resolve_dir
  if [[ $EUID -ne 0 ]]; then
    mkdir -p "$PG_DIR" "$RUN"
    return 0
  fi
  id "$PG_OS_USER" >/dev/null 2>&1 || die "system user '$PG_OS_USER' does not exist (is the postgresql package installed?)"
  mkdir -p "$PG_DIR" "$RUN"
  if ! as_pg test -x "$PG_DIR"; then
    # open the search (x) bit for others on every parent that lacks it
    local d="$PG_DIR" parents=()
    while [[ "$d" != "/" ]]; do d="$(dirname "$d")"; parents=("$d" "${parents[@]}"); done
    for d in "${parents[@]}"; do
      if ! as_pg test -x "$d"; then
        log "chmod o+x $d (so that user $PG_OS_USER can reach $PG_DIR)"
        chmod o+x "$d" 2>/dev/null || true
      fi
    done
  fi
  if ! as_pg test -x "$PG_DIR"; then
    local fallback
    fallback="$(fallback_dir "$PG_DIR")"
    log "NOTE: user $PG_OS_USER cannot reach $PG_DIR; using $fallback instead (set PG_DIR to choose)"
    PG_DIR="$fallback"
    set_layout
    mkdir -p "$PG_DIR" "$RUN"
  fi
  # chown only what is not yet owned (the data dir may be large)
  [[ "$(stat -c %U "$PG_DIR")" == "$PG_OS_USER" ]] || chown -R "$PG_OS_USER:$PG_OS_USER" "$PG_DIR"
  [[ "$(stat -c %U "$RUN")" == "$PG_OS_USER" ]] || chown "$PG_OS_USER:$PG_OS_USER" "$RUN"
  chmod 0755 "$PG_DIR"
  chmod 0775 "$RUN"
}

lock() {
  exec 9>"$PG_DIR/.lock"
  flock -w 300 9 || die "could not take $PG_DIR/.lock"
}

# ---------------------------------------------------------------- cluster

init_cluster() {
  [[ -f "$DATA/PG_VERSION" ]] && return 0
  local locale=C.UTF-8
  locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$' || locale=C
  log "initdb $DATA (UTF8, locale $locale, trust auth on local/loopback)"
  as_pg "$PG_BIN/initdb" -D "$DATA" --username=postgres --auth=trust \
    --encoding=UTF8 --locale="$locale" >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; die "initdb failed"; }
  if ! grep -q "huhang.conf" "$DATA/postgresql.conf"; then
    printf "\n# local settings written by deploy/local/postgres.sh\ninclude_if_exists = 'huhang.conf'\n" \
      | as_pg tee -a "$DATA/postgresql.conf" >/dev/null
  fi
}

write_conf() {
  as_pg tee "$DATA/huhang.conf" >/dev/null <<EOF
# Written by deploy/local/postgres.sh at every start; edit the script, not this file.
listen_addresses = '$PG_HOST'
port = $PG_PORT
unix_socket_directories = '$RUN'
max_connections = 200
shared_buffers = 128MB
# durability stays on: tests exercise it
fsync = on
synchronous_commit = on
full_page_writes = on
log_line_prefix = '%m [%p] %q%u@%d '
log_timezone = 'UTC'
EOF
}

# Is the postmaster named in postmaster.pid alive? (Like `pg_ctl status`, but a zombie left by a
# crashed/killed postmaster counts as dead, and a recycled pid of another program is ignored.)
running() {
  local pid state
  [[ -f "$DATA/postmaster.pid" ]] || return 1
  pid="$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z && "$state" != X ]] || return 1
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == postgres* ]]
}

# After a crash/kill the old postmaster can linger a moment as a zombie while its children exit;
# a new postmaster would refuse to start until it is gone (lock file, shared memory still attached).
wait_dead_postmaster() {
  local pid i
  pid="$(head -n1 "$DATA/postmaster.pid" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  for ((i = 0; i < 60; i++)); do
    [[ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" == Z ]] || return 0
    sleep 0.25
  done
  return 0
}

ready() { "$PG_BIN/pg_isready" -q -h "$PG_HOST" -p "$PG_PORT" -d postgres -U postgres -t 2; }

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

psql_admin() {
  as_pg "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 -h "$RUN" -p "$PG_PORT" -U postgres -d postgres "$@"
}

ensure_role() {
  psql_admin <<EOF
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_ROLE') THEN
    CREATE ROLE $APP_ROLE LOGIN SUPERUSER PASSWORD '$APP_PASSWORD';
  END IF;
END
\$\$;
EOF
}

ensure_db() {
  local name="$1"
  [[ "$name" =~ ^[A-Za-z_][A-Za-z0-9_]{0,62}$ ]] || die "invalid database name '$name' (letters, digits, _)"
  if [[ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" == 1 ]]; then
    return 0
  fi
  psql_admin -c "CREATE DATABASE \"$name\" OWNER $APP_ROLE"
  log "created database $name"
}

# ---------------------------------------------------------------- commands

start() {
  find_pg_bin
  prepare_dirs
  lock
  if running; then
    echo "postgres: already running on $PG_HOST:$PG_PORT ($DATA)"
  fi
  if ! running; then
    wait_dead_postmaster
    port_open "$PG_HOST" "$PG_PORT" && die "$PG_HOST:$PG_PORT is already in use by another process"
    init_cluster
    write_conf
    [[ -f "$LOGFILE" && $(stat -c %s "$LOGFILE") -gt $((50 * 1024 * 1024)) ]] && mv -f "$LOGFILE" "$LOGFILE.1"
    log "starting PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on $PG_HOST:$PG_PORT"
    # fd 9 (our lock) must not be inherited by the postmaster
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$LOGFILE" -w -t "$PG_START_TIMEOUT" start >/dev/null 9>&- \
      || { tail -n 30 "$LOGFILE" >&2; die "pg_ctl start failed (see $LOGFILE)"; }
  fi
  local deadline=$((SECONDS + PG_START_TIMEOUT))
  until ready; do
    ((SECONDS < deadline)) || { tail -n 30 "$LOGFILE" >&2; die "not ready after ${PG_START_TIMEOUT}s"; }
    sleep 0.5
  done
  ensure_role
  local db
  for db in $PG_DATABASES; do ensure_db "$db"; done
  echo "postgres: ready on $PG_HOST:$PG_PORT (postgresql://$APP_ROLE:$APP_PASSWORD@$PG_HOST:$PG_PORT/huhang_test)"
}

stop() {
  resolve_dir
  if ! running; then
    echo "postgres: not running"
    return 0
  fi
  find_pg_bin
  lock
  if ! running; then
    echo "postgres: not running"
    return 0
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w -t 60 stop >/dev/null
  echo "postgres: stopped"
}

status() {
  resolve_dir
  if ! running; then
    echo "postgres: stopped"
    return 3
  fi
  find_pg_bin
  if ready; then
    echo "postgres: running on $PG_HOST:$PG_PORT ($DATA)"
    return 0
  fi
  echo "postgres: running but not accepting connections on $PG_HOST:$PG_PORT"
  return 1
}

createdb_cmd() {
  [[ $# -eq 1 ]] || die "usage: $0 createdb NAME"
  find_pg_bin
  resolve_dir
  running && ready || die "server not running; run '$0 start' first"
  lock
  ensure_db "$1"
  echo "postgres: database $1 present"
}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  createdb) createdb_cmd "$@" ;;
  psql)
    find_pg_bin
    PGPASSWORD="$APP_PASSWORD" exec "$PG_BIN/psql" -h "$PG_HOST" -p "$PG_PORT" -U "$APP_ROLE" \
      -d huhang_test "$@" ;;
  *) usage ;;
esac
