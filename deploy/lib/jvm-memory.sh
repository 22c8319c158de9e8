# Where a service JVM's memory goes, for the soak and the benchmarks (sourced, not run).
# The JVMs must run with -XX:NativeMemoryTracking=summary (LIFEBOAT_JAVA_OPTS_EXTRA) for the NMT part.
#
#   memory_sample DIR LABEL NAME PID   writes DIR/NAME.LABEL.{rss,nmt,heap,histo,rss-gc}: VmRSS (unless rss is
#                                      there already, from memory_rss), the
#                                      NMT summary, the class histogram (a full GC, so what follows is
#                                      the live set), GC.heap_info after it, and VmRSS after that GC
#                                      (what the JVM kept once it could give back heap it no longer used)
#   memory_rss DIR LABEL NAME PID SUFFIX
#                                      writes DIR/NAME.LABEL.SUFFIX: VmRSS now, nothing forced (memory_sample
#                                      writes SUFFIX rss); a sample rss-idle, taken after the service was left
#                                      idle, is printed by memory_compare too
#   memory_compare DIR FROM TO NAME    prints RSS, live heap (the histogram's total), NMT committed per
#                                      category (those that moved by 2 MB or more) and the classes
#                                      whose live bytes grew most, FROM -> TO

memory_rss() {
  local dir=$1 label=$2 name=$3 pid=$4 suffix=$5
  mkdir -p "$dir"
  awk '/^VmRSS:/ {printf "%.0f\n", $2 / 1024}' "/proc/$pid/status" > "$dir/$name.$label.$suffix" 2>/dev/null \
    || echo "?" > "$dir/$name.$label.$suffix"
}

memory_sample() {
  local dir=$1 label=$2 name=$3 pid=$4
  [ -f "$dir/$name.$label.rss" ] || memory_rss "$dir" "$label" "$name" "$pid" rss
  jcmd "$pid" VM.native_memory summary > "$dir/$name.$label.nmt" 2>&1 || true
  jcmd "$pid" GC.class_histogram > "$dir/$name.$label.histo" 2>&1 || true
  jcmd "$pid" GC.heap_info > "$dir/$name.$label.heap" 2>&1 || true
  memory_rss "$dir" "$label" "$name" "$pid" rss-gc
}

# NMT summary -> "category committed-MB" lines (Total first)
memory_nmt_committed() {
  awk '
    /^Total:/ { match($0, /committed=[0-9]+KB/); printf "Total %.0f\n", substr($0, RSTART + 10, RLENGTH - 12) / 1024 }
    /^-  *[A-Za-z].*\(reserved=[0-9]+KB, committed=[0-9]+KB/ {
      name = $0; sub(/^- */, "", name); sub(/ *\(reserved=.*/, "", name); gsub(/ /, "_", name)
      match($0, /committed=[0-9]+KB/); printf "%s %.1f\n", name, substr($0, RSTART + 10, RLENGTH - 12) / 1024
    }' "$1" 2>/dev/null
}

# class histogram -> MB of live objects at its full GC (heap_info after it also counts what was
# allocated in between, tens of MB on a busy service)
memory_heap_used() {
  awk '$1 == "Total" { printf "%.0f", $3 / 1048576; found = 1 } END { if (!found) printf "?" }' "$1" 2>/dev/null
}

memory_compare() {
  local dir=$1 from=$2 to=$3 name=$4
  printf '%s: RSS %s -> %s MB; live heap (after a full GC) %s -> %s MB; RSS after that GC %s -> %s MB\n' "$name" \
    "$(cat "$dir/$name.$from.rss")" "$(cat "$dir/$name.$to.rss")" \
    "$(memory_heap_used "$dir/$name.$from.histo")" "$(memory_heap_used "$dir/$name.$to.histo")" \
    "$(cat "$dir/$name.$from.rss-gc" 2>/dev/null || echo ?)" "$(cat "$dir/$name.$to.rss-gc" 2>/dev/null || echo ?)"
  if [ -f "$dir/$name.$to.rss-idle" ]; then
    printf '    RSS after idling, no GC forced: %s -> %s MB\n' "$(cat "$dir/$name.$from.rss-idle" 2>/dev/null || echo ?)" \
      "$(cat "$dir/$name.$to.rss-idle")"
  fi
  if grep -q '^Total:' "$dir/$name.$to.nmt" 2>/dev/null; then
    join <(memory_nmt_committed "$dir/$name.$from.nmt" | sort) <(memory_nmt_committed "$dir/$name.$to.nmt" | sort) \
      | awk '{ d = $3 - $2; if ($1 == "Total" || d >= 2 || d <= -2) printf "    NMT %-26s %7.1f -> %7.1f MB (%+.1f)\n", $1, $2, $3, d }' || true
  else
    echo "    (no NMT summary: start the JVM with -XX:NativeMemoryTracking=summary)"
  fi
  # live bytes per class, FROM -> TO: the five that grew most
  join -a 2 -e 0 -o 0,1.2,2.2 <(awk '$1 ~ /^[0-9]+:$/ {print $4, $3}' "$dir/$name.$from.histo" 2>/dev/null | sort) \
       <(awk '$1 ~ /^[0-9]+:$/ {print $4, $3}' "$dir/$name.$to.histo" 2>/dev/null | sort) \
    | awk '{ printf "%d %s %d %d\n", $3 - $2, $1, $2, $3 }' | sort -rn \
    | awk 'NR <= 5 { printf "    live %-60s %8.1f -> %8.1f KB\n", $2, $3 / 1024, $4 / 1024 }'
}
