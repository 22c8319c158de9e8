package dev.lifeboat.verifier.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.SnapshotVerified;
import dev.lifeboat.verifier.verification.SnapshotVerification;

/**
 * The verifier's metrics: how long verifications and drills take, failures by reason, how many
 * verifications wait for the object store, and the snapshots the catch-up sweep found without a
 * verdict. How old a cluster's newest verified
 * snapshot is has one writer, retention's freshness watchdog.
 */
// created at start-up, so the gauges exist before the first verdict
@Startup
@ApplicationScoped
public class VerifierMetrics {
    private final MeterRegistry registry;

    public VerifierMetrics(MeterRegistry registry, SnapshotVerification verification) {
        this.registry = registry;
        Gauge.builder("lifeboat.verifier.store.waiting", verification, SnapshotVerification::waitingForStore)
                .description("Verifications pausing for an unreachable object store; their records stay unacknowledged")
                .register(registry);
    }

    /** A verdict "verified"; {@code recorded} when it was read back from the store, not decided now. */
    public void verified(SnapshotVerified report, boolean recorded, long nanos) {
        if (!recorded) {
            verificationTimer("verified").record(nanos, TimeUnit.NANOSECONDS);
            Timer.builder("lifeboat.verifier.drill.rto")
                    .description("Measured recovery time of restore drills: download, restore, etcd start until the first read")
                    .register(registry)
                    .record(Duration.ofMillis(report.drill().rtoMillis()));
        }
    }

    public void failed(BackupFailed failure, boolean recorded, long nanos) {
        if (!recorded) {
            verificationTimer("failed").record(nanos, TimeUnit.NANOSECONDS);
        }
        registry.counter("lifeboat.verifier.failures", "reason", failure.reason().name(),
                "stage", failure.stage().name()).increment();
    }

    /** A delivery that added nothing: the snapshot is being verified already, here or by another replica. */
    public void inProgressElsewhere() {
        registry.counter("lifeboat.verifier.deliveries.in.progress").increment();
    }

    /** A complete snapshot without a verdict, found by the catch-up sweep instead of an event. */
    public void caughtUp() {
        registry.counter("lifeboat.verifier.catch.up.snapshots").increment();
    }

    private Timer verificationTimer(String outcome) {
        return Timer.builder("lifeboat.verifier.verification.duration")
                .description("Time from a snapshot.taken event to the verdict")
                .tag("outcome", outcome)
                .register(registry);
    }
}
