package dev.lifeboat.kit.ownership;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code lifeboat.ownership.*}: how the replicas of a service share the fleet. */
@ConfigMapping(prefix = "lifeboat.ownership")
public interface OwnershipConfig {
    /** Whether this service joins its owners group at start-up (services that do per-cluster work). */
    @WithDefault("false")
    boolean enabled();

    /** This replica's name in client ids, logs and readiness; {@code $HOSTNAME-<pid>} when not set. */
    Optional<String> replica();

    /**
     * How long Kafka waits for a silent replica (crashed, paused, cut off) before its clusters go to
     * the others: the larger part of the handover bound.
     */
    @WithDefault("PT10S")
    Duration sessionTimeout();

    /** How long a replica giving clusters up (rebalance, shutdown) may take to finish their work. */
    @WithDefault("PT60S")
    Duration releaseTimeout();

    /**
     * Partitions of the ownership topic when this service creates it: the most replicas that get
     * work, and the unit of balance. An existing topic keeps its partitions.
     */
    @WithDefault("12")
    int partitions();
}
