#!/usr/bin/env bash
# Snapshot benchmark: for each etcd size (MB, default "64 512"), in one run:
#   (a) etcdctl snapshot save to local disk
#   (b) (a) followed by an upload of that file to the same S3 store
#   (c) a Lifeboat on-demand snapshot until its manifest is visible
# and the snapshot-service's peak RSS (a fresh service per size, -Xmx256m as in the local stack).
# Goal: (c) no slower than (b); peak RSS at 512 MB no more than 64 MB above the peak at 64 MB.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(64 512)
command -v etcd >/dev/null && command -v etcdctl >/dev/null \
  || { echo "snapshot bench: etcd and etcdctl are needed (apt-get install etcd-server etcd-client)" >&2; exit 1; }
if [ ! -f "$ROOT/snapshot-service/target/quarkus-app/quarkus-run.jar" ] || [ ! -f "$ROOT/deploy/target/runtime.classpath" ]; then
  (cd "$ROOT" && ./mvnw -q -B -ntp install -DskipTests -pl deploy,snapshot-service -am) || { echo "snapshot bench: build failed" >&2; exit 1; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
java -cp "$ROOT/deploy/target/classes:$(cat "$ROOT/deploy/target/runtime.classpath")" \
  dev.lifeboat.deploy.SnapshotBenchmark "$work" "$ROOT/snapshot-service/target/quarkus-app/quarkus-run.jar" "${sizes[@]}"
