#!/usr/bin/env bash
# The front door on this machine: Debian's nginx as an unprivileged reverse proxy, one origin for
# every service (docs/adr/0007-one-front-door.md).
#
#   deploy/local/proxy.sh start    render the config, test it, start nginx (reload it if running), wait until it answers
#   deploy/local/proxy.sh stop     graceful stop (SIGQUIT), bounded wait, then SIGTERM / SIGKILL
#   deploy/local/proxy.sh status   exit 0 running and answering, 3 stopped, 1 running but not answering
#   deploy/local/proxy.sh config   render and test the config, print it
#
# The config is rendered by deploy/local/nginx_conf.py from the route table (the services'
# manifests); never edit var/proxy/nginx.conf. Everything nginx writes lives under
# $HUHANG_VAR/proxy: nginx.conf, nginx.pid, tmp/, log/error.log, log/access.log, errors/*.json
# (run as root with a var/proxy that user nobody cannot enter, tmp/ and errors/ move to
# /tmp/huhang-proxy-<hash>/: nginx_conf.py says so).
#
# Environment (all optional):
#   HUHANG_VAR              state root                                default <repo>/var
#   HUHANG_HTTP_PORT        the door's port                           default 8100
#   HUHANG_<SERVICE>_PORT   where each service listens                default its manifest's (8101-8103)
#   HUHANG_TLS_CERT/_KEY    PEM files: listen with TLS, send HSTS     default plain HTTP
#   HUHANG_PYTHON           the project's Python                      default <repo>/.venv/bin/python
#   NGINX                   the nginx binary                          default nginx on PATH, else /usr/sbin/nginx
#   PROXY_START_TIMEOUT     seconds to wait until the door answers    default 15
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
export HUHANG_VAR="${HUHANG_VAR:-$REPO_ROOT/var}"
mkdir -p "$HUHANG_VAR"
HUHANG_VAR="$(cd "$HUHANG_VAR" && pwd -P)"
PDIR="$HUHANG_VAR/proxy"
CONF="$PDIR/nginx.conf"
PIDFILE="$PDIR/nginx.pid"
ERRLOG="$PDIR/log/error.log"
PY="${HUHANG_PYTHON:-$REPO_ROOT/.venv/bin/python}"
PROXY_START_TIMEOUT="${PROXY_START_TIMEOUT:-15}"

log() { printf 'proxy.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

find_nginx() {
  if [[ -n "${NGINX:-}" ]]; then
    [[ -x "$NGINX" ]] || die "NGINX=$NGINX is not executable"
  elif command -v nginx >/dev/null 2>&1; then
    NGINX="$(command -v nginx)"
  elif [[ -x /usr/sbin/nginx ]]; then
    NGINX=/usr/sbin/nginx  # Debian puts it in sbin, which is not on an ordinary user's PATH
  else
    die "nginx is not installed: run 'make packages' (Debian: apt-get install -y nginx-light)"
  fi
}

nginx_cmd() { (cd "$PDIR" && "$NGINX" -p "$PDIR/" -c "$CONF" -e "$ERRLOG" "$@"); }

URL=""
render() {  # sets URL
  [[ -x "$PY" ]] || die "$PY not found: run 'make venv' first (the config is rendered by deploy/local/nginx_conf.py)"
  URL="$(cd "$REPO_ROOT" && "$PY" -m deploy.local.nginx_conf write)" || die "rendering $CONF failed"
  local out
  out="$(nginx_cmd -t -q 2>&1)" || { printf '%s\n' "$out" >&2; die "nginx rejects $CONF"; }
}

door_url() { (cd "$REPO_ROOT" && "$PY" -m deploy.local.nginx_conf url); }

find_pid() {
  local pid
  [[ -f "$PIDFILE" ]] || return 1
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
  # A stale pid file whose number now belongs to another program is not our nginx.
  [[ "$(cat "/proc/$pid/comm" 2>/dev/null || true)" == nginx ]] || return 1
  echo "$pid"
}

answers() {  # any HTTP answer at all (a 502 while services start is still nginx answering)
  local code
  code="$(curl -ks -o /dev/null -w '%{http_code}' --max-time 2 "$1" 2>/dev/null || true)"
  [[ "$code" =~ ^[1-5][0-9][0-9]$ ]]
}

start() {
  find_nginx
  render
  local pid url="$URL"
  if pid="$(find_pid)"; then
    nginx_cmd -s reload
    echo "proxy: reloaded (pid $pid) at $url"
    return 0
  fi
  answers "$url" && die "$url is already answered by another process (set HUHANG_HTTP_PORT)"
  rm -f "$PIDFILE"
  echo "===== proxy.sh start $(date -Is) =====" >>"$ERRLOG"
  nginx_cmd || { tail -n 20 "$ERRLOG" >&2; die "nginx did not start (see $ERRLOG)"; }
  local deadline=$((SECONDS + PROXY_START_TIMEOUT))
  until find_pid >/dev/null && answers "$url"; do
    (( SECONDS < deadline )) || { tail -n 20 "$ERRLOG" >&2; die "nginx did not answer at $url within ${PROXY_START_TIMEOUT}s"; }
    sleep 0.1
  done
  echo "proxy: running (pid $(find_pid)) at $url"
}

stop() {
  local pid
  if ! pid="$(find_pid)"; then
    rm -f "$PIDFILE"
    echo "proxy: not running"
    return 0
  fi
  kill -QUIT "$pid" 2>/dev/null || true  # graceful: finish the requests in flight
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    log "nginx (pid $pid) still running after 10 s: SIGTERM"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 25); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$PIDFILE"
  # The workers' own directory under /tmp, when they could not enter var/proxy (nginx_conf.py).
  local workers
  workers="$(cd "$REPO_ROOT" && "$PY" -m deploy.local.nginx_conf workers 2>/dev/null || true)"
  if [[ -n "$workers" && "$workers" != "$PDIR" && "$workers" == /tmp/huhang-proxy-* ]]; then
    rm -rf -- "$workers"
  fi
  echo "proxy: stopped"
}

status() {
  local pid url
  if ! pid="$(find_pid)"; then
    echo "proxy: stopped"
    return 3
  fi
  url="$(door_url)"
  if answers "$url"; then
    echo "proxy: running (pid $pid) at $url"
    return 0
  fi
  echo "proxy: running (pid $pid) but $url is not answering"
  return 1
}

config() {
  find_nginx
  render
  cat "$CONF"
}

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  config) config ;;
  *) usage ;;
esac
