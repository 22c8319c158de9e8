package dev.lifeboat.retention.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Retention and freshness metrics, tagged by {@code cluster} and {@code region}:
 * {@code lifeboat_retention_snapshots_kept}, {@code lifeboat_retention_snapshots_pruned_total},
 * {@code lifeboat_retention_leftovers_removed_total}, {@code lifeboat_retention_reclaimed_bytes_total},
 * {@code lifeboat_newest_verified_snapshot_age_seconds} (NaN while there is none); by {@code cluster}:
 * {@code lifeboat_cluster_rpo_seconds}, {@code lifeboat_first_backup_deadline_timestamp_seconds}
 * (NaN unless the cluster has no verified snapshot yet). The freshness gauges exist only for the
 * clusters the watchdog watches, in the regions their backups go to. Of the watchdog's last pass on
 * this replica: {@code lifeboat_retention_watchdog_pass_clusters}, {@code
 * lifeboat_retention_watchdog_pass_store_requests} and {@code lifeboat_retention_watchdog_pass_seconds}.
 */
@ApplicationScoped
public class RetentionMetrics {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Tags, AtomicLong> kept = new ConcurrentHashMap<>();
    private final Map<String, FreshnessGauge> freshness = new ConcurrentHashMap<>();
    private final AtomicLong passClusters = new AtomicLong();
    private final AtomicLong passRequests = new AtomicLong();
    private final AtomicLong passNanos = new AtomicLong();

    public RetentionMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("lifeboat.retention.watchdog.pass.clusters", passClusters, AtomicLong::get)
                .description("Clusters the watchdog's last pass judged on this replica").register(registry);
        Gauge.builder("lifeboat.retention.watchdog.pass.store.requests", passRequests, AtomicLong::get)
                .description("Store requests the watchdog's last pass made on this replica").register(registry);
        Gauge.builder("lifeboat.retention.watchdog.pass", passNanos, n -> n.get() / 1e9).baseUnit("seconds")
                .description("How long the watchdog's last pass took on this replica").register(registry);
    }

    /** What the watchdog's last pass judged and cost; {@code lifeboat_retention_watchdog_passes_total} counts the passes. */
    public void watchdogPass(int clusters, int storeRequests, Duration took) {
        registry.counter("lifeboat.retention.watchdog.passes").increment();
        passClusters.set(clusters);
        passRequests.set(storeRequests);
        passNanos.set(took.toNanos());
    }

    public void kept(String cluster, String region, long count) {
        kept.computeIfAbsent(tags(cluster, region), t -> registry.gauge("lifeboat.retention.snapshots.kept", t,
                new AtomicLong())).set(count);
    }

    public void pruned(String cluster, String region, long bytes) {
        registry.counter("lifeboat.retention.snapshots.pruned", tags(cluster, region)).increment();
        reclaimed(cluster, region, bytes);
    }

    public void leftoverRemoved(String cluster, String region, long bytes) {
        registry.counter("lifeboat.retention.leftovers.removed", tags(cluster, region)).increment();
        reclaimed(cluster, region, bytes);
    }

    /**
     * Records the newest verified snapshot's time in a region the cluster's backups go to (null:
     * none); the gauge ages with the clock. Only the freshness watchdog writes it.
     */
    public void newestVerified(String cluster, String region, Instant takenAt) {
        this.<Instant>freshness("lifeboat.newest.verified.snapshot.age", "Age of the newest verified snapshot of a cluster in a region",
                tags(cluster, region), t -> Duration.between(t, clock.instant()).toMillis() / 1000.0).set(takenAt);
    }

    /** The cluster's recovery point objective, what the age of its newest verified snapshot is judged by. */
    public void recoveryPointObjective(String cluster, Duration rpo) {
        this.<Duration>freshness("lifeboat.cluster.rpo", "Recovery point objective of a cluster", Tags.of("cluster", cluster),
                d -> d.toMillis() / 1000.0).set(rpo);
    }

    /** When a cluster without any verified snapshot becomes overdue (null: it has one, or has no deadline). */
    public void firstBackupDeadline(String cluster, Instant deadline) {
        this.<Instant>freshness("lifeboat.first.backup.deadline.timestamp", "When the first verified snapshot of a cluster is overdue",
                Tags.of("cluster", cluster), t -> t.toEpochMilli() / 1000.0).set(deadline);
    }

    /**
     * Removes the freshness gauges of every cluster not in {@code watched} and of every region not
     * watched for it: no series is left for a removed cluster or a region it is no longer backed up to.
     */
    public void watchedOnly(Map<String, Set<String>> watched) {
        freshness.entrySet().removeIf(entry -> {
            Meter.Id id = entry.getValue().meter().getId();
            Set<String> regions = watched.get(id.getTag("cluster"));
            String region = id.getTag("region");
            boolean gone = regions == null || (region != null && !regions.contains(region));
            if (gone) {
                registry.remove(entry.getValue().meter());
            }
            return gone;
        });
    }

    @SuppressWarnings("unchecked")
    private <T> AtomicReference<T> freshness(String name, String description, Tags tags, ToDoubleFunction<T> value) {
        return (AtomicReference<T>) freshness.computeIfAbsent(name + tags, key -> {
            AtomicReference<T> ref = new AtomicReference<>();
            Gauge gauge = Gauge.builder(name, ref, r -> r.get() == null ? Double.NaN : value.applyAsDouble(r.get()))
                    .baseUnit("seconds").tags(tags).description(description).register(registry);
            return new FreshnessGauge(gauge, ref);
        }).value();
    }

    private record FreshnessGauge(Meter meter, AtomicReference<?> value) {}

    private void reclaimed(String cluster, String region, long bytes) {
        Counter.builder("lifeboat.retention.reclaimed").baseUnit("bytes").tags(tags(cluster, region))
                .register(registry).increment(bytes);
    }

    private static Tags tags(String cluster, String region) {
        return Tags.of("cluster", cluster, "region", region);
    }
}
