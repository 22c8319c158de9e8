package dev.lifeboat.replicator.run;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.replicator.config.ReplicatorConfig;

/**
 * A bounded pool of copy threads per target region, and one timer for backoff. A region that is
 * down or slow only occupies its own threads, and a copy waiting for its next attempt occupies
 * none, so other regions and other clusters keep moving.
 */
@ApplicationScoped
public class RegionWorkers {
    private final int threadsPerRegion;
    private final Map<String, ExecutorService> pools = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(named("replication-backoff"));

    public RegionWorkers(ReplicatorConfig config) {
        this.threadsPerRegion = Math.max(1, config.parallelismPerRegion());
    }

    /** Runs {@code work} on one of the region's threads, after {@code delay}. */
    public <T> CompletableFuture<T> submit(String region, Duration delay, Supplier<T> work) {
        ExecutorService pool = pools.computeIfAbsent(region,
                r -> Executors.newFixedThreadPool(threadsPerRegion, named("replicate-" + r)));
        if (delay.isZero()) {
            return CompletableFuture.supplyAsync(work, pool);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        timer.schedule(() -> CompletableFuture.supplyAsync(work, pool).whenComplete((value, error) -> {
            if (error != null) {
                result.completeExceptionally(error);
            } else {
                result.complete(value);
            }
        }), delay.toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    @PreDestroy
    void shutdown() {
        timer.shutdownNow();
        pools.values().forEach(ExecutorService::shutdownNow);
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
