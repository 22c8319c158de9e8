package dev.lifeboat.deploy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.SnapshotIds;

/**
 * One fire of a fleet, judged from the topics alone: {@code FleetReport <bootstrap> <cluster-prefix>
 * <clusters> <fire-epoch-seconds> <durable-bound-seconds> <settle-bound-seconds>}. Follows the
 * snapshots of that fire time (the snapshot id's time) of the clusters whose id starts with the
 * prefix: durable ({@code snapshot.taken}: the manifest is written), verified and replicated (the
 * records' timestamps). Prints progress every 30 s, then the time from the fire to the last durable,
 * verified and replicated snapshot, p50/p99/max of fire to durable, and the failure events by stage
 * and reason. Stops when every cluster's snapshot is verified and replicated, when not all are
 * durable after the durable bound, or after the settle bound (both counted from the fire); exit 1
 * unless all were durable, verified and replicated without a failure event.
 */
public final class FleetReport {
    private FleetReport() {}

    public static void main(String[] args) {
        String prefix = args[1];
        int clusters = Integer.parseInt(args[2]);
        Instant fire = Instant.ofEpochSecond(Long.parseLong(args[3]));
        Instant durableBound = fire.plusSeconds(Long.parseLong(args[4]));
        Instant settleBound = fire.plusSeconds(Long.parseLong(args[5]));
        Map<String, Instant> durable = new HashMap<>();
        Map<String, Instant> verified = new HashMap<>();
        Map<String, Instant> replicated = new HashMap<>();
        List<BackupFailed> failures = new ArrayList<>();
        int otherFires = 0;
        Instant nextProgress = Instant.now().plusSeconds(30);
        try (PipelineRecords records = new PipelineRecords(args[0], prefix)) {
            while (true) {
                for (PipelineRecords.Timed timed : records.poll()) {
                    LifeboatEvent event = timed.event();
                    Instant at = timed.at();
                    if (event instanceof BackupFailed f) {
                        if (!f.resolved() && !at.isBefore(fire)) {
                            failures.add(f);
                        }
                        continue;
                    }
                    String snapshotId = event instanceof SnapshotTaken t ? t.snapshotId()
                            : event instanceof SnapshotVerified v ? v.snapshotId()
                            : event instanceof SnapshotReplicated rep ? rep.snapshotId() : null;
                    if (snapshotId == null) {
                        continue;
                    }
                    if (!SnapshotIds.timeOf(snapshotId).equals(fire)) {
                        if (event instanceof SnapshotTaken && !at.isBefore(fire)) {
                            otherFires++;
                        }
                        continue;
                    }
                    String cluster = event.clusterId();
                    Map<String, Instant> into = event instanceof SnapshotTaken ? durable
                            : event instanceof SnapshotVerified ? verified : replicated;
                    into.merge(cluster, at, (a, b) -> a.isAfter(b) ? a : b); // replicated: the last region
                }
                Instant now = Instant.now();
                boolean settled = verified.size() >= clusters && replicated.size() >= clusters;
                boolean durableMissed = now.isAfter(durableBound) && durable.size() < clusters;
                if (settled || durableMissed || now.isAfter(settleBound)) {
                    if (!settled) {
                        System.out.printf("stopped at fire + %d s: %s%n", Duration.between(fire, now).toSeconds(),
                                durableMissed ? "not every snapshot durable within the durable bound"
                                        : "the settle bound passed");
                    }
                    report(clusters, fire, durable, verified, replicated, failures, otherFires);
                    System.exit(settled && failures.isEmpty() ? 0 : 1);
                }
                if (now.isAfter(nextProgress)) {
                    nextProgress = now.plusSeconds(30);
                    System.out.printf("  fire + %4d s: durable %d, verified %d, replicated %d of %d; failures %d (load %s)%n",
                            Duration.between(fire, now).toSeconds(), durable.size(), verified.size(),
                            replicated.size(), clusters, failures.size(), Latencies.load());
                }
            }
        }
    }

    private static void report(int clusters, Instant fire, Map<String, Instant> durable, Map<String, Instant> verified,
                               Map<String, Instant> replicated, List<BackupFailed> failures, int otherFires) {
        System.out.printf("clusters %d, fire %s: durable %d, verified %d, replicated %d; failure events %d; "
                + "snapshots of other fire times %d (load %s)%n", clusters, fire, durable.size(), verified.size(),
                replicated.size(), failures.size(), otherFires, Latencies.load());
        List<Long> toDurable = durable.values().stream().map(at -> Duration.between(fire, at).toMillis()).sorted().toList();
        if (!toDurable.isEmpty()) {
            System.out.println("fire -> durable: " + Latencies.summary(toDurable));
        }
        System.out.printf("fire -> last verified: %s; fire -> last replicated: %s%n", last(fire, verified, clusters),
                last(fire, replicated, clusters));
        Map<String, Integer> byReason = new TreeMap<>();
        failures.forEach(f -> byReason.merge(f.stage() + "/" + f.reason() + " " + f.severity(), 1, Integer::sum));
        byReason.forEach((reason, n) -> System.out.printf("FAILED %dx %s%n", n, reason));
        failures.stream().limit(5).forEach(f -> System.out.printf("  e.g. %s %s: %s%n", f.clusterId(), f.reason(),
                f.message()));
    }

    /** Fire to the last one, or how many are missing. */
    private static String last(Instant fire, Map<String, Instant> done, int clusters) {
        if (done.isEmpty()) {
            return "none";
        }
        Instant last = done.values().stream().max(Instant::compareTo).orElseThrow();
        String took = String.format("%.1f s", Duration.between(fire, last).toMillis() / 1000.0);
        return done.size() >= clusters ? took : took + " for " + done.size() + " (" + (clusters - done.size())
                + " not yet)";
    }
}
