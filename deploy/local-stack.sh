#!/usr/bin/env bash
# Lifeboat's local stack on this machine, with real parts and no containers:
# etcd 3.4 seeded with Kubernetes-like keys, a KRaft Kafka broker, two S3-compatible stores
# (regions "primary" and "secondary") and the four Lifeboat services. It registers the local
# etcd as cluster "local", takes a first snapshot and shows the events as they arrive.
#
#   deploy/local-stack.sh            start (or, when it is running, stop)
#   deploy/local-stack.sh start      start; --build forces a rebuild first; --replicas 2 starts two
#                                    replicas of every service (they share the clusters: one owner each)
#   deploy/local-stack.sh stop       stop everything it started
#   deploy/local-stack.sh status     what is running
#   deploy/local-stack.sh events     follow the events (Ctrl-C leaves the stack running)
#
# Environment: LIFEBOAT_STACK_DIR (state, default .local-stack), LIFEBOAT_PORT_BASE (default
# 8080: snapshot 8080, verifier 8081, replicator 8082, retention 8083; replica n of a service
# listens 10 × (n - 1) higher: 8090, 8091, ...), LIFEBOAT_STACK_REPLICAS (default 1), LIFEBOAT_STACK_INSECURE
# (true: the services accept calls without a token; default: they verify the stack's own tokens,
# printed at start and kept in $LIFEBOAT_STACK_DIR/tokens.env), LIFEBOAT_JAVA_OPTS (the services'
# JVM options, default below: a 256 MB heap that G1 gives back once a burst is over; see
# deploy/README.md), LIFEBOAT_JAVA_OPTS_EXTRA (added to them; the soak and the benchmarks add
# Native Memory Tracking).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# the heap G1 keeps committed shrinks to the live set plus at most 30 per cent at each collection,
# and an idle minute starts one, so memory goes back down after a thundering-herd fire (deploy/README.md)
DEFAULT_JAVA_OPTS="-Xmx256m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=60000"
STATE=${LIFEBOAT_STACK_DIR:-$ROOT/.local-stack}
BASE=${LIFEBOAT_PORT_BASE:-8080}
SERVICES=(snapshot-service verifier-service replicator-service retention-service)
REPLICAS=${LIFEBOAT_STACK_REPLICAS:-1}
BUILD=""
ARGS=()
while [ $# -gt 0 ]; do
  case $1 in
    --replicas) REPLICAS=${2:-}; shift 2 || true ;;
    --replicas=*) REPLICAS=${1#--replicas=}; shift ;;
    --build) BUILD=--build; shift ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
set -- "${ARGS[@]+"${ARGS[@]}"}"

die() { echo "local-stack: $*" >&2; exit 1; }
case $REPLICAS in [1-9]) ;; *) die "--replicas must be a number from 1 to 9, not '$REPLICAS'" ;; esac
port_of() { case $1 in snapshot-service) echo $((BASE));; verifier-service) echo $((BASE + 1));;
  replicator-service) echo $((BASE + 2));; retention-service) echo $((BASE + 3));; esac; }
# replica n (1, 2, ...) of a service: ports 10 apart, logs and pid names with the replica's number
port_of_replica() { echo $(( $(port_of "$1") + 10 * ($2 - 1) )); }
replica_name() { if [ "$2" = 1 ]; then echo "$1"; else echo "$1-$2"; fi; }

is_running() {
  [ -f "$STATE/pids" ] || return 1
  while read -r pid _; do kill -0 "$pid" 2>/dev/null && return 0; done < "$STATE/pids"
  return 1
}

stop() {
  if [ ! -f "$STATE/pids" ]; then echo "local stack is not running"; return 0; fi
  echo "stopping the local stack"
  tac "$STATE/pids" | while read -r pid name; do
    kill "$pid" 2>/dev/null && echo "  stopped $name (pid $pid)" || true
  done
  for _ in $(seq 1 100); do is_running || break; sleep 0.2; done
  tac "$STATE/pids" | while read -r pid _; do kill -9 "$pid" 2>/dev/null || true; done
  rm -rf "$STATE"
  echo "stopped; state removed"
}

status() {
  if ! is_running; then echo "local stack is not running"; return 0; fi
  while read -r pid name; do
    if kill -0 "$pid" 2>/dev/null; then echo "  $name: running (pid $pid)"; else echo "  $name: not running"; fi
  done < "$STATE/pids"
  cat "$STATE/servers/stack.properties" 2>/dev/null | sed 's/^/  /' | grep -v 'secret\|token\.' || true
  [ -f "$STATE/tokens.env" ] && echo "  tokens: source $STATE/tokens.env (VIEWER_TOKEN, OPERATOR_TOKEN, ADMIN_TOKEN, METRICS_TOKEN)"
}

