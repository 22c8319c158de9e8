package dev.lifeboat.snapshot.scheduling;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.snapshot.taking.SnapshotInProgressException;
import dev.lifeboat.snapshot.taking.HandedOverSnapshots;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.snapshot.taking.Trigger;
import io.quarkus.scheduler.Scheduled;

/**
 * Fires the cron schedule (UTC) of each cluster this replica owns ({@link ClusterOwnership}: with
 * several replicas, every cluster has one owner). A fire gets its own id ({@link FireIds}), the
 * same on whichever replica takes it. A fire time that finds the previous snapshot still running
 * is skipped, not queued, so a slow cluster never builds a backlog. A cluster planned for the
 * first time here (start-up, or ownership just moved here) has its missed fire caught up
 * ({@link FireCatchUp}), once no snapshot of it still runs on the replica that gave it up
 * ({@link HandedOverSnapshots}): until then it is not planned, so that snapshot's fire is not
 * taken a second time.
 */
@ApplicationScoped
public class SnapshotScheduler {
    private static final Logger LOG = Logger.getLogger(SnapshotScheduler.class);

    private record Plan(String expression, Instant next) {}

    private final ClusterRegistry registry;
    private final ClusterOwnership ownership;
    private final SnapshotJobs runner;
    private final FireCatchUp catchUp;
    private final HandedOverSnapshots handedOver;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    /** Clusters not planned yet because their snapshot still runs on the replica that gave them up. */
    private final Set<String> waiting = ConcurrentHashMap.newKeySet();

    public SnapshotScheduler(ClusterRegistry registry, ClusterOwnership ownership, SnapshotJobs runner,
                             FireCatchUp catchUp, HandedOverSnapshots handedOver) {
        this.registry = registry;
        this.ownership = ownership;
        this.runner = runner;
        this.catchUp = catchUp;
        this.handedOver = handedOver;
    }

    @Scheduled(every = "${lifeboat.snapshot.scheduler-tick:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (registry.isReady()) {
            tick(Instant.now());
        }
    }

    /**
     * Starts the snapshots that are due at {@code now}; returns how many were started. Each cluster
     * is planned on its own: one that cannot be planned or started is logged and skipped, and
     * never keeps another cluster from its snapshot.
     */
    public int tick(Instant now) {
        int started = 0;
        // a cluster this replica stops owning loses its plan: planned again (and caught up) if it comes back
        Map<String, ClusterSpec> clusters = ownership.ownedClusters();
        plans.keySet().retainAll(clusters.keySet());
        waiting.retainAll(clusters.keySet());
        for (Map.Entry<String, ClusterSpec> e : clusters.entrySet()) {
            try {
                if (tick(e.getKey(), e.getValue(), now)) {
                    started++;
                }
            } catch (RuntimeException failure) {
                LOG.errorf(failure, "cluster %s: scheduling failed; other clusters go on", e.getKey());
            }
        }
        return started;
    }

    private boolean tick(String clusterId, ClusterSpec spec, Instant now) {
        String expression = spec.schedule();
        if (expression == null) {
            plans.remove(clusterId);
            return false;
        }
        Plan plan = plans.get(clusterId);
        if (plan == null) { // read once per tick for all the clusters planned in it
            Optional<HandedOverSnapshots.HandedOver> there = handedOver.runningElsewhere(clusterId, now);
            if (there.isPresent()) {
                if (waiting.add(clusterId)) {
                    LOG.infof("cluster %s: snapshot %s still runs on replica %s, which gave the cluster up; planned"
                            + " here once it ends", clusterId, there.get().snapshotId(), there.get().replica());
                }
                return false;
            }
            if (waiting.remove(clusterId)) {
                LOG.infof("cluster %s: the snapshot that ran on the replica that gave it up has ended; planned now",
                        clusterId);
            }
        }
        if (plan == null || !plan.expression().equals(expression)) {
            Instant next = next(clusterId, expression, now);
            plans.put(clusterId, new Plan(expression, next));
            if (plan == null && next != null) {
                Instant since = registry.registration(clusterId).map(r -> r.firstBackupFrom()).orElse(null);
                catchUp.firstPlanned(clusterId, spec, CronSchedule.parse(expression), since, now);
            }
            return false;
        }
        if (plan.next() == null || now.isBefore(plan.next())) {
            return false;
        }
        plans.put(clusterId, new Plan(expression, next(clusterId, expression, now)));
        try {
            runner.start(clusterId, spec, Trigger.SCHEDULE, FireIds.onTime(clusterId, plan.next()));
            return true;
        } catch (SnapshotInProgressException busy) {
            LOG.warnf("cluster %s: scheduled snapshot at %s skipped: %s", clusterId, plan.next(), busy.getMessage());
            return false;
        }
    }

    /** The next planned fire time of a cluster, if it has a schedule. */
    public Instant nextFire(String clusterId) {
        Plan plan = plans.get(clusterId);
        return plan == null ? null : plan.next();
    }

    /** The next fire time, or null (never fires) for an expression that cannot be parsed: logged once per expression. */
    private static Instant next(String clusterId, String expression, Instant now) {
        try {
            return CronSchedule.parse(expression).nextAfter(now).orElse(null);
        } catch (IllegalArgumentException e) {
            LOG.errorf("cluster %s: schedule not used: %s", clusterId, e.getMessage());
            return null;
        }
    }
}
