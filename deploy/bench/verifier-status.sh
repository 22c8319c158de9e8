#!/usr/bin/env bash
# Benchmark: the verifier's pure-Java snapshot status against `etcdctl snapshot status` on the same
# snapshot file, in the same run. Usage: deploy/bench/verifier-status.sh [size-in-MB, default 512]
# Starts its own etcd on free loopback ports in a temporary directory, fills it, saves a snapshot,
# times both tools, checks they print equal figures, and reports the Java run's peak RSS.
# LIFEBOAT_BENCH_KEEP=<file> keeps a copy of the snapshot.
set -euo pipefail

SIZE_MB="${1:-512}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODULE="$ROOT/inspect"
WORK="$(mktemp -d -t lifeboat-bench-XXXXXX)"
ETCD_PID=""

fail() { echo "verifier-status: $*" >&2; exit 1; }
cleanup() {
    if [[ -n "$ETCD_PID" ]]; then kill "$ETCD_PID" 2>/dev/null || true; wait "$ETCD_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

[[ "$SIZE_MB" =~ ^[0-9]+$ && "$SIZE_MB" -gt 0 ]] || fail "size must be a positive number of MB, got '$SIZE_MB'"
for tool in etcd etcdctl java base64; do command -v "$tool" >/dev/null || fail "$tool is not installed"; done

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
    done
    fail "no free port found"
}
millis() { date +%s%3N; }

# Build the module's classes and classpath once.
CLASSES="$MODULE/target/classes"
CP_FILE="$MODULE/target/bench-classpath.txt"
if [[ ! -f "$CLASSES/dev/lifeboat/inspect/InspectCommand.class" || ! -f "$CP_FILE" ]]; then
    echo "building the inspect module ..."
    (cd "$ROOT" && ./mvnw -q -pl inspect -am compile dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
            -Dmdep.includeScope=runtime >"$WORK/build.log" 2>&1) || fail "build failed, see the Maven output: $(tail -3 "$WORK/build.log")"
fi
CP="$CLASSES:$(cat "$CP_FILE")"

CLIENT_PORT="$(free_port)"
PEER_PORT="$(free_port)"
ENDPOINT="http://127.0.0.1:$CLIENT_PORT"
etcd --name bench --data-dir "$WORK/data" \
    --listen-client-urls "$ENDPOINT" --advertise-client-urls "$ENDPOINT" \
    --listen-peer-urls "http://127.0.0.1:$PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$PEER_PORT" \
    --initial-cluster "bench=http://127.0.0.1:$PEER_PORT" \
    --quota-backend-bytes $((SIZE_MB * 3 * 1024 * 1024 + 1073741824)) \
    --max-txn-ops 4096 --max-request-bytes 16777216 >"$WORK/etcd.log" 2>&1 &
ETCD_PID=$!
ETCDCTL=(etcdctl --endpoints "$ENDPOINT" --command-timeout 60s)
for _ in $(seq 1 100); do
    "${ETCDCTL[@]}" endpoint health >/dev/null 2>&1 && break
    kill -0 "$ETCD_PID" 2>/dev/null || fail "etcd did not start: $(tail -2 "$WORK/etcd.log")"
    sleep 0.2
done
"${ETCDCTL[@]}" endpoint health >/dev/null 2>&1 || fail "etcd did not become healthy"

# Fill with Kubernetes-like keys and ~3 KiB values, 500 puts per transaction (the client sends at most 2 MiB), until the db is big enough.
echo "filling etcd to about $SIZE_MB MB ..."
fill_start=$(millis)
batch=0
db_size() { "${ETCDCTL[@]}" endpoint status -w json | sed -n 's/.*"dbSize":\([0-9]*\).*/\1/p'; }
while :; do
    {
        echo
        head -c $((500 * 2304)) /dev/urandom | base64 -w 3072 \
            | awk -v b="$batch" '{ printf "put /registry/configmaps/ns-%d/cm-%d-%d %s\n", NR % 50, b, NR, $0 }'
        echo
        echo
    } | "${ETCDCTL[@]}" txn >/dev/null || fail "etcdctl txn failed while filling"
    batch=$((batch + 1))
    if (( batch % 10 == 0 )); then
        # Overwrite and delete some keys so the snapshot holds history and tombstones as real ones do.
        "${ETCDCTL[@]}" del --prefix "/registry/configmaps/ns-7/cm-$((batch - 5))-" >/dev/null
        size=$(db_size)
        [[ -n "$size" ]] || fail "cannot read the db size"
        (( size >= SIZE_MB * 1024 * 1024 )) && break
    fi
