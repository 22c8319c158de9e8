package dev.lifeboat.common.retention;

import java.util.Map;
import java.util.Optional;

import dev.lifeboat.events.ClusterSpec.RetentionSpec;

/**
 * Which policy applies to a cluster in a region, and why. Precedence:
 * <ol>
 *   <li>in a secondary region, that region's configured override (DR copies often keep longer);</li>
 *   <li>the cluster's own {@code retention} from its registration;</li>
 *   <li>the region's configured override (also for the primary, for clusters without their own);</li>
 *   <li>the global default.</li>
 * </ol>
 * Each source is taken as a whole: a rule it leaves unset is off, not inherited.
 *
 * @param source {@code region:<name>}, {@code cluster} or {@code default}
 */
public record PolicyChoice(RetentionPolicy policy, String source) {
    /** The source of a cluster's own policy, from its registration. */
    public static final String CLUSTER = "cluster";

    public static PolicyChoice choose(Optional<RetentionSpec> clusterRetention, String region, boolean primary,
                                      Map<String, RetentionPolicy> regionOverrides, RetentionPolicy globalDefault) {
        RetentionPolicy override = regionOverrides.get(region);
        if (override != null && !primary) {
            return new PolicyChoice(override, "region:" + region);
        }
        if (clusterRetention.isPresent()) {
            return new PolicyChoice(RetentionPolicy.of(clusterRetention.get()), CLUSTER);
        }
        if (override != null) {
            return new PolicyChoice(override, "region:" + region);
        }
        return new PolicyChoice(globalDefault, "default");
    }
}
