package dev.lifeboat.replicator.replication;

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
import dev.lifeboat.replicator.lag.LagBook;
import dev.lifeboat.store.Regions;

/**
 * Replicates one snapshot to one region: attempts on the region's own workers, backoff between
 * them (no thread held while waiting), then {@code SnapshotReplicated} on success or one
 * {@code BackupFailed} (stage REPLICATE) once retrying cannot help. How a copy is retried and
 * reported is its {@link CopyPolicy}: an event's or reconciliation's. Never two copies of the same
 * snapshot to the same region at once.
 */
@ApplicationScoped
public class RegionReplicator {
    private static final Logger LOG = Logger.getLogger(RegionReplicator.class);

    private final Regions regions;
    private final RegionWorkers workers;
    private final EventPublisher publisher;
    private final ReplicationMetrics metrics;
    private final LagBook lagBook;
    private final EventCopyPolicy eventCopies;
    private final ReconciliationCopyPolicy reconciliationCopies = new ReconciliationCopyPolicy();
    private final SnapshotCopier copier = new SnapshotCopier();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public RegionReplicator(Regions regions, RegionWorkers workers, EventPublisher publisher,
                            ReplicationMetrics metrics, LagBook lagBook, ReplicatorConfig config) {
        this.regions = regions;
        this.workers = workers;
        this.publisher = publisher;
        this.metrics = metrics;
        this.lagBook = lagBook;
        this.eventCopies = new EventCopyPolicy(new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff()),
                config.retry().budget());
    }

    /**
     * The copy a verified event asks for ({@link EventCopyPolicy}). A region whose backlog is full
     * (it has been down for long) takes no more: the copy is reported at once as STORE_UNAVAILABLE
     * and left to reconciliation, so memory stays bounded and the event's other regions go on.
     */
    public CompletableFuture<RegionOutcome> replicate(String clusterId, String snapshotId, String source, String target) {
        Job job = new Job(clusterId, snapshotId, source, target, eventCopies, Instant.now());
        if (!workers.admit(target)) {
            try {
                fail(job, FailureReason.STORE_UNAVAILABLE, workers.backlogLimit() + " copies already wait for region "
                        + target + "; reconciliation copies this one once the region keeps up again", 0);
            } catch (RuntimeException e) {
                LOG.error("could not publish the deferred copy of " + job.key() + ": " + e.getMessage());
            }
            return CompletableFuture.completedFuture(RegionOutcome.failed(target, FailureReason.STORE_UNAVAILABLE, 0));
        }
        return attempt(job, 1, Duration.ZERO).whenComplete((outcome, error) -> workers.leave(target));
    }

    /** One copy as reconciliation makes it ({@link ReconciliationCopyPolicy}). */
    public CompletableFuture<RegionOutcome> replicateOnce(String clusterId, String snapshotId, String source,
                                                          String target) {
        return attempt(new Job(clusterId, snapshotId, source, target, reconciliationCopies, Instant.now()), 1,
                Duration.ZERO);
    }

    private record Job(String clusterId, String snapshotId, String source, String target, CopyPolicy policy,
                       Instant started) {
        String key() {
            return clusterId + "/" + snapshotId + "/" + target;
        }
    }

    /** What one attempt leads to: an outcome, or another attempt after a wait. */
    private record Step(RegionOutcome outcome, Duration retryAfter, boolean countsAsAttempt) {}

    private CompletableFuture<RegionOutcome> attempt(Job job, int attempt, Duration delay) {
        return workers.submit(job.target(), job.policy().priority(), delay, () -> runOnce(job, attempt))
                .thenCompose(step -> step.outcome() != null
                        ? CompletableFuture.completedFuture(step.outcome())
                        : attempt(job, step.countsAsAttempt() ? attempt + 1 : attempt, step.retryAfter()));
    }

    private Step runOnce(Job job, int attempt) {
        if (!inFlight.add(job.key())) {
            Duration wait = job.policy().whileAnotherCopyRuns();
            return wait != null ? new Step(null, wait, false) : new Step(RegionOutcome.skipped(job.target()), null, false);
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
            Duration wait = f.retriable() ? job.policy().retryAfter(attempt, job.started(), Instant.now()) : null;
            if (wait != null) {
                LOG.info(job.key() + " attempt " + attempt + " failed (" + f.reason() + "), next in " + wait
                        + ": " + f.getMessage());
                return new Step(null, wait, true);
            }
            if (job.policy().publishes(f.reason())) {
                fail(job, f.reason(), f.getMessage(), attempt);
            } else {
                metrics.failed(job.target(), f.reason());
                LOG.info(job.key() + " not reconciled now (" + f.reason() + "): " + f.getMessage());
            }
            return new Step(RegionOutcome.failed(job.target(), f.reason(), attempt), null, true);
        } catch (RuntimeException e) {
            // Unexpected, or Kafka did not take the event: the copy itself is repeatable, so try again.
            Duration wait = job.policy().retryAfter(attempt, job.started(), Instant.now());
            if (wait != null) {
                LOG.warn(job.key() + " attempt " + attempt + " failed unexpectedly", e);
                return new Step(null, wait, true);
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
                + job.target() + " failed after " + attempt + " attempt(s) in "
                + Duration.between(job.started(), Instant.now()).toSeconds() + " s: " + message;
        LOG.warn(text);
        publisher.publish(BackupFailed.of(job.clusterId(), job.snapshotId(), Stage.REPLICATE, reason, text,
                job.target(), attempt));
    }
}
