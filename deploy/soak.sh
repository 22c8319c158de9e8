#!/usr/bin/env bash
# Soak: the whole local stack with N etcd clusters (default 5) on a one-minute schedule for D
# minutes (default 15). Afterwards: zero failure events for the soak's clusters, every snapshot
# fired in the window verified and replicated, RSS of each service at start and end, and the
# p50/p99 time from fire to replicated. Exit 1 on any failure or miss.
#
#   deploy/soak.sh [N] [D]
#
# Where memory goes: the services run with Native Memory Tracking; at start (after registration)
# and at the end the soak takes each one's RSS, NMT summary, class histogram and heap after a full
# GC, and samples RSS every minute in between (files in <state>/memory, summary printed).
#
# Needs the services built (./mvnw -B -ntp -DskipTests package); uses its own stack directory
# (LIFEBOAT_STACK_DIR, default a temporary one), LIFEBOAT_PORT_BASE (default 18080) and
# LIFEBOAT_JAVA_OPTS (default: the local stack's), with -XX:NativeMemoryTracking=summary added.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
N=${1:-5}
D=${2:-15}
export LIFEBOAT_STACK_DIR=${LIFEBOAT_STACK_DIR:-$(mktemp -d /tmp/lifeboat-soak-XXXXXX)/stack}
export LIFEBOAT_PORT_BASE=${LIFEBOAT_PORT_BASE:-18080}
export LIFEBOAT_JAVA_OPTS_EXTRA="-XX:NativeMemoryTracking=summary"
WORK=$(dirname "$LIFEBOAT_STACK_DIR")
MEM=$WORK/memory
ETCD_PIDS=()
SAMPLER=""
# shellcheck source=deploy/lib/jvm-memory.sh
source "$ROOT/deploy/lib/jvm-memory.sh"

cleanup() {
  cp -r "$LIFEBOAT_STACK_DIR/logs" "$WORK/logs" 2>/dev/null || true # the services' logs outlive the stack
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  for pid in "${ETCD_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$ROOT/deploy/local-stack.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT

free_port() { # a loopback port nobody listens on
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

pid_of() { awk -v s="$1" '$2 == s {print $1}' "$LIFEBOAT_STACK_DIR/pids"; }
rss() { # service -> VmRSS in MB
  awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$(pid_of "$1")/status" 2>/dev/null || echo "?"
}

services=(snapshot-service verifier-service replicator-service retention-service)
echo "soak: $N clusters, every minute, for $D minutes (state in $WORK)"
"$ROOT/deploy/local-stack.sh" start > "$WORK/stack.out" 2>&1 || { tail -30 "$WORK/stack.out"; exit 1; }
# shellcheck disable=SC1091
source "$LIFEBOAT_STACK_DIR/tokens.env"
kafka=$(grep '^kafka.bootstrap.servers=' "$LIFEBOAT_STACK_DIR/servers/stack.properties" | cut -d= -f2-)
api="http://127.0.0.1:$LIFEBOAT_PORT_BASE/api/v1/clusters"

for i in $(seq 1 "$N"); do
  client=$(free_port); peer=$(free_port)
  etcd --name "soak-$i" --data-dir "$WORK/etcd-$i" \
    --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
    --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
    --initial-cluster "soak-$i=http://127.0.0.1:$peer" > "$WORK/etcd-$i.log" 2>&1 &
  ETCD_PIDS+=($!)
  for _ in $(seq 1 50); do etcdctl --endpoints "http://127.0.0.1:$client" endpoint health >/dev/null 2>&1 && break; sleep 0.2; done
  for k in $(seq 1 50); do etcdctl --endpoints "http://127.0.0.1:$client" put "/registry/pods/default/p$k" "v$k" >/dev/null; done
  curl -fsS -X PUT -H "Authorization: Bearer $OPERATOR_TOKEN" -H 'Content-Type: application/json' "$api/soak-$i" \
    -d "{\"endpoints\":[\"http://127.0.0.1:$client\"],\"schedule\":\"* * * * *\",\"labels\":{\"env\":\"soak\"}}" >/dev/null
done

for s in "${services[@]}"; do memory_sample "$MEM" start "$s" "$(pid_of "$s")"; done
echo "registered soak-1..soak-$N; soaking until $(date -u -d "+$D min" +%H:%M:%S) UTC (load: $(cut -d' ' -f1-3 /proc/loadavg))"
( echo "minute ${services[*]} load1"
  for m in $(seq 1 "$D"); do
    sleep 60; line="$m"; for s in "${services[@]}"; do line+=" $(rss "$s")"; done; echo "$line $(cut -d' ' -f1 /proc/loadavg)"
  done ) > "$MEM/rss-per-minute.txt" &
SAMPLER=$!
sleep $((D * 60))
window_end=$(date -u +%s)

set +e
java -cp "$ROOT/deploy/target/classes:$(cat "$ROOT/deploy/target/runtime.classpath")" dev.lifeboat.deploy.SoakReport \
  "$kafka" soak- "$window_end" 240
verdict=$?
set -e
echo "memory at start -> end (load: $(cut -d' ' -f1-3 /proc/loadavg)):"
for s in "${services[@]}"; do memory_sample "$MEM" end "$s" "$(pid_of "$s")"; memory_compare "$MEM" start end "$s"; done
echo "RSS (MB) per minute:"; sed 's/^/  /' "$MEM/rss-per-minute.txt"
if [ "$verdict" = 0 ]; then
  echo "soak: PASS"
else
  echo "soak: FAIL (service logs kept in $WORK/logs)"
fi
exit "$verdict"
