package dev.lifeboat.replicator.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.replicator.copy.CopyResult;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Replication figures: bytes and copy duration per region, outcomes, failures by reason, and the
 * lag of each (cluster, region) behind the primary.
 */
@ApplicationScoped
public class ReplicationMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lagSeconds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inProgress = new ConcurrentHashMap<>();

    public ReplicationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void replicated(String region, CopyResult result) {
        String outcome = result.alreadyPresent() ? "already_present" : result.repaired() ? "repaired" : "copied";
        registry.counter("lifeboat.replicator.replications", "region", region, "outcome", outcome).increment();
        registry.counter("lifeboat.replicator.bytes", "region", region).increment(result.bytesCopied());
        registry.timer("lifeboat.replicator.copy.duration", "region", region)
                .record(result.durationMillis(), TimeUnit.MILLISECONDS);
    }

    public void failed(String region, FailureReason reason) {
        registry.counter("lifeboat.replicator.failures", "region", region, "reason", reason.name()).increment();
    }

    /**
     * One reconciliation run ended: {@code lifeboat_replicator_reconciliation_runs_total} by whether
     * the primary could be listed, and the snapshots it copied.
     */
    public void reconciled(boolean sourceReachable, int copied) {
        registry.counter("lifeboat.replicator.reconciliation.runs", "source",
                sourceReachable ? "listed" : "unreachable").increment();
        registry.counter("lifeboat.replicator.reconciliation.copies").increment(copied);
    }

    /** A copy attempt towards {@code region} starts (+1) or ends (-1). */
    public void copying(String region, int delta) {
        inProgress.computeIfAbsent(region, r -> {
            AtomicInteger value = new AtomicInteger();
            Gauge.builder("lifeboat.replicator.copies.in.progress", value, AtomicInteger::get)
                    .description("copy attempts running towards the region")
                    .tags("region", r)
                    .register(registry);
            return value;
        }).addAndGet(delta);
    }

    /** Sets the lag gauge of one cluster in one region. */
    public void lag(String clusterId, String region, Duration lag) {
        lagSeconds.computeIfAbsent(clusterId + "\u0000" + region, k -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder("lifeboat.replicator.lag.seconds", value, AtomicLong::get)
                    .description("newest verified snapshot in the primary minus newest complete one in the region")
                    .tags("cluster", clusterId, "region", region)
                    .register(registry);
            return value;
        }).set(lag.toSeconds());
    }
}
