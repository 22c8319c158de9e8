package dev.lifeboat.replicator.run;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.events.BackupFailed;
import dev.lifeboat.kit.messaging.EventPublisher;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.events.SnapshotReplicated;
import dev.lifeboat.events.Stage;
import dev.lifeboat.replicator.config.ReplicatorConfig;
import dev.lifeboat.replicator.copy.CopyResult;
import dev.lifeboat.replicator.copy.ReplicationFailure;
import dev.lifeboat.replicator.copy.SnapshotCopier;
import dev.lifeboat.replicator.metrics.ReplicationMetrics;
import dev.lifeboat.common.retry.Backoff;
import dev.lifeboat.replicator.plan.LagBook;
import dev.lifeboat.store.Regions;

/**
 * Replicates one snapshot to one region: attempts on the region's own workers, exponential
 * backoff between them (no thread held while waiting), then {@code SnapshotReplicated} on success
 * or one {@code BackupFailed} (stage REPLICATE) once retrying cannot help. Never two copies of
 * the same snapshot to the same region at once.
 */
@ApplicationScoped
public class RegionReplicator {
    private static final Logger LOG = Logger.getLogger(RegionReplicator.class);

    private final Regions regions;
    private final RegionWorkers workers;
    private final EventPublisher publisher;
    private final ReplicationMetrics metrics;
    private final LagBook lagBook;
    private final Backoff backoff;
    private final int maxAttempts;
    private final SnapshotCopier copier = new SnapshotCopier();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public RegionReplicator(Regions regions, RegionWorkers workers, EventPublisher publisher,
                            ReplicationMetrics metrics, LagBook lagBook, ReplicatorConfig config) {
        this.regions = regions;
        this.workers = workers;
        this.publisher = publisher;
        this.metrics = metrics;
        this.lagBook = lagBook;
        this.backoff = new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff());
        this.maxAttempts = Math.max(1, config.retry().maxAttempts());
    }

    /** The copy a verified event asks for: retried while the store is unavailable or the copy does not match. */
    public CompletableFuture<RegionOutcome> replicate(String clusterId, String snapshotId, String source, String target) {
        return attempt(new Job(clusterId, snapshotId, source, target, maxAttempts, true), 1, Duration.ZERO);
    }

    /**
     * One attempt, as reconciliation makes them: skipped while another copy of the same snapshot
     * runs; only a copy that does not match is published as a failure (an unavailable region or a
     * broken source was reported by the event's attempts, and the next run tries again).
     */
    public CompletableFuture<RegionOutcome> replicateOnce(String clusterId, String snapshotId, String source,
                                                          String target) {
        return attempt(new Job(clusterId, snapshotId, source, target, 1, false), 1, Duration.ZERO);
    }

    private record Job(String clusterId, String snapshotId, String source, String target, int maxAttempts,
                       boolean fromEvent) {
        String key() {
            return clusterId + "/" + snapshotId + "/" + target;
        }
    }

    /** What one attempt leads to: an outcome, or another attempt after a wait. */
    private record Step(RegionOutcome outcome, Duration retryAfter, boolean countsAsAttempt) {}

    private CompletableFuture<RegionOutcome> attempt(Job job, int attempt, Duration delay) {
        return workers.submit(job.target(), delay, () -> runOnce(job, attempt))
                .thenCompose(step -> step.outcome() != null
                        ? CompletableFuture.completedFuture(step.outcome())
                        : attempt(job, step.countsAsAttempt() ? attempt + 1 : attempt, step.retryAfter()));
    }

    private Step runOnce(Job job, int attempt) {
        if (!inFlight.add(job.key())) {
            return job.fromEvent()
                    ? new Step(null, backoff.initial(), false)
                    : new Step(RegionOutcome.skipped(job.target()), null, false);
        }
        metrics.copying(job.target(), 1);
        try {
            CopyResult result = copier.copy(regions.get(job.source()), regions.get(job.target()),
                    job.clusterId(), job.snapshotId());
            publisher.publish(new SnapshotReplicated(job.clusterId(), job.snapshotId(), job.source(), job.target(),
                    result.bytes(), result.durationMillis(), result.sha256(), Instant.now()));
            metrics.replicated(job.target(), result);
            lagBook.seenInRegion(job.clusterId(), job.target(), job.snapshotId());
            metrics.lag(job.clusterId(), job.target(), lagBook.lag(job.clusterId(), job.target(), Instant.now()));
            LOG.info(job.key() + (result.alreadyPresent() ? " already present and matching"
                    : " copied (" + result.bytesCopied() + " bytes, " + result.durationMillis() + " ms)"));
            return new Step(RegionOutcome.succeeded(job.target(), result, attempt), null, true);
        } catch (ReplicationFailure f) {
            if (f.retriable() && attempt < job.maxAttempts()) {
                Duration wait = backoff.after(attempt);
                LOG.info(job.key() + " attempt " + attempt + " failed (" + f.reason() + "), next in " + wait
                        + ": " + f.getMessage());
                return new Step(null, wait, true);
            }
            if (!job.fromEvent() && f.reason() != FailureReason.CHECKSUM_MISMATCH) {
                // An unavailable store or a broken source was reported by the event's own attempts;
                // repeating that every run would only bury the alert. A damaged copy is news.
                metrics.failed(job.target(), f.reason());
                LOG.info(job.key() + " not reconciled now (" + f.reason() + "): " + f.getMessage());
                return new Step(RegionOutcome.failed(job.target(), f.reason(), attempt), null, true);
            }
            fail(job, f.reason(), f.getMessage(), attempt);
            return new Step(RegionOutcome.failed(job.target(), f.reason(), attempt), null, true);
        } catch (RuntimeException e) {
            // Unexpected, or Kafka did not take the event: the copy itself is repeatable, so try again.
            if (attempt < job.maxAttempts()) {
                LOG.warn(job.key() + " attempt " + attempt + " failed unexpectedly", e);
                return new Step(null, backoff.after(attempt), true);
            }
            fail(job, FailureReason.INTERNAL, e.toString(), attempt);
            return new Step(RegionOutcome.failed(job.target(), FailureReason.INTERNAL, attempt), null, true);
        } finally {
            metrics.copying(job.target(), -1);
            inFlight.remove(job.key());
        }
    }

    private void fail(Job job, FailureReason reason, String message, int attempt) {
        metrics.failed(job.target(), reason);
        String text = "replication of " + job.clusterId() + "/" + job.snapshotId() + " from " + job.source() + " to "
                + job.target() + " failed after " + attempt + " attempt(s): " + message;
        LOG.warn(text);
        publisher.publish(BackupFailed.of(job.clusterId(), job.snapshotId(), Stage.REPLICATE, reason, text,
                job.target(), attempt));
    }
}
