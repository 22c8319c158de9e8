package dev.lifeboat.snapshot.taking;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.lifeboat.common.io.BoundedPipe;
import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.events.FailureReason;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.store.SnapshotIds;
import io.quarkus.runtime.ShutdownEvent;

/**
 * The snapshots accepted and not finished: at most one per cluster, at most {@code max-concurrent}
 * streaming overall. Each runs as a {@link SnapshotJob} on a worker. A scheduled fire that finds
 * the cluster's previous snapshot running is a SNAPSHOT_SKIPPED failure; a planned stop lets
 * running snapshots finish within {@code shutdown-grace} and records every one it drops.
 */
@ApplicationScoped
public class SnapshotJobs {
    private static final Logger LOG = Logger.getLogger(SnapshotJobs.class);

    private final Map<String, RunningSnapshot> running = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService workers;
    private final SnapshotJob.Context context;
    private final Duration shutdownGrace;

    private final AcceptedSnapshots accepted;
    private final HandedOverSnapshots handedOver;

    public SnapshotJobs(SnapshotConfig config, SnapshotTaker taker, SnapshotOutcomes outcomes,
                        SnapshotAnnouncer announcer, FailedFires failedFires, SnapshotMetrics metrics,
                        AcceptedSnapshots accepted, HandedOverSnapshots handedOver) {
        this.accepted = accepted;
        this.handedOver = handedOver;
        this.workers = Executors.newFixedThreadPool(config.maxConcurrent(), r -> {
            Thread t = new Thread(r, "snapshot-worker");
            t.setDaemon(true);
            return t;
        });
        this.context = new SnapshotJob.Context(taker, outcomes, announcer, failedFires, metrics, config.maxQueueTime(),
                stopping::get);
        this.shutdownGrace = config.shutdownGrace();
    }

    /**
     * Starts a snapshot of the cluster and returns its id at once.
     *
     * @throws SnapshotInProgressException when one is already running for the cluster, here or on
     *                                     the replica that gave the cluster up while it ran
     *                                     ({@link HandedOverSnapshots}); a scheduled fire is then
     *                                     reported as SNAPSHOT_SKIPPED
     * @throws IllegalStateException       while the service stops (a scheduled fire is then recorded
     *                                     as SERVICE_STOPPING and not taken)
     */
    public String start(String clusterId, ClusterSpec spec, Trigger trigger) {
        return start(clusterId, spec, trigger, SnapshotIds.newSnapshotId(Instant.now()));
    }

    /** {@link #start(String, ClusterSpec, Trigger)} under a given id (a scheduled fire's own id). */
    public String start(String clusterId, ClusterSpec spec, Trigger trigger, String snapshotId) {
        if (stopping.get()) {
            if (trigger == Trigger.SCHEDULE) { // a due snapshot the stop drops: recorded, not silent
                context.metrics().notTaken(clusterId, FailureReason.SERVICE_STOPPING);
                context.announceFailure(clusterId, snapshotId, trigger, FailureReason.SERVICE_STOPPING,
                        "scheduled snapshot not taken: the service is stopping");
                return snapshotId;
            }
            throw new IllegalStateException("the snapshot-service is stopping");
        }
        Optional<HandedOverSnapshots.HandedOver> elsewhere = handedOver.runningElsewhere(clusterId, Instant.MIN);
        if (elsewhere.isPresent()) {
            RunningSnapshot there = new RunningSnapshot(elsewhere.get().snapshotId(), elsewhere.get().startedAt());
            if (trigger == Trigger.SCHEDULE) {
                skipped(clusterId, snapshotId, there);
            }
            throw new SnapshotInProgressException(clusterId, there.snapshotId());
        }
        RunningSnapshot run = new RunningSnapshot(snapshotId, Instant.now());
        RunningSnapshot existing = running.putIfAbsent(clusterId, run);
        if (existing != null) {
            if (trigger == Trigger.SCHEDULE) {
                skipped(clusterId, snapshotId, existing);
            }
            throw new SnapshotInProgressException(clusterId, existing.snapshotId());
        }
        context.metrics().streaming(clusterId, run::bytesStreamed);
        // a scheduled fire that nobody finished is taken late by the next owner; an on-demand
        // snapshot is recorded, so that the next owner reports it should this replica die first
        boolean recorded = trigger == Trigger.ON_DEMAND;
        if (recorded) {
            accepted.accepted(clusterId, snapshotId);
        }
        SnapshotJob job = new SnapshotJob(clusterId, spec, trigger, run, context, () -> {
            if (recorded) { // acknowledged before the cluster moves (OwnershipHandover flushes)
                accepted.ended(clusterId, snapshotId);
            }
            running.remove(clusterId);
            handedOver.ended(clusterId, snapshotId); // after the removal: see handOver
            context.metrics().done(clusterId);
            synchronized (running) {
                running.notifyAll();
            }
        });
        try {
            workers.execute(job);
        } catch (RuntimeException e) {
            if (recorded) {
                accepted.ended(clusterId, snapshotId);
            }
            running.remove(clusterId);
            if (e instanceof RejectedExecutionException) { // the stop began meanwhile
                throw new IllegalStateException("the snapshot-service is stopping", e);
            }
            throw e;
        }
        return snapshotId;
    }

