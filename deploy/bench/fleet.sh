#!/usr/bin/env bash
# Fleet benchmark: the thundering herd of one hourly fire time across many registered clusters.
#
#   deploy/bench/fleet.sh [CLUSTERS=1000] [ETCDS=40] [REPLICAS=1]
#
# The whole local stack (deploy/local-stack.sh, REPLICAS replicas of every service) and ETCDS small
# real etcd processes; cluster ids bench-NNNN are spread over them (several ids per etcd endpoint).
#  1. Baseline, in the same run: BASELINE clusters (default 10) on one hourly fire time (a minute or
#     two ahead); the figures below for that fire; then each service's memory at BASELINE clusters.
#  2. The herd: the baseline clusters move to a later fire time and the rest are registered on it
#     too (REST API, operator token), CLUSTERS in all; the same figures; memory at CLUSTERS.
# Figures (FleetReport, from the topics): time from the fire to the last snapshot durable (manifest
# written, snapshot.taken), to the last verified and the last replicated; p50/p99 of fire to
# durable; failure events by reason; the watchdog's store requests in its last pass (retention's
# lifeboat_retention_watchdog_pass_store_requests, summed over replicas) against the bound
# 3 x clusters x regions; per service replica RSS when the phase ends, RSS after IDLE seconds
# (default 150) with no new fire and no GC forced (the watchdog, retention and reconciliation still
# run their passes) (what the services give back by themselves:
# -XX:G1PeriodicGCInterval), then heap used and RSS after a full GC (jcmd), with NMT.
# The load average is printed next to every figure.
#
# Each phase is bounded: it stops when every snapshot is verified and replicated, when not every
# one is durable DURABLE_BOUND seconds (default 900) after the fire, or SETTLE_BOUND seconds
# (default 1800) after it. Everything it starts is stopped on exit. Needs the services built
# (./mvnw -B -ntp -DskipTests package). Environment: BASELINE, DURABLE_BOUND, SETTLE_BOUND, IDLE,
# LIFEBOAT_PORT_BASE (default 18680), LIFEBOAT_JAVA_OPTS (default: the local stack's), with
# -XX:NativeMemoryTracking=summary added.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CLUSTERS=${1:-1000}
ETCDS=${2:-40}
REPLICAS=${3:-1}
BASELINE=${BASELINE:-10}
DURABLE_BOUND=${DURABLE_BOUND:-900}
SETTLE_BOUND=${SETTLE_BOUND:-1800}
IDLE=${IDLE:-150}
REGIONS=2 # the local stack's primary and secondary
WORK=$(mktemp -d /tmp/lifeboat-fleet-XXXXXX)
export LIFEBOAT_STACK_DIR=$WORK/stack
export LIFEBOAT_PORT_BASE=${LIFEBOAT_PORT_BASE:-18680}
export LIFEBOAT_STACK_REPLICAS=$REPLICAS
export LIFEBOAT_JAVA_OPTS_EXTRA="-XX:NativeMemoryTracking=summary"
MEM=$WORK/memory
ETCD_PIDS=()
# shellcheck source=deploy/lib/jvm-memory.sh
source "$ROOT/deploy/lib/jvm-memory.sh"

die() { echo "fleet bench: $*" >&2; exit 1; }
[ "$CLUSTERS" -gt "$BASELINE" ] 2>/dev/null || die "CLUSTERS ($CLUSTERS) must be a number above BASELINE ($BASELINE)"
[ "$ETCDS" -ge 1 ] 2>/dev/null || die "ETCDS must be a number of at least 1"
command -v etcd >/dev/null && command -v etcdctl >/dev/null || die "etcd and etcdctl are needed (apt-get install etcd-server etcd-client)"
for svc in snapshot-service verifier-service replicator-service retention-service; do
  [ -f "$ROOT/$svc/target/quarkus-app/quarkus-run.jar" ] || die "$svc is not built: ./mvnw -B -ntp -DskipTests package"
done
[ -f "$ROOT/deploy/target/runtime.classpath" ] || die "deploy is not built: ./mvnw -B -ntp -DskipTests package"

