package dev.lifeboat.snapshot.taking;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.lifeboat.events.FailureReason;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.kit.ownership.OwnershipChange;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;
import io.quarkus.runtime.StartupEvent;

/**
 * The next owner's look at on-demand snapshots the last one accepted and never ended
 * ({@link AcceptedSnapshots}): when this replica starts (ownership off) or gains clusters, each such
 * snapshot of its clusters that another process accepted and whose manifest is not in the primary
 * region was lost with the replica that took it: reported once as SNAPSHOT_ABANDONED (WARNING;
 * metric {@code lifeboat_snapshot_failures_total{reason="SNAPSHOT_ABANDONED"}}), then its record is
 * ended. One whose manifest is stored finished (the verifier's sweep gives it a verdict); its
 * record is ended silently. Runs on a thread of its own, so a slow Kafka or store never holds the
 * start-up or the ownership thread. One still running on a replica that gave its cluster up
 * ({@link HandedOverSnapshots}) is looked at again every {@link #RECHECK} while this replica owns
 * the cluster, until it ends there (its record ended) or that process is gone. A report that cannot
 * be published keeps the record, for the next look (same event id).
 */
@ApplicationScoped
public class AbandonedSnapshots {
    private static final Logger LOG = Logger.getLogger(AbandonedSnapshots.class);

    private final AcceptedSnapshots accepted;
    private final ClusterOwnership ownership;
    private final SnapshotAnnouncer announcer;
    private final SnapshotMetrics metrics;
    static final Duration RECHECK = Duration.ofSeconds(10);

    private final ObjectStore primary;
    private final HandedOverSnapshots handedOver;
    private final ScheduledExecutorService checks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "abandoned-snapshots");
        t.setDaemon(true);
        return t;
    });

    public AbandonedSnapshots(AcceptedSnapshots accepted, ClusterOwnership ownership,
                              SnapshotAnnouncer announcer, SnapshotMetrics metrics, Regions regions,
                              HandedOverSnapshots handedOver) {
        this.handedOver = handedOver;
        this.accepted = accepted;
        this.ownership = ownership;
        this.announcer = announcer;
        this.metrics = metrics;
        this.primary = regions.primary();
    }

    // after the record's producer (priority 2); with ownership on, the first gain does it
    void onStart(@Observes @Priority(5) StartupEvent event) {
        if (!ownership.enabled()) {
            checks.execute(() -> check(clusterId -> true));
        }
    }

    void gained(@Observes OwnershipChange change) {
        if (change.gained()) {
            checks.execute(() -> check(change::covers));
        }
    }

    @PreDestroy
    void stop() {
        checks.shutdownNow();
    }

    private void check(Predicate<String> mine) {
        Instant asOf = Instant.now();
        List<AcceptedSnapshots.Accepted> unended;
        try {
            unended = accepted.unended();
        } catch (IllegalStateException e) {
            LOG.warnf("could not look for on-demand snapshots a stopped replica left unfinished: %s", e.getMessage());
            return;
        }
        unended.stream().filter(a -> mine.test(a.clusterId()))
                // this process's own: running here, its end ends the record
                .filter(a -> !accepted.incarnation().equals(a.incarnation()))
                .forEach(a -> settle(a, asOf));
    }

    private void settle(AcceptedSnapshots.Accepted a, Instant asOf) {
        var there = handedOver.runningElsewhere(a.clusterId(), asOf);
        if (there.isPresent() && there.get().snapshotId().equals(a.snapshotId())) {
            LOG.infof("cluster %s: on-demand snapshot %s still runs on replica %s, which gave the cluster up;"
                    + " looked at again in %s", a.clusterId(), a.snapshotId(), there.get().replica(), RECHECK);
            String clusterId = a.clusterId();
            try {
                checks.schedule(() -> check(c -> c.equals(clusterId) && ownership.owns(c)), RECHECK.toMillis(),
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                LOG.debugf("cluster %s: not looked at again, the service stops", clusterId);
            }
            return;
        }
        try {
            if (primary.stat(SnapshotLayout.manifestKey(a.clusterId(), a.snapshotId())).isPresent()) {
                LOG.infof("cluster %s: on-demand snapshot %s is stored; its replica stopped before it recorded the end",
                        a.clusterId(), a.snapshotId());
                accepted.ended(a.clusterId(), a.snapshotId());
                return;
            }
        } catch (StoreException e) {
            LOG.warnf("cluster %s: cannot tell whether on-demand snapshot %s was stored (%s); looked at again when"
                    + " a replica next gains the cluster", a.clusterId(), a.snapshotId(), e.getMessage());
            return;
        }
        String message = "on-demand snapshot accepted " + a.acceptedAt() + " by replica " + a.replica()
                + " never ended there: that replica stopped (killed, crashed or lost) before it finished, or gave"
                + " the cluster up while it still ran; nothing was stored (noticed "
                + Duration.between(a.acceptedAt(), Instant.now()).toSeconds() + " s later)";
        LOG.warnf("cluster %s: snapshot %s failed: %s: %s", a.clusterId(), a.snapshotId(),
                FailureReason.SNAPSHOT_ABANDONED, message);
        if (announcer.abandoned(a.clusterId(), a.snapshotId(), message)) {
            metrics.notTaken(a.clusterId(), FailureReason.SNAPSHOT_ABANDONED);
            accepted.ended(a.clusterId(), a.snapshotId());
        } // else kept: reported (the same event id) when a replica next gains the cluster
    }
}
