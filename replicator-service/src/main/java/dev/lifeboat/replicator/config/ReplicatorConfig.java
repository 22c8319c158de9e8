package dev.lifeboat.replicator.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code lifeboat.replicator.*}: retries, parallelism and reconciliation of the replicator. */
@ConfigMapping(prefix = "lifeboat.replicator")
public interface ReplicatorConfig {
    Retry retry();

    Reconcile reconcile();

    /** Copies that run at the same time towards one region; each region has its own workers. */
    @WithDefault("2")
    int parallelismPerRegion();

    /** How long an event waits for the cluster registry to load at startup before using the defaults. */
    @WithDefault("PT30S")
    Duration registryWait();

    /** Attempts of one (snapshot, region) copy before its failure is published. */
    interface Retry {
        @WithDefault("10")
        int maxAttempts();

        @WithDefault("PT1S")
        Duration initialBackoff();

        @WithDefault("PT5M")
        Duration maxBackoff();
    }

    /** The periodic comparison of every cluster's verified snapshots in the primary with each region. */
    interface Reconcile {
        @WithDefault("true")
        boolean enabled();

        /** Read by the scheduler as {@code lifeboat.replicator.reconcile.interval}. */
        @WithDefault("PT10M")
        Duration interval();

        /** Copies started per (cluster, region) and run, newest first; the next run continues. */
        @WithDefault("20")
        int maxCopiesPerRun();
    }
}
