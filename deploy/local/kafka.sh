#!/usr/bin/env bash
# Local single-node Apache Kafka 4.x broker (KRaft, combined broker+controller), no Docker.
#
#   deploy/local/kafka.sh fetch            copy the broker jars (Maven) into $HUHANG_VAR/kafka/libs
#   deploy/local/kafka.sh start            fetch if needed, format storage once, start, wait until ready
#   deploy/local/kafka.sh stop             SIGTERM, wait (bounded), then SIGKILL
#   deploy/local/kafka.sh status           exit 0 running and answering, 3 stopped, 1 running but not answering
#   deploy/local/kafka.sh topics ARGS...   org.apache.kafka.tools.TopicCommand --bootstrap-server <broker> ARGS
#   deploy/local/kafka.sh tool CLASS ARGS  run any class from the jars (e.g. org.apache.kafka.tools.ConsoleProducer)
#
# Environment (all optional):
#   HUHANG_VAR             state root                          default <repo>/var
#   KAFKA_HOST             listener address                    default 127.0.0.1
#   KAFKA_PORT             PLAINTEXT (client) port             default 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller port               default 9093
#   KAFKA_HEAP_OPTS        broker heap flags                   default "-Xms256m -Xmx512m"
#   KAFKA_START_TIMEOUT    seconds to wait for readiness       default 90
#   KAFKA_STOP_TIMEOUT     seconds between SIGTERM and SIGKILL default 30
#   JAVA_HOME              JDK/JRE to use (17+)                default: java on PATH
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd -P)"
POM="$SCRIPT_DIR/kafka/pom.xml"

HUHANG_VAR="${HUHANG_VAR:-$REPO_ROOT/var}"
KAFKA_HOST="${KAFKA_HOST:-127.0.0.1}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
KAFKA_STOP_TIMEOUT="${KAFKA_STOP_TIMEOUT:-30}"

mkdir -p "$HUHANG_VAR"
HUHANG_VAR="$(cd "$HUHANG_VAR" && pwd -P)"
KDIR="$HUHANG_VAR/kafka"
LIBS="$KDIR/libs"
DATA="$KDIR/data"
CONF="$KDIR/server.properties"
LOG4J_SERVER="$KDIR/log4j2-server.properties"
LOG4J_TOOLS="$KDIR/log4j2-tools.properties"
ADMIN_CONF="$KDIR/admin.properties"
PIDFILE="$KDIR/kafka.pid"
LOGFILE="$KDIR/kafka.log"
CLUSTER_ID_FILE="$KDIR/cluster.id"
BOOTSTRAP="$KAFKA_HOST:$KAFKA_PORT"

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- prerequisites

JAVA=""
find_java() {
  [[ -n "$JAVA" ]] && return 0
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    apt_install openjdk-17-jre-headless
    JAVA="$(command -v java)" || die "java not found"
  fi
  local spec
  spec="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  [[ "${spec%%.*}" =~ ^[0-9]+$ && "${spec%%.*}" -ge 17 ]] \
    || die "Kafka 4.x needs Java 17+, $JAVA is version '${spec:-unknown}'"
}

need_mvn() {
  command -v mvn >/dev/null 2>&1 || apt_install maven
  command -v mvn >/dev/null 2>&1 || die "mvn not found"
}

