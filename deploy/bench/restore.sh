#!/usr/bin/env bash
# Benchmark: `lifeboat restore` of one member from an S3 store until the data dir is ready, against
# `aws s3 cp` of the same object followed by `etcdctl snapshot restore`, in the same run, and the
# tool's peak RSS for a small and a large snapshot.
# Usage: deploy/bench/restore.sh [small-MB large-MB]   (default: 64 512)
# Starts its own etcd and S3Proxy on free loopback ports in a temporary directory and removes them.
set -euo pipefail

SMALL_MB="${1:-64}"
LARGE_MB="${2:-512}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d -t lifeboat-restore-bench-XXXXXX)"
PIDS=()

fail() { echo "restore-bench: $*" >&2; exit 1; }
cleanup() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
for tool in etcd etcdctl java aws base64 sha256sum /usr/bin/time; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done
S3PROXY_JAR="$HOME/.m2/repository/org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar"
[[ -f "$S3PROXY_JAR" ]] || (cd "$ROOT" && ./mvnw -q -B -ntp dependency:get -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies) \
    || fail "cannot fetch S3Proxy"

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    fail "no free port found"
}
millis() { date +%s%3N; }
peak_mb() { awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$1"; }

# The tool, built once (cli/lifeboat builds it when missing).
"$ROOT/cli/lifeboat" --version >/dev/null || fail "cannot build the lifeboat command"

# S3Proxy on the local file system, bucket 'bench'.
S3_PORT="$(free_port)"
S3="http://127.0.0.1:$S3_PORT"
mkdir -p "$WORK/s3"
cat >"$WORK/s3proxy.properties" <<PROPS
s3proxy.endpoint=$S3
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=bench
s3proxy.credential=bench-secret-key
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/s3
PROPS
java -Xmx512m -jar "$S3PROXY_JAR" --properties "$WORK/s3proxy.properties" >"$WORK/s3proxy.log" 2>&1 &
PIDS+=($!)
export AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench-secret-key AWS_DEFAULT_REGION=us-east-1
AWS=(aws --endpoint-url "$S3")
for _ in $(seq 1 100); do "${AWS[@]}" s3 ls >/dev/null 2>&1 && break; sleep 0.2; done
"${AWS[@]}" s3 mb s3://bench >/dev/null || fail "S3Proxy did not start: $(tail -2 "$WORK/s3proxy.log")"
export LIFEBOAT_REGIONS_BENCH_ENDPOINT="$S3" LIFEBOAT_REGIONS_BENCH_ACCESS_KEY=bench \
    LIFEBOAT_REGIONS_BENCH_SECRET_KEY=bench-secret-key LIFEBOAT_REGIONS_BENCH_BUCKET=bench

# etcd, filled with Kubernetes-like keys and ~3 KiB values.
CLIENT_PORT="$(free_port)"; PEER_PORT="$(free_port)"
ENDPOINT="http://127.0.0.1:$CLIENT_PORT"
etcd --name bench --data-dir "$WORK/etcd" \
    --listen-client-urls "$ENDPOINT" --advertise-client-urls "$ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "bench=http://127.0.0.1:$PEER_PORT" --quota-backend-bytes $((LARGE_MB * 3 * 1024 * 1024 + 1073741824)) \
    --max-txn-ops 4096 --max-request-bytes 16777216 >"$WORK/etcd.log" 2>&1 &
PIDS+=($!)
ETCDCTL=(etcdctl --endpoints "$ENDPOINT" --command-timeout 60s)
for _ in $(seq 1 100); do "${ETCDCTL[@]}" endpoint health >/dev/null 2>&1 && break; sleep 0.2; done
"${ETCDCTL[@]}" endpoint health >/dev/null 2>&1 || fail "etcd did not start: $(tail -2 "$WORK/etcd.log")"
db_size() { "${ETCDCTL[@]}" endpoint status -w json | sed -n 's/.*"dbSize":\([0-9]*\).*/\1/p'; }
batch=0
fill_to() {
    while (( $(db_size) < $1 * 1024 * 1024 )); do
        {
            echo
            head -c $((500 * 2304)) /dev/urandom | base64 -w 3072 \
                | awk -v b="$batch" '{ printf "put /registry/configmaps/ns-%d/cm-%d-%d %s\n", NR % 50, b, NR, $0 }'
            echo; echo
        } | "${ETCDCTL[@]}" txn >/dev/null || fail "etcdctl txn failed while filling"
        batch=$((batch + 1))
    done
}

# A snapshot in the store layout: snapshot.db and manifest.json (what snapshot-service writes).
store_snapshot() { # size-MB -> prints the snapshot id
    local mb="$1" id file sha size rev
    id="$(date -u +%Y%m%dT%H%M%SZ)-$(printf '%08x' "$mb")"
    file="$WORK/snapshot-$mb.db"
    "${ETCDCTL[@]}" snapshot save "$file" >/dev/null 2>&1 || fail "etcdctl snapshot save failed"
    sha="$(sha256sum "$file" | cut -d' ' -f1)"; size="$(stat -c %s "$file")"
    rev="$("${ETCDCTL[@]}" get x -w json | sed -n 's/.*"revision":\([0-9]*\).*/\1/p')"
    cat >"$WORK/manifest-$mb.json" <<JSON
{"format":"etcd-snapshot-v1","clusterId":"bench","snapshotId":"$id","takenAt":"$(date -u +%Y-%m-%dT%H:%M:%SZ)",
 "revision":$rev,"memberId":"0","memberEndpoint":"$ENDPOINT","etcdVersion":"3.4","sizeBytes":$size,"sha256":"$sha",
 "objectName":"snapshot.db","trigger":"ON_DEMAND","producedBy":"deploy/bench/restore.sh","durationMillis":0}
JSON
    "${AWS[@]}" s3 cp --only-show-errors "$file" "s3://bench/clusters/bench/$id/snapshot.db"
    "${AWS[@]}" s3 cp --only-show-errors "$WORK/manifest-$mb.json" "s3://bench/clusters/bench/$id/manifest.json"
    rm -f "$file"
    echo "$id"
}

echo "filling etcd to about $SMALL_MB MB ..."
fill_to "$SMALL_MB"; sleep 1
SMALL_ID="$(store_snapshot "$SMALL_MB")"
echo "filling etcd to about $LARGE_MB MB ..."
fill_to "$LARGE_MB"
LARGE_ID="$(store_snapshot "$LARGE_MB")"
kill "${PIDS[1]}"; wait "${PIDS[1]}" 2>/dev/null || true

restore_lifeboat() { # id dir timefile
    /usr/bin/time -v -o "$3" "$ROOT/cli/lifeboat" restore --region bench --cluster bench --snapshot "$1" \
        --name m1 --initial-cluster m1=http://127.0.0.1:2380 --data-dir "$2" >"$WORK/lifeboat.out" 2>&1 \
        || fail "lifeboat restore failed: $(tail -2 "$WORK/lifeboat.out")"
}

echo "measuring ..."
restore_lifeboat "$SMALL_ID" "$WORK/small" "$WORK/small.time"
rm -rf "$WORK/small"

t0=$(millis)
restore_lifeboat "$LARGE_ID" "$WORK/lifeboat-m1" "$WORK/large.time"
t1=$(millis)
"${AWS[@]}" s3 cp --only-show-errors "s3://bench/clusters/bench/$LARGE_ID/snapshot.db" "$WORK/downloaded.db"
etcdctl snapshot restore "$WORK/downloaded.db" --name m1 --initial-cluster m1=http://127.0.0.1:2380 \
    --initial-advertise-peer-urls http://127.0.0.1:2380 --data-dir "$WORK/etcdctl-m1" >"$WORK/etcdctl.out" 2>&1 \
    || fail "etcdctl snapshot restore failed: $(tail -2 "$WORK/etcdctl.out")"
t2=$(millis)
cmp -s "$WORK/lifeboat-m1/member/wal/0000000000000000-0000000000000000.wal" \
    "$WORK/etcdctl-m1/member/wal/0000000000000000-0000000000000000.wal" || fail "the two WALs differ"

LARGE_FILE_MB=$(( $(stat -c %s "$WORK/downloaded.db") / 1024 / 1024 ))
cat <<REPORT

restore of one member, ${LARGE_FILE_MB} MB snapshot from S3Proxy on loopback (same run):
  lifeboat restore (download, sha256, trailer, structure walk, db prepare, WAL): $((t1 - t0)) ms
  aws s3 cp + etcdctl snapshot restore:                                          $((t2 - t1)) ms
peak RSS of lifeboat restore: $(peak_mb "$WORK/small.time") MB at $SMALL_MB MB, $(peak_mb "$WORK/large.time") MB at $LARGE_MB MB
(WAL files of both restores are byte-identical)
REPORT