done
echo "filled in $(( ($(millis) - fill_start) / 1000 )) s"

SNAPSHOT="$WORK/snapshot.db"
"${ETCDCTL[@]}" snapshot save "$SNAPSHOT" >/dev/null 2>&1 || fail "etcdctl snapshot save failed"
kill "$ETCD_PID" && wait "$ETCD_PID" 2>/dev/null || true
ETCD_PID=""
FILE_MB=$(( $(stat -c %s "$SNAPSHOT") / 1024 / 1024 ))
# LIFEBOAT_BENCH_KEEP=<file> keeps a copy of the snapshot for further measurements.
if [[ -n "${LIFEBOAT_BENCH_KEEP:-}" ]]; then cp "$SNAPSHOT" "$LIFEBOAT_BENCH_KEEP"; fi

# Warm the page cache so both tools read from memory, as the verifier does right after download.
cat "$SNAPSHOT" >/dev/null

# CPU time (user + system) of a run measured by /usr/bin/time, in ms: robust when the machine is shared.
cpu_ms() { awk -F': ' '/User time|System time/ { t += $2 } END { printf "%d", t * 1000 }' "$1"; }

# Three alternating rounds; the best round of each tool counts (the machine may be shared).
ETCDCTL_MS=""
JAVA_MS=""
for _ in 1 2 3; do
    t0=$(millis)
    ETCDCTL_OUT=$(/usr/bin/time -v -o "$WORK/etcdctl.time" etcdctl snapshot status -w json "$SNAPSHOT" 2>"$WORK/etcdctl.err") || fail "etcdctl snapshot status failed: $(tail -1 "$WORK/etcdctl.err")"
    t1=$(millis)
    JAVA_OUT=$(/usr/bin/time -v -o "$WORK/java.time" java -Xmx256m -cp "$CP" dev.lifeboat.inspect.InspectCommand "$SNAPSHOT" 2>"$WORK/java.err") \
        || fail "Java status failed: $(tail -1 "$WORK/java.err")"
    t2=$(millis)
    if [[ -z "$ETCDCTL_MS" ]] || (( t1 - t0 < ETCDCTL_MS )); then ETCDCTL_MS=$((t1 - t0)); ETCDCTL_CPU=$(cpu_ms "$WORK/etcdctl.time"); fi
    if [[ -z "$JAVA_MS" ]] || (( t2 - t1 < JAVA_MS )); then JAVA_MS=$((t2 - t1)); JAVA_CPU=$(cpu_ms "$WORK/java.time"); fi
done
t2=$(millis)
/usr/bin/time -v -o "$WORK/full.time" java -Xmx256m -cp "$CP" dev.lifeboat.inspect.InspectCommand --full "$SNAPSHOT" \
    >"$WORK/full.json" 2>"$WORK/full.err" || fail "Java full inspection failed: $(tail -1 "$WORK/full.err")"
t3=$(millis)
java -Xmx256m -cp "$CP" dev.lifeboat.inspect.InspectCommand --timed 5 "$SNAPSHOT" 2>"$WORK/warm.err" >/dev/null \
    || fail "Java timed status failed: $(tail -1 "$WORK/warm.err")"

FULL_MS=$((t3 - t2))
rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%d", $2 / 1024 }' "$1"; }

echo "snapshot:              $FILE_MB MB"
echo "etcdctl status:        $ETCDCTL_OUT"
echo "java status:           $JAVA_OUT"
echo "etcdctl snapshot status: ${ETCDCTL_MS} ms (best of 3), CPU ${ETCDCTL_CPU} ms"
echo "java status:             ${JAVA_MS} ms (best of 3, JVM start included), CPU ${JAVA_CPU} ms, peak RSS $(rss_mb "$WORK/java.time") MB with -Xmx256m"
echo "java status in a warm JVM (as in the service): $(sed 's/run [0-9]*: //; s/ ms//' "$WORK/warm.err" | paste -sd' ') ms"
echo "java full inspection:    ${FULL_MS} ms (sha256 trailer, status, live keys, content), peak RSS $(rss_mb "$WORK/full.time") MB"
awk -v e="$ETCDCTL_MS" -v j="$JAVA_MS" 'BEGIN { printf "ratio etcdctl/java:      %.2f (above 1 means Java is faster)\n", (j > 0 ? e / j : 0) }'
[[ "$ETCDCTL_OUT" == "$JAVA_OUT" ]] || fail "figures differ: etcdctl $ETCDCTL_OUT, java $JAVA_OUT"
echo "figures equal: yes"
