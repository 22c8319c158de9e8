package dev.lifeboat.snapshot.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lifeboat.common.cron.CronSchedule;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.kit.ownership.ClusterOwnership;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.snapshot.taking.FailedFires;
import dev.lifeboat.snapshot.taking.SnapshotAnnouncer;
import dev.lifeboat.snapshot.taking.SnapshotInProgressException;
import dev.lifeboat.snapshot.taking.SnapshotJobs;
import dev.lifeboat.snapshot.taking.Trigger;
import dev.lifeboat.store.ObjectStore;
import dev.lifeboat.store.Regions;
import dev.lifeboat.store.SnapshotIds;
import dev.lifeboat.store.SnapshotLayout;
import dev.lifeboat.store.StoreException;

/**
 * A fire time nobody took is taken late, not skipped: when this replica first plans a cluster
 * (start-up, or it just became the cluster's owner), the cluster's latest fire time within one
 * schedule interval (and {@code catch-up-window}, and not before the schedule applies) is looked
 * up in the primary region; when no snapshot of it is there, it is taken now (trigger SCHEDULE,
 * under the fire's late id, metric {@code lifeboat_snapshot_late_fires_total}). The earlier fires
 * of the window that it supersedes and nobody took are each named: a SNAPSHOT_SKIPPED failure
 * under the fire's on-time id (its event id derived from it) and
 * {@code lifeboat_snapshot_superseded_fires_total}. Only fires after the cluster's newest snapshot
 * in the store are named, so a later restart names none of them again, and none whose attempt
 * failed: its own failure event names it already ({@link FailedFires}). One listing of the
 * window answers both questions; the store is asked on a thread of its own, so a slow store never
 * delays the schedule of other clusters.
 */
@ApplicationScoped
public class FireCatchUp {
    private static final Logger LOG = Logger.getLogger(FireCatchUp.class);

