package dev.lifeboat.replicator.replication;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.replicator.config.ReplicatorConfig;

/**
 * A bounded pool of copy threads per target region, and one timer for backoff. A region that is
 * down or slow only occupies its own threads and its own bounded backlog, and a copy waiting for
 * its next attempt occupies no thread, so other regions and other clusters keep moving. Within a
 * region, event copies run before reconciliation copies that wait.
 */
@ApplicationScoped
public class RegionWorkers {
    private final int threadsPerRegion;
    private final int backlogPerRegion;
    private final Map<String, ThreadPoolExecutor> pools = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> backlogs = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named("replication-backoff"));

    public RegionWorkers(ReplicatorConfig config) {
        this.threadsPerRegion = Math.max(1, config.parallelismPerRegion());
        this.backlogPerRegion = Math.max(1, config.backlogPerRegion());
    }

    /**
     * Takes a place in the region's backlog of event copies (queued, running or waiting to retry);
     * false when the region already holds {@code backlog-per-region} of them.
     */
    public boolean admit(String region) {
        AtomicInteger backlog = backlogs.computeIfAbsent(region, r -> new AtomicInteger());
        if (backlog.incrementAndGet() > backlogPerRegion) {
            backlog.decrementAndGet();
            return false;
        }
        return true;
    }

    /** An admitted copy has ended. */
    public void leave(String region) {
        backlogs.get(region).decrementAndGet();
    }

    public int backlogLimit() {
        return backlogPerRegion;
    }

    /** Runs {@code work} on one of the region's threads after {@code delay}, ahead of lower priorities. */
    public <T> CompletableFuture<T> submit(String region, CopyPolicy.Priority priority, Duration delay, Supplier<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable enqueue = () -> pool(region).execute(new Task(priority, sequence.incrementAndGet(), () -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        }));
        if (delay.isZero()) {
            enqueue.run();
        } else {
            timer.schedule(enqueue, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
        return result;
    }

    private ThreadPoolExecutor pool(String region) {
        return pools.computeIfAbsent(region, r -> new ThreadPoolExecutor(threadsPerRegion, threadsPerRegion, 0,
                TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), named("replicate-" + r)));
    }

    /** Queued work: by priority, then first come first served. */
    private record Task(CopyPolicy.Priority priority, long sequence, Runnable work)
            implements Runnable, Comparable<Task> {
        @Override
        public void run() {
            work.run();
        }

        @Override
        public int compareTo(Task other) {
            int byPriority = priority.compareTo(other.priority);
            return byPriority != 0 ? byPriority : Long.compare(sequence, other.sequence);
        }
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
        pools.values().forEach(ThreadPoolExecutor::shutdownNow);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