cleanup() {
  cp -r "$LIFEBOAT_STACK_DIR/logs" "$WORK/logs" 2>/dev/null || true # the services' logs outlive the stack
  for pid in "${ETCD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$ROOT/deploy/local-stack.sh" stop >/dev/null 2>&1 || true
  for pid in "${ETCD_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"/etcd-*/ 2>/dev/null || true
}
trap cleanup EXIT

load() { cut -d' ' -f1-3 /proc/loadavg; }
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

echo "fleet bench: $CLUSTERS clusters on $ETCDS etcds, $REPLICAS replica(s) per service, baseline $BASELINE (state in $WORK; load $(load))"
t0=$(date +%s)
"$ROOT/deploy/local-stack.sh" start > "$WORK/stack.out" 2>&1 || { tail -30 "$WORK/stack.out"; exit 1; }
echo "stack up in $(( $(date +%s) - t0 )) s"
# shellcheck disable=SC1091
source "$LIFEBOAT_STACK_DIR/tokens.env"
kafka=$(grep '^kafka.bootstrap.servers=' "$LIFEBOAT_STACK_DIR/servers/stack.properties" | cut -d= -f2-)
api="http://127.0.0.1:$LIFEBOAT_PORT_BASE/api/v1/clusters"

endpoints=()
start_etcd() { # index -> starts it on free ports; its pid in ETCD_PIDS, its URL in endpoints (same index)
  local e=$1 client peer
  client=$(free_port); peer=$(free_port)
  rm -rf "$WORK/etcd-$e"
  etcd --name "fleet-$e" --data-dir "$WORK/etcd-$e" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "fleet-$e=http://127.0.0.1:$peer" > "$WORK/etcd-$e.log" 2>&1 &
  ETCD_PIDS[$e]=$!
  endpoints[$e]="http://127.0.0.1:$client"
}
healthy() { etcdctl --dial-timeout=1s --command-timeout=2s --endpoints "$1" endpoint health >/dev/null 2>&1; }
for e in $(seq 1 "$ETCDS"); do start_etcd "$e"; done
for e in $(seq 1 "$ETCDS"); do
  for attempt in 1 2 3; do # a port taken meanwhile (bind: address already in use): again on others
    for _ in $(seq 1 50); do healthy "${endpoints[$e]}" && break; kill -0 "${ETCD_PIDS[$e]}" 2>/dev/null || break; sleep 0.3; done
    healthy "${endpoints[$e]}" && break
    kill "${ETCD_PIDS[$e]}" 2>/dev/null || true
    [ "$attempt" = 3 ] && die "etcd $e did not start: $(tail -1 "$WORK/etcd-$e.log")"
    start_etcd "$e"
  done
  ( for k in $(seq 1 20); do etcdctl --endpoints "${endpoints[$e]}" put "/registry/pods/default/p$k" "v$k" >/dev/null; done ) &
done
wait_seeded=0
for job in $(jobs -p); do case " ${ETCD_PIDS[*]} " in *" $job "*) ;; *) wait "$job" || wait_seeded=1 ;; esac; done
[ "$wait_seeded" = 0 ] || die "an etcd could not be seeded (logs in $WORK)"
echo "$ETCDS etcds up and seeded, 20 keys each"

cluster_id() { printf 'bench-%04d' "$1"; }
# registers clusters FROM..TO on the hourly cron MINUTE, 8 at a time; prints how long it took
register() {
  local from=$1 to=$2 start
  export MINUTE=$3
  start=$(date +%s.%N)
  for i in $(seq "$from" "$to"); do
    echo "$(cluster_id "$i") ${endpoints[$(( (i - 1) % ETCDS + 1 ))]}"
  done | xargs -P 8 -n 2 sh -c 'curl -fsS -o /dev/null -X PUT -H "Authorization: Bearer $OPERATOR_TOKEN" \
      -H "Content-Type: application/json" "$API/$0" \
      -d "{\"endpoints\":[\"$1\"],\"schedule\":\"$MINUTE * * * *\",\"labels\":{\"env\":\"bench\"}}" \
      || echo "registration of $0 failed" >&2'
  echo "$(date +%s.%N) - $start" | bc
}
export OPERATOR_TOKEN API=$api

# the next whole minute at least LEAD seconds ahead
fire_after() { echo $(( ( $(date +%s) + $1 + 59 ) / 60 * 60 )); }