ensure_tools() {
  command -v java >/dev/null || die "a JDK 17 or newer is needed (java not found on PATH)"
  command -v curl >/dev/null || die "curl is needed: sudo apt-get install curl"
  if ! command -v "${LIFEBOAT_ETCD_BIN:-etcd}" >/dev/null || ! command -v "${LIFEBOAT_ETCDCTL_BIN:-etcdctl}" >/dev/null; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "installing etcd from Debian packages (etcd-server, etcd-client)"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq etcd-server etcd-client >/dev/null \
        || die "could not install etcd-server and etcd-client with apt-get"
    else
      die "etcd 3.4+ is needed: 'sudo apt-get install etcd-server etcd-client', or put etcd and etcdctl on PATH (or set LIFEBOAT_ETCD_BIN and LIFEBOAT_ETCDCTL_BIN)"
    fi
  fi
}

build_if_needed() {
  local missing=0
  for svc in "${SERVICES[@]}"; do [ -f "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" ] || missing=1; done
  [ -f "$ROOT/deploy/target/runtime.classpath" ] || missing=1
  if [ "$missing" = 1 ] || [ "${1:-}" = "--build" ]; then
    echo "building Lifeboat (./mvnw package -DskipTests)"
    (cd "$ROOT" && ./mvnw -q -B -ntp package -DskipTests) || die "build failed"
  fi
}

