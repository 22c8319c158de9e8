package dev.lifeboat.retention.pruning;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.lifeboat.retention.config.RetentionConfig;
import dev.lifeboat.kit.messaging.ClusterRegistry;
import dev.lifeboat.kit.ownership.OwnershipChange;
import io.quarkus.scheduler.Scheduled;

/**
 * When retention runs: once per cluster shortly after a burst of its events (debounced), and for
 * every registered cluster periodically. Clusters no longer registered are left alone: their
 * snapshots stay, as removing a cluster promises.
 */
@ApplicationScoped
public class RunTriggers {
    private static final Logger LOG = Logger.getLogger(RunTriggers.class);

    private final RetentionRunner runner;
    private final ClusterRegistry registry;
    private final RetentionConfig config;
    private final Set<String> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "retention-run");
        t.setDaemon(true);
        return t;
    });

    public RunTriggers(RetentionRunner runner, ClusterRegistry registry, RetentionConfig config) {
        this.runner = runner;
        this.registry = registry;
        this.config = config;
    }

    /** Asks for a run of {@code clusterId}; requests made while one is pending join it. */
    public void request(String clusterId) {
        if (pending.add(clusterId)) {
            executor.schedule(() -> runNow(clusterId), config.debounce().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Clusters this replica has just been given: a run soon, for what their last owner may have left. */
    void onGained(@Observes OwnershipChange change) {
        if (change.gained()) {
            registry.all().keySet().stream().filter(change::covers).forEach(this::request);
        }
    }

    @Scheduled(identity = "retention-all-clusters", every = "${lifeboat.retention.interval:1h}",
            delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void periodic() {
        runner.runAll();
    }

    private void runNow(String clusterId) {
        pending.remove(clusterId);
        if (registry.get(clusterId).isEmpty()) {
            LOG.debugf("no retention run for %s: not a registered cluster", clusterId);
            return;
        }
        try {
            runner.run(clusterId);
        } catch (RuntimeException e) {
            LOG.errorf(e, "retention run of cluster %s failed", clusterId);
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }
}
