package dev.lifeboat.snapshot.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.Severities;
import dev.lifeboat.events.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

/** Per-cluster snapshot metrics, exported at {@code /q/metrics}. */
@ApplicationScoped
public class SnapshotMetrics {
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastBytes = new ConcurrentHashMap<>();
    private final Map<String, LongSupplier> inFlight = new ConcurrentHashMap<>();

    public SnapshotMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void succeeded(String clusterId, long bytes, Duration duration, long finishedAtEpochSeconds) {
        registry.timer("lifeboat.snapshot.duration", Tags.of("cluster", clusterId, "outcome", "success"))
                .record(duration.toMillis(), TimeUnit.MILLISECONDS);
        registry.summary("lifeboat.snapshot.size.bytes", Tags.of("cluster", clusterId)).record(bytes);
        gauge("lifeboat.snapshot.last.success.timestamp.seconds", clusterId, lastSuccess).set(finishedAtEpochSeconds);
        gauge("lifeboat.snapshot.last.size.bytes", clusterId, lastBytes).set(bytes);
    }

    public void failed(String clusterId, FailureReason reason, Duration duration) {
        registry.timer("lifeboat.snapshot.duration", Tags.of("cluster", clusterId, "outcome", "failure"))
                .record(duration.toMillis(), TimeUnit.MILLISECONDS);
        failures(clusterId, reason).increment();
    }

    /** A snapshot that was accepted, or fired, but never started (skipped, dropped): a failure without a duration. */
    public void notTaken(String clusterId, FailureReason reason) {
        failures(clusterId, reason).increment();
    }

    /** Labelled with the failure event's severity, so that alerts page only for what a human must act on. */
    private Counter failures(String clusterId, FailureReason reason) {
        return registry.counter("lifeboat.snapshot.failures", Tags.of("cluster", clusterId, "reason", reason.name(),
                "severity", Severities.of(Stage.SNAPSHOT, reason).name()));
    }

    /** A fire time that nobody took when it came (no owner, service down), started late by this replica. */
    public void lateFire(String clusterId, Duration late) {
        registry.counter("lifeboat.snapshot.late.fires", Tags.of("cluster", clusterId)).increment();
        registry.timer("lifeboat.snapshot.fire.lateness", Tags.of("cluster", clusterId))
                .record(late.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A fire time nobody took and a later fire superseded before anyone could take it late: counted
     * as a SNAPSHOT_SKIPPED failure and in {@code lifeboat_snapshot_superseded_fires_total}.
     */
    public void supersededFire(String clusterId) {
        notTaken(clusterId, FailureReason.SNAPSHOT_SKIPPED);
        registry.counter("lifeboat.snapshot.superseded.fires", Tags.of("cluster", clusterId)).increment();
    }

    /** How long an accepted snapshot waited for a free worker. */
    public void queued(String clusterId, Duration waited) {
        registry.timer("lifeboat.snapshot.queue", Tags.of("cluster", clusterId))
                .record(waited.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Bytes streamed so far by the running snapshot of the cluster (0 when none runs). */
    public void streaming(String clusterId, LongSupplier bytes) {
        inFlight.put(clusterId, bytes);
        Gauge.builder("lifeboat.snapshot.streamed.bytes", inFlight,
                        m -> m.getOrDefault(clusterId, () -> 0L).getAsLong())
                .tags("cluster", clusterId).register(registry);
    }

    public void done(String clusterId) {
        inFlight.remove(clusterId);
    }

    private AtomicLong gauge(String name, String clusterId, Map<String, AtomicLong> values) {
        return values.computeIfAbsent(clusterId, id -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).tags("cluster", id).register(registry);
            return value;
        });
    }
}
