package dev.lifeboat.retention.metrics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/**
 * Retention and freshness metrics, tagged by {@code cluster} and {@code region}:
 * {@code lifeboat_retention_snapshots_kept}, {@code lifeboat_retention_snapshots_pruned_total},
 * {@code lifeboat_retention_leftovers_removed_total}, {@code lifeboat_retention_reclaimed_bytes_total},
 * {@code lifeboat_newest_verified_snapshot_age_seconds} (NaN while there is none).
 */
@ApplicationScoped
public class RetentionMetrics {
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<Tags, AtomicLong> kept = new ConcurrentHashMap<>();
    private final Map<Tags, AtomicReference<Instant>> newestVerified = new ConcurrentHashMap<>();

    public RetentionMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
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

    /** Records the newest verified snapshot's time (null: none); the gauge ages with the clock. */
    public void newestVerified(String cluster, String region, Instant takenAt) {
        newestVerified.computeIfAbsent(tags(cluster, region), t -> {
            AtomicReference<Instant> ref = new AtomicReference<>();
            Gauge.builder("lifeboat.newest.verified.snapshot.age", ref, r -> r.get() == null ? Double.NaN
                            : Duration.between(r.get(), clock.instant()).toMillis() / 1000.0)
                    .baseUnit("seconds").tags(t)
                    .description("Age of the newest verified snapshot of a cluster in a region")
                    .register(registry);
            return ref;
        }).set(takenAt);
    }

    private void reclaimed(String cluster, String region, long bytes) {
        Counter.builder("lifeboat.retention.reclaimed").baseUnit("bytes").tags(tags(cluster, region))
                .register(registry).increment(bytes);
    }

    private static Tags tags(String cluster, String region) {
        return Tags.of("cluster", cluster, "region", region);
    }
}
