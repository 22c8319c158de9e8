package dev.lifeboat.snapshot.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.lifeboat.common.io.BoundedPipe;
import dev.lifeboat.common.retry.Backoff;
import dev.lifeboat.common.retry.Retry;
import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.kit.messaging.EventPublishException;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.LifeboatEvent;
import dev.lifeboat.events.SnapshotTaken;
import dev.lifeboat.events.Stage;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.SnapshotManifest;

/**
 * Runs snapshots in the background, at most one per cluster and {@code max-concurrent} overall,
 * and turns every outcome into an event: {@code snapshot.taken} once the manifest is written,
 * {@code backup.failed} (stage SNAPSHOT) with a reason otherwise.
 */
@ApplicationScoped
public class SnapshotRunner {
    private static final Logger LOG = Logger.getLogger(SnapshotRunner.class);
    /** Three tries, 1 s and 2 s apart. */
    private static final Retry<EventPublishException> PUBLISH_RETRY = Retry.of(3,
            new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(2)), EventPublishException.class);

    public enum Trigger { SCHEDULE, ON_DEMAND }

    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final Map<String, LastOutcome> lastOutcomes = new ConcurrentHashMap<>();
    private final ExecutorService executor;
    private final SnapshotTaker taker;
    private final EventPublisher publisher;
    private final SnapshotMetrics metrics;
    private final String region;

    /** How the most recent snapshot attempt of a cluster ended; {@code reason} null = success. */
    public record LastOutcome(String snapshotId, Instant at, FailureReason reason) {}

    /** A snapshot in progress. */
    public record Running(String snapshotId, Instant startedAt, AtomicReference<BoundedPipe> pipe) {
        public long bytesStreamed() {
            BoundedPipe p = pipe.get();
            return p == null ? 0 : p.bytesWritten();
        }
    }

    public SnapshotRunner(SnapshotConfig config, Regions regions, EventPublisher publisher, SnapshotMetrics metrics,
                          @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev") String version) {
        this.executor = Executors.newFixedThreadPool(config.maxConcurrent(), r -> {
            Thread t = new Thread(r, "snapshot-worker");
            t.setDaemon(true);
            return t;
        });
        this.taker = new SnapshotTaker(regions.primary(), config.memberTimeout(), config.timeout(), config.bufferKib(),
                "lifeboat-snapshot-service/" + version + " (jetcd Maintenance.snapshot)");
        this.publisher = publisher;
        this.metrics = metrics;
        this.region = regions.primaryName();
    }

    /**
     * Starts a snapshot of the cluster and returns its id at once.
     *
     * @throws SnapshotInProgressException when one is already running for the cluster
     */
    public String start(String clusterId, ClusterSpec spec, Trigger trigger) {
        String snapshotId = SnapshotIds.newSnapshotId(Instant.now());
        Running run = new Running(snapshotId, Instant.now(), new AtomicReference<>());
        Running existing = running.putIfAbsent(clusterId, run);
        if (existing != null) {
            throw new SnapshotInProgressException(clusterId, existing.snapshotId());
        }
        metrics.streaming(clusterId, run::bytesStreamed);
        try {
            executor.execute(() -> runSnapshot(clusterId, spec, trigger, run));
        } catch (RuntimeException e) {
            running.remove(clusterId);
            throw e;
        }
        return snapshotId;
    }

    public Optional<LastOutcome> lastOutcome(String clusterId) {
        return Optional.ofNullable(lastOutcomes.get(clusterId));
    }

    public Optional<Running> running(String clusterId) {
        return Optional.ofNullable(running.get(clusterId));
    }

    private void runSnapshot(String clusterId, ClusterSpec spec, Trigger trigger, Running run) {
        String snapshotId = run.snapshotId();
        LOG.infof("cluster %s: taking snapshot %s (%s)", clusterId, snapshotId, trigger);
        try {
            SnapshotManifest m = taker.take(clusterId, snapshotId, spec, trigger.name(), run.pipe()::set);
            Duration took = Duration.between(run.startedAt(), Instant.now());
            metrics.succeeded(clusterId, m.sizeBytes(), took, Instant.now().getEpochSecond());
            lastOutcomes.put(clusterId, new LastOutcome(snapshotId, Instant.now(), null));
            LOG.infof("cluster %s: snapshot %s complete: %d bytes, revision %d, member %s, %d ms",
                    clusterId, snapshotId, m.sizeBytes(), m.revision(), m.memberId(), took.toMillis());
            publishWithRetry(new SnapshotTaken(clusterId, snapshotId, region, SnapshotLayout.objectKey(m), m.sizeBytes(), m.sha256(),
                    m.revision(), m.memberId(), m.etcdVersion(), trigger.name(), m.takenAt(), took.toMillis()));
        } catch (SnapshotFailedException e) {
            fail(clusterId, run, e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "cluster %s: snapshot %s failed unexpectedly", clusterId, snapshotId);
            fail(clusterId, run, FailureReason.INTERNAL, e.toString());
        } finally {
            running.remove(clusterId);
            metrics.done(clusterId);
        }
    }

    private void fail(String clusterId, Running run, FailureReason reason, String message) {
        LOG.warnf("cluster %s: snapshot %s failed: %s: %s", clusterId, run.snapshotId(), reason, message);
        metrics.failed(clusterId, reason, Duration.between(run.startedAt(), Instant.now()));
        lastOutcomes.put(clusterId, new LastOutcome(run.snapshotId(), Instant.now(), reason));
        publishWithRetry(BackupFailed.of(clusterId, run.snapshotId(), Stage.SNAPSHOT, reason,
                message, region, 1));
    }

    /** Kafka may blink; the snapshot is already durable, so its announcement is worth a few tries. */
    private void publishWithRetry(LifeboatEvent event) {
        try {
            PUBLISH_RETRY.call(attempt -> {
                publisher.publish(event);
                return null;
            }, (attempt, e, wait) -> LOG.warnf("publishing %s for cluster %s failed (attempt %d): %s; again in %s",
                    event.type(), event.clusterId(), attempt, e.getMessage(), wait));
        } catch (EventPublishException e) {
            LOG.errorf("could not publish %s for cluster %s after %d attempts: %s", event.type(),
                    event.clusterId(), PUBLISH_RETRY.attempts(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(10, TimeUnit.SECONDS);
    }
}