    private final SnapshotJobs jobs;
    private final ClusterOwnership ownership;
    private final SnapshotMetrics metrics;
    private final SnapshotAnnouncer announcer;
    private final FailedFires failedFires;
    private final ObjectStore primary;
    private final Duration window;
    private final ExecutorService checks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fire-catch-up");
        t.setDaemon(true);
        return t;
    });

    public FireCatchUp(SnapshotJobs jobs, ClusterOwnership ownership, SnapshotMetrics metrics,
                       SnapshotAnnouncer announcer, FailedFires failedFires, Regions regions, SnapshotConfig config) {
        this.jobs = jobs;
        this.announcer = announcer;
        this.failedFires = failedFires;
        this.ownership = ownership;
        this.metrics = metrics;
        this.primary = regions.primary();
        this.window = config.catchUpWindow();
    }

    /** The latest fire time in ({@code since}, {@code now}] within one interval and the window, if any. */
    static Optional<Instant> latestFire(CronSchedule schedule, Instant since, Instant now, Duration window) {
        if (window.isZero() || window.isNegative()) {
            return Optional.empty();
        }
        Duration interval = schedule.interval(now).orElse(window);
        Duration back = interval.compareTo(window) < 0 ? interval : window;
        Instant from = now.minus(back).minusSeconds(1);
        if (since != null && since.isAfter(from)) {
            from = since;
        }
        Instant latest = null;
        for (Optional<Instant> next = schedule.nextAfter(from); next.isPresent() && !next.get().isAfter(now);
             next = schedule.nextAfter(next.get())) {
            latest = next.get();
        }
        return Optional.ofNullable(latest);
    }

    /**
     * The fire times in ({@code since}, {@code latest}) within the window before {@code now}, oldest
     * first: the ones the catch-up of {@code latest} supersedes (at most {@link #MAX_SUPERSEDED}, the
     * newest ones).
     */
    static List<Instant> supersededFires(CronSchedule schedule, Instant since, Instant now, Duration window,
                                         Instant latest) {
        Instant from = now.minus(window).minusSeconds(1);
        if (since != null && since.isAfter(from)) {
            from = since;
        }
        Deque<Instant> fires = new ArrayDeque<>();
        for (Optional<Instant> next = schedule.nextAfter(from); next.isPresent() && next.get().isBefore(latest);
             next = schedule.nextAfter(next.get())) {
            fires.addLast(next.get());
            if (fires.size() > MAX_SUPERSEDED) {
                fires.removeFirst();
            }
        }
        return List.copyOf(fires);
    }

    /**
     * Of the superseded fires, those nobody took and no failure names: after the newest snapshot
     * the store has of the cluster ({@code stored}: the times of its snapshot ids), so none was
     * taken, and a fire named by an earlier catch-up (which then took a later one) is not named
     * again; and not {@code attemptFailed}, whose failure event names it already. That is asked
     * only of the fires left.
     */
    static List<Instant> untaken(List<Instant> superseded, Collection<Instant> stored, Predicate<Instant> attemptFailed) {
        Optional<Instant> newest = stored.stream().max(Comparator.naturalOrder());
        return superseded.stream().filter(f -> newest.isEmpty() || f.isAfter(newest.get()))
                .filter(attemptFailed.negate()).toList();
    }

    /** At most this many superseded fires are named per catch-up (a day of a one-minute schedule). */
    static final int MAX_SUPERSEDED = 1440;

    /** Looks for missed fires of a cluster this replica has just started planning. */
    public void firstPlanned(String clusterId, ClusterSpec spec, CronSchedule schedule, Instant since, Instant now) {
        latestFire(schedule, since, now, window).ifPresent(fire -> {
            List<Instant> superseded = supersededFires(schedule, since, now, window, fire);
            checks.execute(() -> catchUp(clusterId, spec, fire, superseded, now));
        });
    }

    /** {@code plannedAt}: when this replica began planning the cluster (the failed fires recorded before it count). */
    private void catchUp(String clusterId, ClusterSpec spec, Instant fire, List<Instant> superseded, Instant plannedAt) {
        if (!ownership.owns(clusterId)) {
            return;
        }
        Instant oldest = superseded.isEmpty() ? fire : superseded.get(0);
        List<Instant> stored = null;
        boolean taken = false;
        try {
            // one listing from the window's first fire on: which fires have a snapshot
            stored = primary.list(SnapshotLayout.clusterPrefix(clusterId),
                            FireIds.prefix(clusterId, oldest)).stream()
                    .map(o -> storedSnapshotTime(clusterId, o.key()))
                    .flatMap(Optional::stream)
                    .toList();
            taken = stored.contains(fire);
        } catch (StoreException e) {
            LOG.warnf("cluster %s: cannot tell whether fire %s was taken (%s); taking it (the %d fires before it in"
                    + " the window are not named: the store cannot tell which were taken)", clusterId, fire,
                    e.getMessage(), superseded.size());
        }
        if (!taken) {
            takeLate(clusterId, spec, fire);
        }
        // after the late snapshot started: reading the failed fires and publishing (with retries) never delay it
        if (stored != null) {
            List<Instant> listed = stored;
            nameSuperseded(clusterId, fire, untaken(superseded, listed, f -> attemptFailed(clusterId, f, plannedAt)));
        }
    }

    private void takeLate(String clusterId, ClusterSpec spec, Instant fire) {
        Duration late = Duration.between(fire, Instant.now());
        try {
            String id = jobs.start(clusterId, spec, Trigger.SCHEDULE, FireIds.late(clusterId, fire));
            metrics.lateFire(clusterId, late);
            LOG.infof("cluster %s: fire %s was not taken (no replica owned the cluster or it was down); "
                    + "snapshot %s taken %d s late", clusterId, fire, id, late.toSeconds());
        } catch (SnapshotInProgressException busy) {
            // recorded as SNAPSHOT_SKIPPED by the jobs: the cluster's snapshot is running now
        } catch (IllegalStateException stopping) {
            LOG.infof("cluster %s: late fire %s not taken: %s", clusterId, fire, stopping.getMessage());
        }
    }

    /** Whether a replica recorded that the attempt of this fire, on time or late, failed (its failure was published). */
    private boolean attemptFailed(String clusterId, Instant fire, Instant plannedAt) {
        return failedFires.recorded(clusterId, FireIds.onTime(clusterId, fire), plannedAt)
                || failedFires.recorded(clusterId, FireIds.late(clusterId, fire), plannedAt);
    }

    /** The time of the snapshot whose manifest {@code key} is, if it is one of this cluster's. */
    private static Optional<Instant> storedSnapshotTime(String clusterId, String key) {
        String prefix = SnapshotLayout.clusterPrefix(clusterId);
        if (!key.startsWith(prefix) || !key.endsWith("/" + SnapshotLayout.MANIFEST)) {
            return Optional.empty();
        }
        String snapshotId = key.substring(prefix.length(), key.length() - SnapshotLayout.MANIFEST.length() - 1);
        return SnapshotIds.isValidSnapshotId(snapshotId) ? Optional.of(SnapshotIds.timeOf(snapshotId)) : Optional.empty();
    }

    private void nameSuperseded(String clusterId, Instant latest, List<Instant> untaken) {
        if (untaken.isEmpty()) {
            return;
        }
        LOG.warnf("cluster %s: %d fires from %s to %s left no snapshot and no failure (not taken while no replica"
                + " owned the cluster or the service was down) and fire %s supersedes them: each is a"
                + " SNAPSHOT_SKIPPED failure", clusterId,
                untaken.size(), untaken.get(0), untaken.get(untaken.size() - 1), latest);
        for (Instant f : untaken) {
            metrics.supersededFire(clusterId);
            announcer.superseded(clusterId, FireIds.onTime(clusterId, f), "scheduled fire " + f + " was not taken"
                    + " and left no snapshot: no replica owned the cluster or the service was down (or its"
                    + " replica died before it could report it); the catch-up takes only the latest missed fire, "
                    + latest);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        checks.shutdownNow();
        checks.awaitTermination(5, TimeUnit.SECONDS);
    }
}