metric() { # service port, metric name -> value (summed over the replicas' ports)
  local total=0 r port v
  for r in $(seq 1 "$REPLICAS"); do
    port=$(( $1 + 10 * (r - 1) ))
    v=$(curl -fsS -H "Authorization: Bearer $METRICS_TOKEN" "http://127.0.0.1:$port/q/metrics" 2>/dev/null \
      | awk -v m="$2" '$1 == m || index($1, m "{") == 1 {print $2}')
    total=$(echo "$total + ${v:-0}" | bc)
  done
  echo "$total"
}

replica_names() {
  local svc r
  for svc in snapshot-service verifier-service replicator-service retention-service; do
    for r in $(seq 1 "$REPLICAS"); do if [ "$r" = 1 ]; then echo "$svc"; else echo "$svc-$r"; fi; done
  done
}
pid_of() { awk -v s="$1" '$2 == s {print $1}' "$LIFEBOAT_STACK_DIR/pids"; }

# waits for a watchdog pass to have judged at least N clusters, then prints its store requests
watchdog_figure() {
  local n=$1 clusters requests
  for _ in $(seq 1 40); do # a pass a minute
    clusters=$(metric $((LIFEBOAT_PORT_BASE + 3)) lifeboat_retention_watchdog_pass_clusters)
    [ "${clusters%.*}" -ge "$n" ] && break
    sleep 5
  done
  requests=$(metric $((LIFEBOAT_PORT_BASE + 3)) lifeboat_retention_watchdog_pass_store_requests)
  echo "watchdog pass: ${requests%.*} store requests for ${clusters%.*} clusters x $REGIONS regions" \
    "(bound 3 x clusters x regions = $(( 3 * ${clusters%.*} * REGIONS ))); load $(load)"
}

phase() { # label, clusters, fire epoch
  local label=$1 n=$2 fire=$3
  echo "== $label: $n clusters fire at $(date -u -d "@$fire" +%H:%M:%S) UTC"
  set +e
  java -cp "$ROOT/deploy/target/classes:$(cat "$ROOT/deploy/target/runtime.classpath")" dev.lifeboat.deploy.FleetReport \
    "$kafka" bench- "$n" "$fire" "$DURABLE_BOUND" "$SETTLE_BOUND" | tee "$WORK/$label.report"
  set -e
  watchdog_figure "$n" | tee -a "$WORK/$label.report"
  while read -r name; do memory_rss "$MEM" "$label" "$name" "$(pid_of "$name")" rss; done < <(replica_names)
  echo "idle for $IDLE s before the memory samples (load $(load))"
  sleep "$IDLE"
  while read -r name; do memory_rss "$MEM" "$label" "$name" "$(pid_of "$name")" rss-idle; done < <(replica_names)
  while read -r name; do memory_sample "$MEM" "$label" "$name" "$(pid_of "$name")"; done < <(replica_names)
}

# 1. baseline
fire1=$(fire_after 45)
took=$(register 1 "$BASELINE" "$(date -u -d "@$fire1" +%-M)")
echo "registered $BASELINE clusters in $took s (load $(load))"
phase baseline "$BASELINE" "$fire1"

# 2. the herd: registration time estimated from the baseline's, with room
per=$(echo "$took / $BASELINE" | bc -l)
lead=$(printf '%.0f' "$(echo "$per * $CLUSTERS * 1.5 + 45" | bc -l)")
fire2=$(fire_after "$lead")
took=$(register 1 "$CLUSTERS" "$(date -u -d "@$fire2" +%-M)")
echo "registered $CLUSTERS clusters in $took s, $(( fire2 - $(date +%s) )) s before the fire (load $(load))"
[ "$(date +%s)" -lt "$fire2" ] || echo "WARNING: registration ended after the fire time; late clusters fire next hour"
phase herd "$CLUSTERS" "$fire2"

echo "== memory: $BASELINE clusters -> $CLUSTERS clusters (goal: within 64 MB)"
while read -r name; do memory_compare "$MEM" baseline herd "$name"; done < <(replica_names)
echo "== summary ($CLUSTERS clusters, $ETCDS etcds, $REPLICAS replica(s); load now $(load))"
for label in baseline herd; do echo "-- $label"; grep -E '^(clusters|fire ->|watchdog|FAILED|stopped)' "$WORK/$label.report"; done