wait_for() { # what, seconds, command...
  local what=$1 secs=$2; shift 2
  for _ in $(seq 1 $((secs * 5))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  return 1
}

# a Prometheus configuration that scrapes the four services with the stack's scraper token (metrics
# need a token with lifeboat-metrics or lifeboat-viewer) and loads the alert rules
prometheus_config() {
  local token_file="$STATE/scrape-token" targets="" auth=""
  if [ "${LIFEBOAT_STACK_INSECURE:-false}" != true ]; then
    printf '%s' "$(prop token.metrics)" > "$token_file"
    auth=$'    authorization:\n      type: Bearer\n      credentials_file: '"$token_file"
  fi
  for svc in "${SERVICES[@]}"; do targets+="'127.0.0.1:$(port_of "$svc")', "; done
  cat > "$STATE/prometheus.yml" <<PROM
global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files:
  - $ROOT/deploy/alerts/*.rules.yml
scrape_configs:
  - job_name: lifeboat
    metrics_path: /q/metrics
$auth
    static_configs:
      - targets: [${targets%, }]
PROM
}

deploy_cp() { echo "$ROOT/deploy/target/classes:$(cat "$ROOT/deploy/target/runtime.classpath")"; }

start() {
  if is_running; then echo "local stack already running (deploy/local-stack.sh stop to stop it)"; status; return 0; fi
  rm -rf "$STATE"
  ensure_tools
  build_if_needed "$BUILD"
  for svc in "${SERVICES[@]}"; do for r in $(seq 1 "$REPLICAS"); do
    ! (exec 3<>"/dev/tcp/127.0.0.1/$(port_of_replica "$svc" "$r")") 2>/dev/null \
      || die "port $(port_of_replica "$svc" "$r") for $(replica_name "$svc" "$r") is in use; set LIFEBOAT_PORT_BASE to another base port"
  done; done
  mkdir -p "$STATE/logs"
  echo "starting etcd, Kafka and two S3 regions"
  java -cp "$(deploy_cp)" dev.lifeboat.deploy.LocalStack "$STATE/servers" > "$STATE/logs/servers.log" 2>&1 &
  echo "$! servers" >> "$STATE/pids"
  wait_for servers 120 test -f "$STATE/servers/stack.properties" \
    || { tail -20 "$STATE/logs/servers.log" >&2; stop >/dev/null; die "servers did not start (log above)"; }
  prop() { grep "^$1=" "$STATE/servers/stack.properties" | cut -d= -f2-; }
  local kafka etcd_url security
  kafka=$(prop kafka.bootstrap.servers); etcd_url=$(prop etcd.endpoint)
  if [ "${LIFEBOAT_STACK_INSECURE:-false}" = true ]; then
    security="-Dlifeboat.security.insecure=true"
    AUTH=()
  else
    security="-Dmp.jwt.verify.publickey.location=$(prop token.public-key) -Dmp.jwt.verify.issuer=$(prop token.issuer)"
    { echo "VIEWER_TOKEN=$(prop token.viewer)"; echo "OPERATOR_TOKEN=$(prop token.operator)"
      echo "ADMIN_TOKEN=$(prop token.admin)"; echo "METRICS_TOKEN=$(prop token.metrics)"; } > "$STATE/tokens.env"
    AUTH=(-H "Authorization: Bearer $(prop token.operator)")
  fi
  prometheus_config
  for svc in "${SERVICES[@]}"; do for r in $(seq 1 "$REPLICAS"); do
    # every service checks the same tokens (or none, insecure) and reads registry records with the
    # same registration rules (the local etcd is plaintext)
    local opts="$security -Dlifeboat.etcd.allow-plaintext=true" name
    name=$(replica_name "$svc" "$r")
    # each verifier its own scratch directory: at start a verifier stops the scratch etcds and removes
    # the drills it finds in its directory, so a shared default would end another replica's (or stack's) drills
    [ "$svc" = verifier-service ] && opts+=" -Dlifeboat.verifier.work-dir=$STATE/work/$name"
    # shellcheck disable=SC2086 # $opts holds several -D options
    # shellcheck disable=SC2086 # LIFEBOAT_JAVA_OPTS holds several options
    java ${LIFEBOAT_JAVA_OPTS:-$DEFAULT_JAVA_OPTS} ${LIFEBOAT_JAVA_OPTS_EXTRA:-} $opts \
      -Dquarkus.http.port="$(port_of_replica "$svc" "$r")" \
      -Dlifeboat.ownership.replica="$name" \
      -Dkafka.bootstrap.servers="$kafka" \
      -Dlifeboat.primary-region=primary \
      -Dlifeboat.regions.primary.endpoint="$(prop s3.primary.endpoint)" \
      -Dlifeboat.regions.primary.access-key="$(prop s3.access-key)" \
      -Dlifeboat.regions.primary.secret-key="$(prop s3.secret-key)" \
      -Dlifeboat.regions.primary.bucket=lifeboat \
      -Dlifeboat.regions.secondary.endpoint="$(prop s3.secondary.endpoint)" \
      -Dlifeboat.regions.secondary.access-key="$(prop s3.access-key)" \
      -Dlifeboat.regions.secondary.secret-key="$(prop s3.secret-key)" \
      -Dlifeboat.regions.secondary.bucket=lifeboat \
      -jar "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" > "$STATE/logs/$name.log" 2>&1 &
    echo "$! $name" >> "$STATE/pids"
  done; done
  for svc in "${SERVICES[@]}"; do for r in $(seq 1 "$REPLICAS"); do
    local name port
    name=$(replica_name "$svc" "$r"); port=$(port_of_replica "$svc" "$r")
    wait_for "$name" 120 curl -fsS "http://127.0.0.1:$port/q/health/ready" \
      || { tail -30 "$STATE/logs/$name.log" >&2; stop >/dev/null; die "$name did not become ready (log above)"; }
    echo "  $name ready on http://127.0.0.1:$port"
  done; done
  local api="http://127.0.0.1:$BASE/api/v1/clusters/local"
  curl -fsS -X PUT "${AUTH[@]}" -H 'Content-Type: application/json' "$api" \
    -d "{\"endpoints\":[\"$etcd_url\"],\"schedule\":\"*/10 * * * *\",\"labels\":{\"env\":\"local\"}}" >/dev/null \
    || die "could not register the local etcd"
  # with several replicas the cluster's owner may not have read the registration yet (404): ask again
  wait_for "first snapshot" 30 curl -fsS -X POST "${AUTH[@]}" "$api/snapshots" || die "could not request the first snapshot"
  local hdr='-H "Authorization: Bearer $OPERATOR_TOKEN"' vhdr='-H "Authorization: Bearer $VIEWER_TOKEN"'
  local mhdr='-H "Authorization: Bearer $METRICS_TOKEN"'
  if [ "${LIFEBOAT_STACK_INSECURE:-false}" = true ]; then
    hdr='' vhdr='' mhdr=''
    cat <<BANNER

!!! INSECURE: LIFEBOAT_STACK_INSECURE=true, the services accept every call without a token, as an admin.
BANNER
  else
    cat <<TOKENS

The API needs a bearer token; the stack made one per role (valid 30 days), kept in $STATE/tokens.env:
  source $STATE/tokens.env     # VIEWER_TOKEN, OPERATOR_TOKEN, ADMIN_TOKEN, METRICS_TOKEN (scrape only)
TOKENS
  fi
  cat <<MSG

Lifeboat is running. Cluster "local" ($etcd_url) is registered, snapshotted every 10 minutes,
and its first snapshot is on its way:
  catalog:      curl -s $vhdr $api/snapshots
  snapshot:     curl -s -X POST $hdr $api/snapshots
  verification: curl -s $vhdr http://127.0.0.1:$((BASE + 1))/api/v1/clusters/local/snapshots/<snapshotId>/verification
  retention:    curl -s $vhdr http://127.0.0.1:$((BASE + 3))/api/v1/clusters/local/retention
  metrics:      curl -s $mhdr http://127.0.0.1:$BASE/q/metrics | grep lifeboat_   (every service, ports $BASE-$((BASE + 3)))
  prometheus:   prometheus --config.file=$STATE/prometheus.yml   (scrapes all four with the scraper token)
  logs:         $STATE/logs/
  stop:         deploy/local-stack.sh stop

Events as they arrive:
MSG
  if [ -t 1 ]; then
    events
  else
    java -cp "$(deploy_cp)" dev.lifeboat.deploy.EventTail "$kafka" --until-replicated --timeout-seconds 180
  fi
}

events() {
  is_running || die "local stack is not running"
  local kafka
  kafka=$(grep '^kafka.bootstrap.servers=' "$STATE/servers/stack.properties" | cut -d= -f2-)
  echo "(Ctrl-C stops following; the stack keeps running)"
  java -cp "$(deploy_cp)" dev.lifeboat.deploy.EventTail "$kafka" || true
}

case "${1:-toggle}" in
  toggle) if is_running; then stop; else start; fi ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  events) events ;;
  *) die "unknown command '$1' (start, stop, status, events)" ;;
esac
