package dev.lifeboat.retention.config;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lifeboat.events.ClusterSpec.RetentionSpec;
import dev.lifeboat.retention.policy.PolicyChoice;
import dev.lifeboat.retention.policy.RetentionPolicy;
import dev.lifeboat.store.Regions;

/** The configured policies (global default, region overrides) applied to a cluster's own. */
@ApplicationScoped
public class Policies {
    private final RetentionPolicy globalDefault;
    private final Map<String, RetentionPolicy> regionOverrides = new TreeMap<>();
    private final Regions regions;

    public Policies(RetentionConfig config, Regions regions) {
        this.regions = regions;
        RetentionConfig.DefaultPolicy d = config.defaultPolicy();
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
}
