package dev.lifeboat.snapshot.requests;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.taking.SnapshotInProgressException;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.snapshot.taking.Trigger;

/**
 * An on-demand snapshot, asked for on any replica: decided here when this replica owns the
 * cluster (or ownership is off), else by the owner ({@link SnapshotRequests}). Either way the one
 * replica that starts the cluster's snapshots decides, so BUSY (409) holds across replicas.
 * Replicas read the registry on their own, so the owner may not have read a registration this
 * replica has (a PUT just made here): its NOT_REGISTERED is asked again while the cluster is
 * registered here, until the request timeout, then answered UNAVAILABLE (503, try again), never
 * "not registered" for a cluster that is.
 */
@ApplicationScoped
public class OnDemandSnapshots {
    /** The pause before asking again an owner that has not read the registration yet. */
    private static final Duration ASK_AGAIN_AFTER = Duration.ofMillis(200);

    private final SnapshotJobs jobs;
    private final ClusterOwnership ownership;
    private final SnapshotRequests owner;
    private final ClusterRegistry registry;
    private final Duration timeout;

    public OnDemandSnapshots(SnapshotJobs jobs, ClusterOwnership ownership, SnapshotRequests owner,
                             ClusterRegistry registry, SnapshotConfig config) {
        this.jobs = jobs;
        this.ownership = ownership;
        this.owner = owner;
        this.registry = registry;
        this.timeout = config.requestTimeout();
    }

    /** The decision on a snapshot of a registered cluster; UNAVAILABLE when its owner did not answer in time. */
    public SnapshotAnswer request(String clusterId, ClusterSpec spec) throws InterruptedException {
        if (!ownership.enabled() || ownership.owns(clusterId)) {
            return decide(null, clusterId, spec);
        }
        return askOwner(clusterId, timeout, owner::ask, () -> registry.get(clusterId).isPresent());
    }

    /** How the owner is asked: its answer, or empty when none came within the timeout. */
    @FunctionalInterface
    interface Owner {
        Optional<SnapshotAnswer> ask(String clusterId, Duration timeout) throws InterruptedException;
    }

    /**
     * The owner's answer, asked again while it answers NOT_REGISTERED for a cluster registered
     * here, until {@code timeout}; UNAVAILABLE then, or when it never answered.
     */
    static SnapshotAnswer askOwner(String clusterId, Duration timeout, Owner owner, BooleanSupplier registeredHere)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean answeredNotRegistered = false;
        while (true) {
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            Optional<SnapshotAnswer> answer = left.isNegative() || left.isZero() ? Optional.empty()
                    : owner.ask(clusterId, left);
            if (answer.isEmpty()) {
                // the last ask has only what is left of the timeout: an owner that answered before
                // and misses that one is still one that has not read the registration
                return answeredNotRegistered ? notYetRead(clusterId, timeout)
                        : unavailable(clusterId, "the replica that owns cluster " + clusterId + " did not answer within "
                                + timeout.toMillis() + " ms (a handover is under way, or it is down); try again");
            }
            if (answer.get().outcome() != SnapshotAnswer.Outcome.NOT_REGISTERED || !registeredHere.getAsBoolean()) {
                return answer.get();
            }
            // registered here, not yet on the owner: it reads the registry on its own
            answeredNotRegistered = true;
            if (Duration.ofNanos(deadline - System.nanoTime()).compareTo(ASK_AGAIN_AFTER) <= 0) {
                return notYetRead(clusterId, timeout);
            }
            Thread.sleep(ASK_AGAIN_AFTER.toMillis());
        }
    }

    private static SnapshotAnswer notYetRead(String clusterId, Duration timeout) {
        return unavailable(clusterId, "cluster " + clusterId + " is registered, but the replica that owns it"
                + " has not read its registration within " + timeout.toMillis() + " ms; try again");
    }

    private static SnapshotAnswer unavailable(String clusterId, String detail) {
        return new SnapshotAnswer(null, clusterId, SnapshotAnswer.Outcome.UNAVAILABLE, null, detail);
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
