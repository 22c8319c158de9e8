package dev.lifeboat.snapshot.scheduling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.lifeboat.kit.ownership.OwnershipChange;
import dev.lifeboat.kit.ownership.OwnershipConfig;
import dev.lifeboat.snapshot.taking.AcceptedSnapshots;
import dev.lifeboat.snapshot.taking.FailedFires;
import dev.lifeboat.snapshot.taking.HandedOverSnapshots;
import dev.lifeboat.snapshot.taking.SnapshotJobs;

/**
 * Clusters leaving this replica (another replica joined, or this one stops) leave once their
 * running snapshots are done: the next owner, which looks the fire up in the store, then finds it
 * taken instead of taking it a second time. Bounded by {@code lifeboat.ownership.release-timeout}:
 * a snapshot still running then (or when Kafka took the clusters away) finishes here under its own
 * id, recorded as handed over ({@link HandedOverSnapshots}), and the next owner waits for its end.
 */
@ApplicationScoped
public class OwnershipHandover {
    private static final Logger LOG = Logger.getLogger(OwnershipHandover.class);

    private final SnapshotJobs jobs;
    private final OwnershipConfig config;
    private final AcceptedSnapshots accepted;
    private final FailedFires failedFires;
    private final HandedOverSnapshots handedOver;

    public OwnershipHandover(SnapshotJobs jobs, OwnershipConfig config, AcceptedSnapshots accepted,
                             FailedFires failedFires, HandedOverSnapshots handedOver) {
        this.jobs = jobs;
        this.accepted = accepted;
        this.failedFires = failedFires;
        this.handedOver = handedOver;
        this.config = config;
    }

    void releasing(@Observes OwnershipChange change) throws InterruptedException {
        if (change.gained()) {
            return;
        }
        if (change.lost()) {
            // Kafka gave them away already (this replica was presumed dead): nothing to wait for, and
            // no flush, which would hold the ownership thread while Kafka may be out of reach; the
            // next owner may have looked already
            jobs.handOver(change::covers);
            return;
        }
        if (!jobs.awaitIdle(change::covers, config.releaseTimeout())) {
            LOG.warnf("clusters of partitions %s handed over with snapshots still running after %s",
                    change.partitions(), config.releaseTimeout());
            jobs.handOver(change::covers);
        }
        // the ends of those snapshots, their fires' failures and the ones still running, before the
        // next owner looks for them
        accepted.flush();
        failedFires.flush();
        handedOver.flush();
    }
}
