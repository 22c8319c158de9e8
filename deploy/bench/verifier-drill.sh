#!/usr/bin/env bash
# Times the verification of one large snapshot, part by part: download from a local S3 server
# (S3Proxy, started as a child process), the Java status computation next to
# `etcdctl snapshot status` on the same file, and the restore drill (etcdctl snapshot restore,
# scratch etcd start until its first read, read-back). The snapshot comes from a scratch etcd
# the benchmark fills with random 100 KiB values.
#
# usage: deploy/bench/verifier-drill.sh [size-in-MB]     (default 512)
# needs: etcd and etcdctl on PATH (or LIFEBOAT_ETCD_BIN / LIFEBOAT_ETCDCTL_BIN), JDK 17.
set -euo pipefail

size_mb="${1:-512}"
cd "$(dirname "$0")/../.."
log="$(mktemp -t verifier-drill-bench.XXXXXX.log)"

./mvnw -q install -pl events,store,test-support -DskipTests
if ! ./mvnw -pl verifier-service test -Dtest=DrillBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
        -Dbench.size-mb="$size_mb" > "$log" 2>&1; then
    tail -50 "$log"
    echo "benchmark failed; full log: $log" >&2
    exit 1
fi
grep '^BENCH' "$log" | sed 's/^BENCH //'
rm -f "$log"
