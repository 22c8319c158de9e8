package dev.lifeboat.retention.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** {@code lifeboat.retention.*}: policies, safety margins and timing of the retention-service. */
@ConfigMapping(prefix = "lifeboat.retention")
public interface RetentionConfig {
    /** When true (the default) runs only plan and report; nothing is deleted. */
    @WithDefault("true")
    boolean dryRun();

    /** Snapshots younger than this are never deleted: verification and replication may still run. */
    @WithDefault("PT2H")
    Duration grace();

    /**
     * A cluster's own retention (which its registration sets over the API) never prunes a
     * snapshot younger than this, however small its rules: one API call cannot erase recent history.
     */
    @WithName("cluster-policy-floor")
    @WithDefault("P7D")
    Duration clusterPolicyFloor();

    /** Events of one cluster arriving within this window lead to one run. */
    @WithDefault("PT30S")
    Duration debounce();

    /** Period of the run over every cluster ({@code off} disables it); read by the scheduler. */
    @WithDefault("1h")
    String interval();

    /** Policy of clusters that bring none. */
    @WithName("default")
    DefaultPolicy defaultPolicy();

    /** Per-region policies, {@code lifeboat.retention.regions.<name>.keep-last} etc. */
    Map<String, PolicyOverride> regions();

    Watchdog watchdog();

    interface DefaultPolicy {
        @WithDefault("24")
        int keepLast();

        @WithDefault("24")
        int hourly();

        @WithDefault("7")
        int daily();

        @WithDefault("4")
        int weekly();

        @WithDefault("12")
        int monthly();

        @WithDefault("0")
        int yearly();

        @WithDefault("0")
        int maxAgeDays();
    }

    /** Unset rules of an override are off. */
    interface PolicyOverride {
        Optional<Integer> keepLast();

        Optional<Integer> hourly();

        Optional<Integer> daily();

        Optional<Integer> weekly();

        Optional<Integer> monthly();

        Optional<Integer> yearly();

        Optional<Integer> maxAgeDays();
    }

    interface Watchdog {
        /** Period of the freshness check ({@code off} disables it); read by the scheduler. */
        @WithDefault("1m")
        String interval();

        /** A lasting STALE_BACKUP is repeated at most this often. */
        @WithDefault("PT15M")
        Duration repeatEvery();

        /** How long after its first scheduled run a new cluster may take to have a verified snapshot. */
        @WithDefault("PT15M")
        Duration firstBackupGrace();

        /**
         * How far back STALE_BACKUP raises and resolves on {@code lifeboat.failures} are read at
         * start-up to know the open episodes; longer than any downtime after which an episode
         * should still continue rather than start again (and within the topic's retention).
         */
        @WithDefault("P7D")
        Duration episodeLookback();
    }
}
