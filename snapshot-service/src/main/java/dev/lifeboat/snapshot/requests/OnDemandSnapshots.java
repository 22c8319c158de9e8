package dev.lifeboat.snapshot.requests;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.taking.SnapshotInProgressException;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.snapshot.taking.Trigger;

/**
 * An on-demand snapshot, asked for on any replica: decided here when this replica owns the
 * cluster (or ownership is off), else by the owner ({@link SnapshotRequests}). Either way the one
 * replica that starts the cluster's snapshots decides, so BUSY (409) holds across replicas.
 */
@ApplicationScoped
public class OnDemandSnapshots {
    private final SnapshotJobs jobs;
    private final ClusterOwnership ownership;
    private final SnapshotRequests owner;
    private final Duration timeout;

    public OnDemandSnapshots(SnapshotJobs jobs, ClusterOwnership ownership, SnapshotRequests owner,
                             SnapshotConfig config) {
        this.jobs = jobs;
        this.ownership = ownership;
        this.owner = owner;
        this.timeout = config.requestTimeout();
    }

    /** The decision on a snapshot of a registered cluster; UNAVAILABLE when its owner did not answer in time. */
    public SnapshotAnswer request(String clusterId, ClusterSpec spec) throws InterruptedException {
        if (!ownership.enabled() || ownership.owns(clusterId)) {
            return decide(null, clusterId, spec);
        }
        return owner.ask(clusterId, timeout).orElseGet(() -> new SnapshotAnswer(null, clusterId,
                SnapshotAnswer.Outcome.UNAVAILABLE, null, "the replica that owns cluster " + clusterId
                        + " did not answer within " + timeout.toMillis() + " ms (a handover is under way, or it is down);"
                        + " try again"));
    }

    SnapshotAnswer decide(String requestId, String clusterId, ClusterSpec spec) {
        try {
            String id = jobs.start(clusterId, spec, Trigger.ON_DEMAND);
            return new SnapshotAnswer(requestId, clusterId, SnapshotAnswer.Outcome.ACCEPTED, id, null);
        } catch (SnapshotInProgressException busy) {
            return new SnapshotAnswer(requestId, clusterId, SnapshotAnswer.Outcome.BUSY, busy.runningSnapshotId(),
                    busy.getMessage());
        } catch (IllegalStateException stopping) {
            return new SnapshotAnswer(requestId, clusterId, SnapshotAnswer.Outcome.UNAVAILABLE, null,
                    stopping.getMessage());
        }
    }
}