apt_install() {
  [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 \
    || die "missing $*; install it (Debian: apt-get install -y $*)"
  log "installing $* with apt-get"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# A lock so that two concurrent start/stop/fetch calls do not race. fd 9 is closed for the broker.
lock() {
  mkdir -p "$KDIR"
  exec 9>"$KDIR/.lock"
  flock -w 300 9 || die "could not take $KDIR/.lock"
}

# ---------------------------------------------------------------- process helpers

# Echo the broker's pid if a broker started from *this* state dir is alive.
find_pid() {
  local pid cmd
  if [[ -f "$PIDFILE" ]]; then
    pid="$(cat "$PIDFILE" 2>/dev/null || true)"
    if [[ "$pid" =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then echo "$pid"; return 0; fi
  fi
  # pid file lost or stale: look for a broker running with our server.properties
  for cmd in /proc/[0-9]*/cmdline; do
    pid="${cmd#/proc/}"; pid="${pid%/cmdline}"
    is_our_broker "$pid" && { echo "$pid"; return 0; }
  done
  return 1
}

is_our_broker() {
  local pid="$1" state cmdline
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ -n "$state" && "$state" != Z && "$state" != X ]] || return 1
  cmdline="$(tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null || true)"
  grep -qx 'kafka.Kafka' <<<"$cmdline" && grep -qxF "$CONF" <<<"$cmdline"
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

tool_java() {
  # short-lived CLI JVMs: small heap, C1 only (starts faster), quiet logging
  find_java
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$LOG4J_TOOLS" -cp "$LIBS/*" "$@"
}

# ---------------------------------------------------------------- fetch

libs_complete() {
  [[ -f "$LIBS/.stamp" && "$(cat "$LIBS/.stamp")" == "$(sha256sum "$POM" | cut -d' ' -f1)" ]]
}

fetch_locked() {
  if libs_complete; then
    log "jars up to date in $LIBS"
    return 0
  fi
  if find_pid >/dev/null; then
    die "the broker is running on jars that differ from $POM; stop it first"
  fi
  need_mvn
  local hash tmp
  hash="$(sha256sum "$POM" | cut -d' ' -f1)"
  tmp="$KDIR/libs.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$tmp"
  log "fetching jars with Maven into $LIBS"
  if ! mvn -q -B -Dstyle.color=never -f "$POM" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$tmp" >"$KDIR/mvn.log" 2>&1; then
    cat "$KDIR/mvn.log" >&2
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed (output above, also in $KDIR/mvn.log)"
  fi
  compgen -G "$tmp/kafka_2.13-*.jar" >/dev/null && compgen -G "$tmp/log4j-slf4j-impl-*.jar" >/dev/null \
    || { rm -rf "$tmp"; die "Maven copied an incomplete set of jars"; }
  echo "$hash" >"$tmp/.stamp"
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  log "copied $(find "$LIBS" -name '*.jar' | wc -l) jars"
}

# ---------------------------------------------------------------- config

write_config() {
  mkdir -p "$DATA"
  cat >"$CONF" <<EOF
# Written by deploy/local/kafka.sh at every start; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
controller.listener.names=CONTROLLER
listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT,CONTROLLER://$KAFKA_HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_HOST:$KAFKA_PORT
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA
num.partitions=3
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=true
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=3
num.io.threads=8
log.retention.hours=168
log.segment.bytes=1073741824
log.retention.check.interval.ms=300000
EOF

  cat >"$LOG4J_SERVER" <<'EOF'
# Broker logging (Log4j 2): everything goes to stdout, which kafka.sh appends to kafka.log.
status = warn
name = huhang-kafka-server
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.network.name = kafka.network.RequestChannel$
logger.network.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
EOF
  write_tool_config
}

write_tool_config() {
  mkdir -p "$KDIR"
  cat >"$LOG4J_TOOLS" <<'EOF'
# CLI tools logging (Log4j 2): warnings and errors on stderr only.
status = error
name = huhang-kafka-tools
appender.err.type = Console
appender.err.name = STDERR
appender.err.target = SYSTEM_ERR
appender.err.layout.type = PatternLayout
appender.err.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.err.ref = STDERR
EOF

  cat >"$ADMIN_CONF" <<'EOF'
# Admin client settings for the readiness probe.
request.timeout.ms=5000
default.api.timeout.ms=10000
EOF
}

format_if_needed() {
  if [[ -f "$DATA/meta.properties" ]]; then
    return 0
  fi
  local cid
  if [[ -s "$CLUSTER_ID_FILE" ]]; then
    cid="$(cat "$CLUSTER_ID_FILE")"
  else
    cid="$(tool_java kafka.tools.StorageTool random-uuid | tail -n1)"
    [[ "$cid" =~ ^[A-Za-z0-9_-]{22}$ ]] || die "could not generate a cluster id (got '$cid')"
    echo "$cid" >"$CLUSTER_ID_FILE"
  fi
  log "formatting KRaft storage in $DATA (cluster id $cid)"
  tool_java kafka.tools.StorageTool format -t "$cid" -c "$CONF" >>"$LOGFILE" 2>&1 \
    || { tail -n 20 "$LOGFILE" >&2; die "kafka-storage format failed (see $LOGFILE)"; }
}

# ---------------------------------------------------------------- start / stop / status

start() {
  lock
  local pid
  if pid="$(find_pid)"; then
    echo "kafka: already running (pid $pid) on $BOOTSTRAP"
    return 0
  fi
  port_open "$KAFKA_HOST" "$KAFKA_PORT" && die "$BOOTSTRAP is already in use by another process"
  port_open "$KAFKA_HOST" "$KAFKA_CONTROLLER_PORT" \
    && die "$KAFKA_HOST:$KAFKA_CONTROLLER_PORT is already in use by another process"

  find_java
  fetch_locked
  write_config

  # keep kafka.log bounded across restarts
  if [[ -f "$LOGFILE" && $(stat -c %s "$LOGFILE") -gt $((50 * 1024 * 1024)) ]]; then
    mv -f "$LOGFILE" "$LOGFILE.1"
  fi
  echo "===== kafka.sh start $(date -Is) =====" >>"$LOGFILE"
  format_if_needed

  rm -f "$PIDFILE"
  local t0=$SECONDS
  # setsid -f: own session, so the broker outlives the calling shell and its process group;
  # the inner sh writes its own pid (then execs java, keeping that pid).
  # shellcheck disable=SC2086,SC2016
  (cd "$KDIR" && setsid -f /bin/sh -c 'echo $$ >"$0"; exec "$@"' "$PIDFILE" \
      "$JAVA" $KAFKA_HEAP_OPTS -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
      -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
      -Djava.awt.headless=true -Dkafka.logs.dir="$KDIR" \
      -Dlog4j2.configurationFile="$LOG4J_SERVER" \
      -cp "$LIBS/*" kafka.Kafka "$CONF" \
      >>"$LOGFILE" 2>&1 </dev/null 9>&-)

  local _
  for _ in $(seq 1 50); do [[ -s "$PIDFILE" ]] && break; sleep 0.1; done
  pid="$(cat "$PIDFILE" 2>/dev/null || true)"
  [[ "$pid" =~ ^[0-9]+$ ]] || die "broker did not start (no pid file); see $LOGFILE"
  log "started broker pid $pid, waiting up to ${KAFKA_START_TIMEOUT}s for $BOOTSTRAP"

  local deadline=$((SECONDS + KAFKA_START_TIMEOUT))
  while ((SECONDS < deadline)); do
    if ! is_our_broker "$pid"; then
      tail -n 40 "$LOGFILE" >&2
      rm -f "$PIDFILE"
      die "broker exited during startup; see $LOGFILE"
    fi
    # Cheap TCP check first; then a real Metadata round trip through the admin client.
    if port_open "$KAFKA_HOST" "$KAFKA_PORT" \
       && timeout 30 bash "${BASH_SOURCE[0]}" topics --list >/dev/null 2>&1; then
      echo "kafka: ready on $BOOTSTRAP (pid $pid, $((SECONDS - t0))s)"
      return 0
    fi
    sleep 0.5
  done
  tail -n 40 "$LOGFILE" >&2
  die "broker not ready after ${KAFKA_START_TIMEOUT}s (still running as pid $pid); see $LOGFILE"
}

stop() {
  lock
  local pid
  if ! pid="$(find_pid)"; then
    rm -f "$PIDFILE"
    echo "kafka: not running"
    return 0
  fi
  log "stopping broker pid $pid (SIGTERM, up to ${KAFKA_STOP_TIMEOUT}s)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + KAFKA_STOP_TIMEOUT))
  while is_our_broker "$pid" && ((SECONDS < deadline)); do sleep 0.5; done
  if is_our_broker "$pid"; then
    log "broker still alive after ${KAFKA_STOP_TIMEOUT}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while is_our_broker "$pid" && ((SECONDS < deadline)); do sleep 0.2; done
    is_our_broker "$pid" && die "pid $pid survived SIGKILL"
  fi
  rm -f "$PIDFILE"
  echo "kafka: stopped"
}

status() {
  local pid
  if ! pid="$(find_pid)"; then
    echo "kafka: stopped"
    return 3
  fi
  if port_open "$KAFKA_HOST" "$KAFKA_PORT"; then
    echo "kafka: running (pid $pid) on $BOOTSTRAP"
    return 0
  fi
  echo "kafka: running (pid $pid) but $BOOTSTRAP is not answering"
  return 1
}

usage() {
  sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  exit 2
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
  fetch) lock; fetch_locked ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  topics)
    libs_complete || die "jars not fetched yet: run '$0 fetch'"
    write_tool_config
    tool_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" \
      --command-config "$ADMIN_CONF" "$@" ;;
  tool)
    [[ $# -ge 1 ]] || usage
    libs_complete || die "jars not fetched yet: run '$0 fetch'"
    write_tool_config
    tool_java "$@" ;;
  *) usage ;;
esac
