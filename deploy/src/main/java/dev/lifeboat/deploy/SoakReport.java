package dev.lifeboat.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.SnapshotIds;

/**
 * The soak's verdict, from the topics alone: {@code SoakReport <bootstrap> <cluster-prefix>
 * <window-end-epoch-seconds> <settle-seconds>}. Every snapshot of the soak's clusters fired before
 * the window's end must be taken, verified and replicated (waiting up to the settle time for the
 * last ones), and no failure may be published for them. Prints the counts and the p50/p99 time from
 * fire (the snapshot id's time) to replicated (the record's timestamp); exit 1 on any miss or failure.
 */
public final class SoakReport {
    private SoakReport() {}

    public static void main(String[] args) {
        String prefix = args[1];
        Instant windowEnd = Instant.ofEpochSecond(Long.parseLong(args[2]));
        long settleDeadline = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
        Set<String> taken = new HashSet<>();
        Set<String> verified = new HashSet<>();
        Map<String, Instant> replicated = new HashMap<>();
        List<BackupFailed> failures = new ArrayList<>();
        try (PipelineRecords records = new PipelineRecords(args[0], prefix)) {
            // judge only once everything published before the window's end has been read
            var ends = records.ends();
            while (true) {
                for (PipelineRecords.Timed timed : records.poll()) {
                    LifeboatEvent event = timed.event();
                    String key = event.clusterId() + "/";
                    if (event instanceof SnapshotTaken t) {
                        taken.add(key + t.snapshotId());
                    } else if (event instanceof SnapshotVerified v) {
                        verified.add(key + v.snapshotId());
                    } else if (event instanceof SnapshotReplicated rep) {
                        replicated.merge(key + rep.snapshotId(), timed.at(), (a, b) -> a.isAfter(b) ? a : b);
                    } else if (event instanceof BackupFailed f && !f.resolved()) {
                        failures.add(f);
                    }
                }
                if (!records.readTo(ends)) {
                    continue;
                }
                List<String> judged = taken.stream().filter(id -> fire(id).isBefore(windowEnd)).toList();
                boolean settled = judged.stream().allMatch(id -> verified.contains(id) && replicated.containsKey(id));
                if (settled || System.nanoTime() > settleDeadline) {
                    report(judged, verified, replicated, failures);
                    System.exit(settled && failures.isEmpty() && !judged.isEmpty() ? 0 : 1);
                }
            }
        }
    }

    private static Instant fire(String clusterAndSnapshot) {
        return SnapshotIds.timeOf(clusterAndSnapshot.substring(clusterAndSnapshot.indexOf('/') + 1));
    }

    private static void report(List<String> judged, Set<String> verified, Map<String, Instant> replicated,
                               List<BackupFailed> failures) {
        List<Long> latencies = new ArrayList<>();
        for (String id : judged) {
            Instant at = replicated.get(id);
            if (at != null) {
                latencies.add(Duration.between(fire(id), at).toMillis());
            }
        }
        latencies.sort(null);
        long notVerified = judged.stream().filter(id -> !verified.contains(id)).count();
        long notReplicated = judged.stream().filter(id -> !replicated.containsKey(id)).count();
        System.out.printf("snapshots fired in the window: %d; not verified: %d; not replicated: %d; failure events: %d%n",
                judged.size(), notVerified, notReplicated, failures.size());
        if (!latencies.isEmpty()) {
            System.out.println("fire -> replicated: " + Latencies.summary(latencies));
        }
        failures.forEach(f -> System.out.printf("FAILED %s %s %s/%s %s: %s%n", f.clusterId(), f.snapshotId(), f.stage(),
                f.reason(), f.severity(), f.message()));
    }
}
