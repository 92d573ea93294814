#!/usr/bin/env bash
# Starts the whole platform on this machine: Kafka (and PostgreSQL with DB=postgres), migrations,
# the three APIs, their relays and consumers, the front door (nginx, deploy/local/proxy.sh) in
# front of them, demo data; prints the door's URL first; Ctrl-C stops it all.
#   bash deploy/local/up.sh          start and stay in the foreground
#   bash deploy/local/up.sh stop     stop what an earlier start left running (the door too)
# Ports: HUHANG_HTTP_PORT (the door, 8100) and HUHANG_<SERVICE>_PORT (8101-8103). With its own
# HUHANG_VAR and HUHANG_TOPIC_PREFIX, and HUHANG_KAFKA_EXTERNAL=1 (use the broker at
# KAFKA_BOOTSTRAP_SERVERS; never start or stop one here), a second stack runs beside the first.
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
  bash "$REPO/deploy/local/proxy.sh" stop
  stop_all
  [ "${HUHANG_KAFKA_EXTERNAL:-}" = 1 ] || bash "$REPO/deploy/local/kafka.sh" stop
  [ -d "$VAR/pg" ] && bash "$REPO/deploy/local/postgres.sh" stop || true
  echo "huhang stopped"
  exit 0
fi

stop_all  # a second `make up` replaces the first instead of fighting it for the ports
DOOR="$("$BIN/python" -m deploy.local.nginx_conf url)"
echo "huhang: starting; everything will be at $DOOR"

if [ "${HUHANG_KAFKA_EXTERNAL:-}" = 1 ]; then
  echo "broker: ${KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092} (HUHANG_KAFKA_EXTERNAL=1: not started here)"
else
  bash "$REPO/deploy/local/kafka.sh" start
fi
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
trap 'echo; echo "stopping..."; bash "$REPO/deploy/local/proxy.sh" stop; stop_all; exit 0' INT TERM

# The door after the services: it is rendered from their routes and ports, and waits for them
# through itself (a 502 until a service answers).
bash "$REPO/deploy/local/proxy.sh" start
for svc in intake review notify; do
  for _ in $(seq 1 100); do
    curl -fsS "${DOOR}healthz/$svc" >/dev/null 2>&1 && break
    sleep 0.2
  done
done
"$BIN/python" -m deploy.local.demo_data || echo "demo data: skipped (see above)"

cat <<TXT

huhang is running at $DOOR   (logs: $LOG and $VAR/proxy/log)
  staff portal  ${DOOR}           sign in as a demo account below (工作人员登录)
  public pages  ${DOOR}public/    12309 检察服务 · 12368 诉讼服务, 案件进度查询
TXT
"$BIN/python" -m deploy.local.nginx_conf urls | tail -n +2
cat <<TXT
  sign in       curl -s -X POST ${DOOR}api/v1/auth/token -H 'Content-Type: application/json' \
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
  door_pid="$(cat "$VAR/proxy/nginx.pid" 2>/dev/null || true)"
  if [ -z "${door_gone:-}" ] && ! { [ -n "$door_pid" ] && kill -0 "$door_pid" 2>/dev/null; }; then
    door_gone=1
    echo "the front door (nginx) is not running; see $VAR/proxy/log/error.log ('make proxy-up' restarts it)" >&2
  fi
  if [ "$alive" -eq 0 ]; then
    echo "huhang stopped (every process has exited)"
    exit 0
  fi
  sleep 2 & wait $!
done
