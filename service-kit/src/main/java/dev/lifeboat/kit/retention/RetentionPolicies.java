package dev.lifeboat.kit.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.common.retention.PolicyChoice;
import dev.lifeboat.common.retention.RetentionPlan;
import dev.lifeboat.common.retention.RetentionPlanner;
import dev.lifeboat.common.retention.RetentionPolicy;
import dev.lifeboat.common.retention.SnapshotFacts;
import dev.lifeboat.events.ClusterSpec.RetentionSpec;
import dev.lifeboat.store.Regions;

/**
 * The configured policies (global default, region overrides) applied to a cluster's own, and the
 * plan they give: the one way a region's retention is computed, by the retention-service that
 * enforces it and by the replicator that must not copy what it would prune.
 */
@ApplicationScoped
public class RetentionPolicies {
    private final RetentionPolicy globalDefault;
    private final Map<String, RetentionPolicy> regionOverrides = new TreeMap<>();
    private final Regions regions;
    private final Duration grace;
    private final Duration clusterPolicyFloor;

    public RetentionPolicies(RetentionPolicyConfig config, Regions regions) {
        this.regions = regions;
        this.grace = config.grace();
        this.clusterPolicyFloor = config.clusterPolicyFloor();
        RetentionPolicyConfig.DefaultPolicy d = config.defaultPolicy();
        this.globalDefault = new RetentionPolicy(d.keepLast(), d.hourly(), d.daily(), d.weekly(), d.monthly(),
                d.yearly(), d.maxAgeDays());
        config.regions().forEach((name, o) -> {
            if (!regions.has(name)) {
                throw new IllegalArgumentException("lifeboat.retention.regions." + name
                        + " names no region under lifeboat.regions (have: " + regions.names() + ")");
            }
            regionOverrides.put(name, new RetentionPolicy(o.keepLast().orElse(0), o.hourly().orElse(0),
                    o.daily().orElse(0), o.weekly().orElse(0), o.monthly().orElse(0), o.yearly().orElse(0),
                    o.maxAgeDays().orElse(0)));
        });
    }

    public PolicyChoice choose(Optional<RetentionSpec> clusterRetention, String region) {
        return PolicyChoice.choose(clusterRetention, region, region.equals(regions.primaryName()), regionOverrides,
                globalDefault);
    }

    /** Snapshots younger than this are never pruned. */
    public Duration grace() {
        return grace;
    }

    /**
     * The plan of {@code choice} over one region's snapshots at {@code now}, with the grace period
     * and, for a cluster's own policy, the floor.
     */
    public RetentionPlan plan(List<SnapshotFacts> snapshots, PolicyChoice choice, Instant now) {
        Duration floor = PolicyChoice.CLUSTER.equals(choice.source()) ? clusterPolicyFloor : Duration.ZERO;
        return RetentionPlanner.plan(snapshots, choice.policy(), now, grace, floor);
    }
}
