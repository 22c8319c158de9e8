package dev.lifeboat.verifier.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.store.SnapshotIds;

/**
 * The verifier's metrics: how long verifications and drills take, failures by reason, and how
 * old each cluster's newest verified snapshot is (what an RPO alert watches).
 */
@ApplicationScoped
public class VerifierMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Instant>> newestVerified = new ConcurrentHashMap<>();

    public VerifierMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void verified(SnapshotVerified report, boolean alreadyStored, long nanos) {
        if (!alreadyStored) {
            verificationTimer("verified").record(nanos, TimeUnit.NANOSECONDS);
            Timer.builder("lifeboat.verifier.drill.rto")
                    .description("Measured recovery time of restore drills: download, restore, etcd start until the first read")
                    .register(registry)
                    .record(Duration.ofMillis(report.drill().rtoMillis()));
        }
        Instant taken = SnapshotIds.timeOf(report.snapshotId());
        AtomicReference<Instant> newest = newestVerified.computeIfAbsent(report.clusterId(), id -> {
            AtomicReference<Instant> ref = new AtomicReference<>(taken);
            Gauge.builder("lifeboat.verifier.newest.verified.age", ref,
                            r -> Duration.between(r.get(), Instant.now()).toMillis() / 1000.0)
                    .description("Age of the newest verified snapshot of the cluster")
                    .baseUnit("seconds")
                    .tag("cluster", id)
                    .register(registry);
            return ref;
        });
        newest.accumulateAndGet(taken, (a, b) -> a.isAfter(b) ? a : b);
    }

    public void failed(BackupFailed failure, long nanos) {
        verificationTimer("failed").record(nanos, TimeUnit.NANOSECONDS);
        registry.counter("lifeboat.verifier.failures", "reason", failure.reason().name(),
                "stage", failure.stage().name()).increment();
    }

    private Timer verificationTimer(String outcome) {
        return Timer.builder("lifeboat.verifier.verification.duration")
                .description("Time from a snapshot.taken event to the verdict")
                .tag("outcome", outcome)
                .register(registry);
    }
}