    public Optional<RunningSnapshot> running(String clusterId) {
        return Optional.ofNullable(running.get(clusterId));
    }

    /**
     * Waits until no snapshot of the clusters {@code which} selects is accepted and unfinished
     * (their ownership moves to another replica once they are done); false on timeout.
     */
    public boolean awaitIdle(Predicate<String> which, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running.keySet().stream().anyMatch(which)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            synchronized (running) {
                running.wait(100);
            }
        }
        return true;
    }

    /**
     * Records the snapshots of the clusters {@code which} selects that are still running, as this
     * replica gives those clusters up: the next owner waits for them ({@link HandedOverSnapshots}).
     */
    public void handOver(Predicate<String> which) {
        running.forEach((clusterId, run) -> {
            if (which.test(clusterId)) {
                handedOver.handedOver(clusterId, run, () -> running.get(clusterId) == run);
            }
        });
    }

    private void skipped(String clusterId, String snapshotId, RunningSnapshot previous) {
        String message = "scheduled snapshot not started: snapshot " + previous.snapshotId()
                + " of the cluster is still running since " + previous.startedAt();
        LOG.warnf("cluster %s: %s", clusterId, message);
        context.metrics().notTaken(clusterId, FailureReason.SNAPSHOT_SKIPPED);
        context.announceFailure(clusterId, snapshotId, Trigger.SCHEDULE, FailureReason.SNAPSHOT_SKIPPED, message);
    }

    /**
     * Before the replica leaves its owners group (whose release waits for running snapshots, up to
     * the release timeout), so a planned stop is bounded by the shutdown grace, not by that timeout.
     */
    private static final int STOPS_BEFORE_OWNERSHIP = 1000;

    /**
     * A planned stop: no new snapshot is accepted, queued ones are dropped with a record, running
     * ones may finish within the grace period and are then interrupted (reported SERVICE_STOPPING).
     * Runs before the publisher closes, so every record is still published.
     */
    void stop(@Observes @Priority(STOPS_BEFORE_OWNERSHIP) ShutdownEvent shutdown) throws InterruptedException {
        if (!stopping.compareAndSet(false, true)) {
            return;
        }
        workers.shutdown();
        if (!running.isEmpty()) {
            LOG.infof("stopping: %d snapshot(s) accepted and not finished; running ones get %s to finish",
                    running.size(), shutdownGrace);
        }
        // queued jobs see the stop when a worker reaches them and record themselves as dropped
        if (!workers.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
            // cut the streams still running: their uploads fail and are aborted, nothing is stored
            running.values().forEach(run -> {
                BoundedPipe pipe = run.pipe().get();
                if (pipe != null) {
                    pipe.fail(new IOException("the snapshot-service is stopping"));
                }
            });
            // a stream blocked on etcd needs the interrupt too; the store finishes an upload's abort
            // before it honours one
            List<Runnable> neverStarted = workers.shutdownNow();
            neverStarted.forEach(Runnable::run);
            workers.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
