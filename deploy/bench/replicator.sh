#!/usr/bin/env bash
# Replicator benchmark: copies one object of SIZE_MB (default 512) between two real S3 servers
# (S3Proxy, started by the benchmark itself) and compares, in the same run,
#   (a) a plain get-then-put with the same client (ObjectStore), and
#   (b) the replicator's copy + read-back verification (SnapshotCopier),
# at SMALL_MB (default 64) and SIZE_MB. Throughput: both modes alternate in one JVM, so they share
# the machine's conditions (ratio = replicator / plain). Peak RSS (VmHWM): each mode alone in its
# own JVM. Goal: (b) at least 0.9x the throughput of (a), peak RSS independent of size.
#
# Usage: deploy/bench/replicator.sh [SIZE_MB]     env: SMALL_MB, ROUNDS, JAVA_OPTS
set -euo pipefail

SIZE_MB=${1:-512}
SMALL_MB=${SMALL_MB:-64}
ROUNDS=${ROUNDS:-3}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m -Djava.util.logging.manager=org.jboss.logmanager.LogManager}
cd "$(dirname "$0")/../.."

./mvnw -q install -pl events,store,test-support -am -DskipTests
./mvnw -q -pl replicator-service test-compile
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -q -pl replicator-service dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE"
CP="replicator-service/target/test-classes:replicator-service/target/classes:$(cat "$CP_FILE")"

run() {
  # shellcheck disable=SC2086
  java $JAVA_OPTS -cp "$CP" dev.lifeboat.replicator.bench.ReplicationBenchmark "$@"
}

echo "== throughput: plain and replicator alternating in one JVM, median of $ROUNDS rounds each"
for size in "$SMALL_MB" "$SIZE_MB"; do
  run compare "$size" "$ROUNDS"
done
echo "== peak RSS (VmHWM): each mode alone in its own JVM ($JAVA_OPTS)"
for size in "$SMALL_MB" "$SIZE_MB"; do
  for mode in plain replicator; do
    run "$mode" "$size" 1
  done
done
