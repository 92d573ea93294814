#!/usr/bin/env bash
# Starts the whole platform on this machine: Kafka (and PostgreSQL with DB=postgres), migrations,
# the three APIs, their relays and consumers, demo data; prints the URLs; Ctrl-C stops it all.
#   bash deploy/local/up.sh          start and stay in the foreground
#   bash deploy/local/up.sh stop     stop what an earlier start left running
set -euo pipefail
REPO="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$REPO"
VAR="${HUHANG_VAR:-$REPO/var}"
RUN="$VAR/run"
LOG="$VAR/log"
BIN="$REPO/.venv/bin"
mkdir -p "$RUN" "$LOG"

stop_all() {
  local pidfile pid
  for pidfile in "$RUN"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    fi
  done
  for pidfile in "$RUN"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

if [ "${1:-}" = "stop" ]; then
  stop_all
  bash "$REPO/deploy/local/kafka.sh" stop
  [ -d "$VAR/pg" ] && bash "$REPO/deploy/local/postgres.sh" stop || true
  echo "huhang stopped"
  exit 0
fi

stop_all  # a second `make up` replaces the first instead of fighting it for the ports

bash "$REPO/deploy/local/kafka.sh" start
if [ "${DB:-sqlite}" = "postgres" ] && [ -z "${DATABASE_URL:-}" ]; then
  bash "$REPO/deploy/local/postgres.sh" start
  export DATABASE_URL="postgresql+psycopg://huhang:huhang@127.0.0.1:5433/huhang_{service}"
fi
echo "databases: ${DATABASE_URL:-SQLite files under $VAR}"
"$BIN/huhang" db upgrade
"$BIN/huhang" db seed | tee "$RUN/seed.txt"  # units, demo accounts (not in production), ...

start() {  # name, then the huhang arguments
  local name="$1"; shift
  setsid "$BIN/huhang" "$@" >>"$LOG/$name.log" 2>&1 &
  echo $! >"$RUN/$name.pid"
}
for svc in intake review notify; do
  start "$svc-api" serve "$svc"
  start "$svc-workers" workers "$svc"
done
start review-scheduler scheduler  # deadline.due_soon / deadline.overdue
trap 'echo; echo "stopping..."; stop_all; exit 0' INT TERM

for port in 8101 8102 8103; do
  for _ in $(seq 1 100); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
done
"$BIN/python" -m deploy.local.demo_data || echo "demo data: skipped (see above)"

cat <<TXT

huhang is running (logs: $LOG)
  intake  受理  http://127.0.0.1:8101/api/v1/petitions    OpenAPI http://127.0.0.1:8101/openapi.json
  review  审查  http://127.0.0.1:8102/api/v1/triage       OpenAPI http://127.0.0.1:8102/openapi.json
  notify  通知  http://127.0.0.1:8103/api/v1/deliveries   OpenAPI http://127.0.0.1:8103/openapi.json
  health        http://127.0.0.1:810{1,2,3}/readyz
  sign in       curl -s -X POST http://127.0.0.1:8102/api/v1/auth/token -H 'Content-Type: application/json' \
                  -d '{"username": "demo-12309", "password": "Demo!2026huhang"}'   (then: Authorization: Bearer <token>)
TXT
# The demo accounts and the TOTP secrets of those that need one (DEMO ONLY: README "Sign-in and roles").
awk '/demo accounts:/ {on=1; sub(/^review: /, ""); print "  " $0; next} on && /^    / {print; next} {on=0}' "$RUN/seed.txt"
echo "Ctrl-C (or 'make down' from another shell) stops everything."
while true; do
  alive=0
  for pidfile in "$RUN"/*.pid; do
    [ -e "$pidfile" ] || continue
    pid="$(cat "$pidfile" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      alive=$((alive + 1))
    else
      echo "$(basename "$pidfile" .pid) exited; see $LOG/$(basename "$pidfile" .pid).log" >&2
      rm -f "$pidfile"
    fi
  done
  if [ "$alive" -eq 0 ]; then
    echo "huhang stopped (every process has exited)"
    exit 0
  fi
  sleep 2 & wait $!
done
