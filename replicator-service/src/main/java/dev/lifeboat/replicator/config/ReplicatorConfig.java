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

    /**
     * Event copies waiting for a region (queued, running or between attempts) at most; beyond,
     * a copy is reported at once and left to reconciliation, so a long outage holds bounded memory.
     */
    @WithDefault("1000")
    int backlogPerRegion();

    /** Verified events in progress at once (each waits for all its regions; none holds a thread while it waits). */
    @WithDefault("2000")
    int maxRecordsInFlight();

    /**
     * Retries of one (snapshot, region) copy, above the store's own quick retries of each call:
     * exponential backoff until {@code budget} has passed since the first attempt, then the failure
     * is published.
     */
    interface Retry {
        /** How long a copy is retried in all (the default rides out about 8.5 minutes of outage). */
        @WithDefault("PT8M30S")
        Duration budget();

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

        /** Copies started per run in all, over every cluster and region; the next run continues. */
        @WithDefault("500")
        int budgetPerRun();
    }
}
