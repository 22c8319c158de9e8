package dev.lifeboat.snapshot.scheduling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.lifeboat.kit.ownership.OwnershipChange;
import dev.lifeboat.kit.ownership.OwnershipConfig;
import dev.lifeboat.snapshot.taking.AcceptedSnapshots;
import dev.lifeboat.snapshot.taking.FailedFires;
import dev.lifeboat.snapshot.taking.SnapshotJobs;

/**
 * Clusters leaving this replica (another replica joined, or this one stops) leave once their
 * running snapshots are done: the next owner, which looks the fire up in the store, then finds it
 * taken instead of taking it a second time. Bounded by {@code lifeboat.ownership.release-timeout};
 * a snapshot still running then finishes under its own id, and a late take by the next owner
 * has another id, so the two never write the same objects.
 */
@ApplicationScoped
public class OwnershipHandover {
    private static final Logger LOG = Logger.getLogger(OwnershipHandover.class);

    private final SnapshotJobs jobs;
    private final OwnershipConfig config;
    private final AcceptedSnapshots accepted;
    private final FailedFires failedFires;

    public OwnershipHandover(SnapshotJobs jobs, OwnershipConfig config, AcceptedSnapshots accepted,
                             FailedFires failedFires) {
        this.jobs = jobs;
        this.accepted = accepted;
        this.failedFires = failedFires;
        this.config = config;
    }

    void releasing(@Observes OwnershipChange change) throws InterruptedException {
        if (change.gained() || change.lost()) {
            return;
        }
        if (!jobs.awaitIdle(change::covers, config.releaseTimeout())) {
            LOG.warnf("clusters of partitions %s handed over with snapshots still running after %s",
                    change.partitions(), config.releaseTimeout());
        }
        // the ends of those snapshots and their fires' failures, before the next owner looks for them
        accepted.flush();
        failedFires.flush();
    }
}
