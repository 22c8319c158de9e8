package dev.lifeboat.snapshot.taking;

import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import dev.lifeboat.common.failure.LifeboatFailure;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.store.SnapshotManifest;

/** One accepted snapshot on its worker: take it, then record and announce how it ended. */
final class SnapshotJob implements Runnable {
    private static final Logger LOG = Logger.getLogger(SnapshotJob.class);

    private final String clusterId;
    private final ClusterSpec spec;
    private final Trigger trigger;
    private final RunningSnapshot run;
    private final SnapshotTaker taker;
    private final SnapshotOutcomes outcomes;
    private final SnapshotAnnouncer announcer;
    private final SnapshotMetrics metrics;

    SnapshotJob(String clusterId, ClusterSpec spec, Trigger trigger, RunningSnapshot run, SnapshotTaker taker,
                SnapshotOutcomes outcomes, SnapshotAnnouncer announcer, SnapshotMetrics metrics) {
        this.clusterId = clusterId;
        this.spec = spec;
        this.trigger = trigger;
        this.run = run;
        this.taker = taker;
        this.outcomes = outcomes;
        this.announcer = announcer;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        String snapshotId = run.snapshotId();
        LOG.infof("cluster %s: taking snapshot %s (%s)", clusterId, snapshotId, trigger);
        try {
            SnapshotManifest m = taker.take(clusterId, snapshotId, spec, trigger.name(), run.pipe()::set);
            Duration took = Duration.between(run.startedAt(), Instant.now());
            metrics.succeeded(clusterId, m.sizeBytes(), took, Instant.now().getEpochSecond());
            outcomes.succeeded(clusterId, snapshotId);
            LOG.infof("cluster %s: snapshot %s complete: %d bytes, revision %d, member %s, %d ms",
                    clusterId, snapshotId, m.sizeBytes(), m.revision(), m.memberId(), took.toMillis());
            announcer.taken(m, trigger, took);
        } catch (LifeboatFailure e) {
            fail(e.reason(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.errorf(e, "cluster %s: snapshot %s failed unexpectedly", clusterId, snapshotId);
            fail(FailureReason.INTERNAL, e.toString());
        }
    }

    private void fail(FailureReason reason, String message) {
        LOG.warnf("cluster %s: snapshot %s failed: %s: %s", clusterId, run.snapshotId(), reason, message);
        metrics.failed(clusterId, reason, Duration.between(run.startedAt(), Instant.now()));
        outcomes.failed(clusterId, run.snapshotId(), reason);
        announcer.failed(clusterId, run.snapshotId(), reason, message);
    }
}
