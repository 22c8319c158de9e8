package dev.lifeboat.kit.retention;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * The retention policies of {@code lifeboat.retention.*}: what the retention-service prunes and
 * what the replicator's reconciliation therefore does not copy. Both services read these same
 * keys, so they must be given the same values (the retention-service's other
 * {@code lifeboat.retention.*} settings are its own).
 */
@ConfigMapping(prefix = "lifeboat.retention")
public interface RetentionPolicyConfig {
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

    /** Policy of clusters that bring none. */
    @WithName("default")
    DefaultPolicy defaultPolicy();

    /** Per-region policies, {@code lifeboat.retention.regions.<name>.keep-last} etc. */
    Map<String, PolicyOverride> regions();

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
}
