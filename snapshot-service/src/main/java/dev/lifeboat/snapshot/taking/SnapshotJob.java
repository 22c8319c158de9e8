package dev.lifeboat.snapshot.taking;

import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.store.SnapshotManifest;

/**
 * One accepted snapshot on its worker: take it, then record and announce how it ended. One that
 * waited too long for a worker is not taken (QUEUED_TOO_LONG); one that a planned stop cuts short
 * or never starts is SERVICE_STOPPING, not the error the interruption happens to cause.
 */
final class SnapshotJob implements Runnable {
    private static final Logger LOG = Logger.getLogger(SnapshotJob.class);

    /** What every job of the service shares. */
    record Context(SnapshotTaker taker, SnapshotOutcomes outcomes, SnapshotAnnouncer announcer,
                   FailedFires failedFires, SnapshotMetrics metrics, Duration maxQueueTime, BooleanSupplier stopping) {
        /** Publishes the failure; a scheduled fire's is recorded too, once published, for later catch-ups. */
        void announceFailure(String clusterId, String snapshotId, Trigger trigger, FailureReason reason,
                             String message) {
            if (announcer.failed(clusterId, snapshotId, reason, message) && trigger == Trigger.SCHEDULE) {
                failedFires.failed(clusterId, snapshotId, reason);
            }
        }
    }

    private final String clusterId;
    private final ClusterSpec spec;
    private final Trigger trigger;
    private final RunningSnapshot run;
    private final Context context;
    private final Runnable whenDone;

    SnapshotJob(String clusterId, ClusterSpec spec, Trigger trigger, RunningSnapshot run, Context context,
                Runnable whenDone) {
        this.clusterId = clusterId;
        this.spec = spec;
        this.trigger = trigger;
        this.run = run;
        this.context = context;
        this.whenDone = whenDone;
    }

    @Override
    public void run() {
        try {
            Duration queued = Duration.between(run.startedAt(), Instant.now());
            context.metrics().queued(clusterId, queued);
            if (queued.compareTo(context.maxQueueTime()) > 0) {
                fail(FailureReason.QUEUED_TOO_LONG, "waited " + queued.toSeconds() + " s for a free worker (limit "
                        + context.maxQueueTime().toSeconds() + " s); not taken");
            } else if (context.stopping().getAsBoolean()) {
                dropped();
            } else {
                take();
            }
        } finally {
            whenDone.run();
        }
    }

    /** The service stops before this job started: recorded, never silently lost. */
    void dropped() {
        fail(FailureReason.SERVICE_STOPPING, "not taken: the service stopped before it started");
    }

    String clusterId() {
        return clusterId;
    }

    private void take() {
        String snapshotId = run.snapshotId();
        LOG.infof("cluster %s: taking snapshot %s (%s)", clusterId, snapshotId, trigger);
        try {
            SnapshotManifest m = context.taker().take(clusterId, snapshotId, spec, trigger.name(), run.pipe()::set);
            Duration took = Duration.between(run.startedAt(), Instant.now());
            context.metrics().succeeded(clusterId, m.sizeBytes(), took, Instant.now().getEpochSecond());
            context.outcomes().succeeded(clusterId, snapshotId);
            LOG.infof("cluster %s: snapshot %s complete: %d bytes, revision %d, member %s, %d ms",
                    clusterId, snapshotId, m.sizeBytes(), m.revision(), m.memberId(), took.toMillis());
            context.announcer().taken(m, trigger, took);
        } catch (LifeboatFailure e) {
            failOrStopped(e.reason(), e.getMessage());
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "cluster %s: snapshot %s failed unexpectedly", clusterId, snapshotId);
            failOrStopped(FailureReason.INTERNAL, e.toString());
        }
    }

    private void failOrStopped(FailureReason reason, String message) {
        if (context.stopping().getAsBoolean()) {
            Thread.interrupted(); // the stop's interrupt must not cost the record of it
            fail(FailureReason.SERVICE_STOPPING, "cut short by a planned stop of the service (" + reason + ": "
                    + message + "); nothing was stored");
        } else {
            fail(reason, message);
        }
    }

    private void fail(FailureReason reason, String message) {
        LOG.warnf("cluster %s: snapshot %s failed: %s: %s", clusterId, run.snapshotId(), reason, message);
        context.metrics().failed(clusterId, reason, Duration.between(run.startedAt(), Instant.now()));
        context.outcomes().failed(clusterId, run.snapshotId(), reason);
        context.announceFailure(clusterId, run.snapshotId(), trigger, reason, message);
    }
}
