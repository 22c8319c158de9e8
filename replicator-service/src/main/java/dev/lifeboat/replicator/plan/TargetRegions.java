package dev.lifeboat.replicator.plan;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where one cluster's verified snapshots go: the regions its {@code replicateTo} names, or every
 * region other than the primary when it names none. Names that are not configured are kept apart,
 * so they become a failure event instead of a crash.
 *
 * @param regions configured regions to copy to, never the source
 * @param unknown names in {@code replicateTo} that no region is configured for
 */
public record TargetRegions(List<String> regions, List<String> unknown) {

    /**
     * @param replicateTo the cluster's list, or null when the cluster is unknown or names none
     * @param source      the region the snapshot is read from (never a target)
     * @param secondaries every configured region other than the primary
     * @param configured  every configured region
     */
    public static TargetRegions resolve(List<String> replicateTo, String source, List<String> secondaries,
                                        Set<String> configured) {
        if (replicateTo == null) {
            return new TargetRegions(secondaries.stream().filter(r -> !r.equals(source)).toList(), List.of());
        }
        List<String> regions = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String name : new LinkedHashSet<>(replicateTo)) {
            if (name == null || name.equals(source)) {
                continue; // the source already holds the snapshot
            }
            (configured.contains(name) ? regions : unknown).add(name);
        }
        return new TargetRegions(List.copyOf(regions), List.copyOf(unknown));
    }
}
