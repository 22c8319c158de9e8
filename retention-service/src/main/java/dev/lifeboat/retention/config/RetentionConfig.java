package dev.lifeboat.retention.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code lifeboat.retention.*}: dry run and timing of the retention-service. The policies, the grace
 * period and the cluster-policy floor under the same prefix are the service kit's
 * {@link dev.lifeboat.kit.retention.RetentionPolicyConfig}, which the replicator reads too.
 */
@ConfigMapping(prefix = "lifeboat.retention")
public interface RetentionConfig {
    /** When true (the default) runs only plan and report; nothing is deleted. */
    @WithDefault("true")
    boolean dryRun();

    /** Events of one cluster arriving within this window lead to one run. */
    @WithDefault("PT30S")
    Duration debounce();

    /** Period of the run over every cluster ({@code off} disables it); read by the scheduler. */
    @WithDefault("1h")
    String interval();

    Watchdog watchdog();

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
