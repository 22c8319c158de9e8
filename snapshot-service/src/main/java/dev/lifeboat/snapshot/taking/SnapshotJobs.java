package dev.lifeboat.snapshot.taking;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.ClusterSpec;
import dev.lifeboat.snapshot.config.SnapshotConfig;
import dev.lifeboat.snapshot.metrics.SnapshotMetrics;
import dev.lifeboat.store.SnapshotIds;

/**
 * The snapshots accepted and not finished: at most one per cluster, at most {@code max-concurrent}
 * streaming overall. Each runs as a {@link SnapshotJob} on a worker.
 */
@ApplicationScoped
public class SnapshotJobs {
    private final Map<String, RunningSnapshot> running = new ConcurrentHashMap<>();
    private final ExecutorService workers;
    private final SnapshotTaker taker;
    private final SnapshotOutcomes outcomes;
    private final SnapshotAnnouncer announcer;
    private final SnapshotMetrics metrics;

    public SnapshotJobs(SnapshotConfig config, SnapshotTaker taker, SnapshotOutcomes outcomes,
                        SnapshotAnnouncer announcer, SnapshotMetrics metrics) {
        this.workers = Executors.newFixedThreadPool(config.maxConcurrent(), r -> {
            Thread t = new Thread(r, "snapshot-worker");
            t.setDaemon(true);
            return t;
        });
        this.taker = taker;
        this.outcomes = outcomes;
        this.announcer = announcer;
        this.metrics = metrics;
    }

    /**
     * Starts a snapshot of the cluster and returns its id at once.
     *
     * @throws SnapshotInProgressException when one is already running for the cluster
     */
    public String start(String clusterId, ClusterSpec spec, Trigger trigger) {
        String snapshotId = SnapshotIds.newSnapshotId(Instant.now());
        RunningSnapshot run = new RunningSnapshot(snapshotId, Instant.now());
        RunningSnapshot existing = running.putIfAbsent(clusterId, run);
        if (existing != null) {
            throw new SnapshotInProgressException(clusterId, existing.snapshotId());
        }
        metrics.streaming(clusterId, run::bytesStreamed);
        SnapshotJob job = new SnapshotJob(clusterId, spec, trigger, run, taker, outcomes, announcer, metrics);
        try {
            workers.execute(() -> {
                try {
                    job.run();
                } finally {
                    running.remove(clusterId);
                    metrics.done(clusterId);
                }
            });
        } catch (RuntimeException e) {
            running.remove(clusterId);
            throw e;
        }
        return snapshotId;
    }

    public Optional<RunningSnapshot> running(String clusterId) {
        return Optional.ofNullable(running.get(clusterId));
    }

    @PreDestroy
    void stop() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(10, TimeUnit.SECONDS);
    }
}
